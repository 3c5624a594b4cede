package policy

import (
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/getsentry/sentry-go"
)

// perKey holds a V for each K it was asked about, without keeping the K
// alive: an entry goes when its K is garbage collected.
type perKey[K, V any] struct {
	mu sync.Mutex
	m  map[weak.Pointer[K]]V
}

// perClient holds a V for each Sentry client logcrumbs has sent through. A
// program has one client or a few; a test suite or a program that calls
// sentry.Init again makes many, and only the live ones take memory here.
type perClient[V any] = perKey[sentry.Client, V]

// get returns c's value, made by newV the first time. newV's value must
// not refer to c, or c would never be collected. (The options kept for a
// client hold its BeforeBreadcrumb: a client whose BeforeBreadcrumb refers
// to the client itself stays alive.)
func (p *perKey[K, V]) get(c *K, newV func() V) V {
	if c == nil {
		return newV() // nothing to remember it by
	}
	key := weak.Make(c)
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.m[key]; ok {
		return v
	}
	if p.m == nil {
		p.m = make(map[weak.Pointer[K]]V)
	}
	v := newV()
	p.m[key] = v
	runtime.AddCleanup(c, p.forget, key)
	return v
}

// lookup returns c's value, or the zero V if it has none.
func (p *perKey[K, V]) lookup(c *K) V {
	var v V
	if c == nil {
		return v
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[weak.Make(c)]
}

// has reports whether c has a value.
func (p *perKey[K, V]) has(c *K) bool {
	if c == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.m[weak.Make(c)]
	return ok
}

// remove forgets c's value.
func (p *perKey[K, V]) remove(c *K) {
	if c == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, weak.Make(c))
}

func (p *perKey[K, V]) forget(key weak.Pointer[K]) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, key)
}

// each calls fn, outside p's lock, for every live K and its value.
func (p *perKey[K, V]) each(fn func(*K, V)) {
	type entry struct {
		c *K
		v V
	}
	p.mu.Lock()
	live := make([]entry, 0, len(p.m))
	for key, v := range p.m {
		if c := key.Value(); c != nil {
			live = append(live, entry{c, v})
		}
	}
	p.mu.Unlock()
	for _, e := range live {
		fn(e.c, e.v)
	}
}

// clients returns the live clients logcrumbs has sent events through.
func (p *Process) clients() []*sentry.Client {
	var out []*sentry.Client
	p.sentThrough.each(func(c *sentry.Client, _ *clientDelivery) { out = append(out, c) })
	return out
}

// reset forgets every entry. Cleanups of keys already registered still
// run, and delete nothing that a new entry holds (a key is unique to its
// object).
func (p *perKey[K, V]) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m = nil
}

// ids numbers the clients logcrumbs has seen, each with a number no other
// client ever gets: state kept for a client under its address would pass to
// the next client the allocator puts at that address once the first is
// collected (as a program that calls sentry.Init again, or a test suite,
// makes them), and weak pointers of two objects never compare equal, even
// at one address. The numbers are not Process state: Reset keeps them, so
// that a number stays unique for the life of the process.
var (
	ids    perClient[uint64]
	lastID atomic.Uint64
)

// ClientID returns c's number, 0 for nil.
func ClientID(c *sentry.Client) uint64 {
	if c == nil {
		return 0
	}
	if last := lastNumbered.Load(); last != nil && last.client.Value() == c {
		return last.id
	}
	id := ids.get(c, func() uint64 { return lastID.Add(1) })
	lastNumbered.Store(&numbered{weak.Make(c), id})
	return id
}

// lastNumbered is the client ClientID numbered last, and its number: a
// program sends through one client, and every event and skipped repeat
// asks for its number (the dedupe key), which ids finds with a weak.Make,
// a lock and a map look-up, a tenth of a skipped repeat. A client
// collected since is never taken for another at its address: its weak
// pointer then gives nil.
var lastNumbered atomic.Pointer[numbered]

type numbered struct {
	client weak.Pointer[sentry.Client]
	id     uint64
}
