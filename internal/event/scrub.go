package event

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// Filtered is what a secret value becomes, as Sentry's own scrubbers write.
const Filtered = "[Filtered]"

// DefaultSecretKeys name the attributes whose values never leave the
// process: a key matches when, lowercased and without "_", "-" and ".", it
// contains one of them.
var DefaultSecretKeys = []string{
	"password", "passwd", "pwd", "secret", "token", "apikey", "authorization", "auth",
	"cookie", "session", "privatekey", "credential", "jwt", "bearer", "signature",
}

// scrubber replaces secret values in data before it leaves the process.
type scrubber struct {
	*secretKeys
	fn func(key string, value any) any
}

// secretKeys are the normalized secret keys of one or more scrubbers, and
// what they decided about the keys they saw.
type secretKeys struct {
	keys []string // normalized

	// known caches the verdict for keys seen before: a program logs a few
	// hundred distinct keys, and matching each against every secret name on
	// every event cost a sixth of the event path. It is read without a
	// lock, and never written: a key it misses is looked for, or added, in
	// dirty, under mu, which becomes known once it has missed as many
	// times as dirty has keys (the copy of known that starts a dirty map is
	// then paid once for as many look-ups), as sync.Map did before Go
	// 1.24. A sync.Map look-up cost about 200 instructions a key (hashing
	// the key as an interface, walking its trie), a Go map's about 50: a
	// record sent to Sentry Logs looks up each of its keys (cachegrind,
	// bench SlogLogs/logcrumbs-logs: 26,050 -> 25,820 instructions a record).
	known atomic.Pointer[map[string]bool]
	// full is set once known holds maxKnownKeys: keys it misses are then
	// matched every time, without the lock.
	full   atomic.Bool
	mu     sync.Mutex
	dirty  map[string]bool // nil, or known's keys and newer ones
	misses int             // look-ups that missed known since it was made
}

// defaultSecretKeys serve every scrubber of DefaultSecretKeys: a builder
// made per request (a request-scoped zerolog hook, say) starts with the
// verdicts the process found, rather than normalizing the keys again and
// filling a cache of its own.
var defaultSecretKeys = newSecretKeys(DefaultSecretKeys)

// maxKnownKeys bounds the cache; keys past it are matched every time.
const maxKnownKeys = 4096

// newScrubber returns a scrubber of keys (DefaultSecretKeys if nil) and
// the user's scrub function fn (or nil).
func newScrubber(keys []string, fn func(string, any) any) *scrubber {
	if keys == nil {
		return &scrubber{secretKeys: defaultSecretKeys, fn: fn}
	}
	return &scrubber{secretKeys: newSecretKeys(keys), fn: fn}
}

func newSecretKeys(keys []string) *secretKeys {
	s := &secretKeys{keys: make([]string, 0, len(keys))}
	for _, k := range keys {
		if k = normalizeKey(k); k != "" {
			s.keys = append(s.keys, k)
		}
	}
	return s
}

func normalizeKey(k string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', ' ':
			return -1
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, k)
}

func (s *secretKeys) secret(key string) bool {
	if v, ok := s.lookup(key); ok {
		return v
	}
	if s.full.Load() {
		return s.match(key)
	}
	return s.learn(key)
}

// lookup returns the verdict known for key, and whether there is one.
func (s *secretKeys) lookup(key string) (secret, ok bool) {
	if m := s.known.Load(); m != nil {
		secret, ok = (*m)[key]
	}
	return secret, ok
}

// learn returns the verdict for key, which known missed, from dirty, else
// matched and added to dirty; known becomes dirty once it has missed as
// many times as dirty has keys, or dirty is full.
func (s *secretKeys) learn(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	secret, ok := s.dirty[key]
	if !ok {
		if secret, ok = s.lookup(key); ok { // known was replaced since
			return secret
		}
		secret = s.match(key)
		if s.full.Load() { // since secret's test
			return secret
		}
		if s.dirty == nil {
			m := s.known.Load()
			if m == nil {
				m = new(map[string]bool)
			}
			s.dirty = make(map[string]bool, len(*m)+1)
			for k, v := range *m {
				s.dirty[k] = v
			}
		}
		s.dirty[strings.Clone(key)] = secret
	}
	s.misses++
	if full := len(s.dirty) >= maxKnownKeys; full || s.misses >= len(s.dirty) {
		m := s.dirty
		s.known.Store(&m)
		s.full.Store(full)
		s.dirty, s.misses = nil, 0
	}
	return secret
}

func (s *secretKeys) match(key string) bool {
	if buffer.MayBeCutKey(key) { // its end, where a secret's name may have been, is lost
		return true
	}
	n := normalizeKey(key)
	for _, k := range s.keys {
		if strings.Contains(n, k) {
			return true
		}
	}
	return false
}

// clean makes data fit to leave the process, in one pass over it: secret
// values replaced and the user's Scrub function applied, then the user gate
// on what that left of each entry (see gateUser), at every depth (see
// data). Scrub sees every attribute, gated or not. The verdicts on the
// top-level keys are remembered in g, for the rest of the event (see
// userGate.key).
func (s *scrubber) clean(data map[string]any, g *userGate) {
	for k, v := range data {
		s.cleanEntry(data, k, v, g)
	}
}

// cleanEntry is clean for the entry k, v of data.
func (s *scrubber) cleanEntry(data map[string]any, k string, v any, g *userGate) {
	kv := g.key(s, k)
	w, changed := s.scrubEntry(k, v, kv.secret, g)
	if changed {
		data[k] = w
	}
	switch gateEntry(kv.gate, kv.isUserKey, w, g) {
	case gateRemove:
		delete(data, k)
	case gateFilter:
		data[k] = Filtered
	}
}

// cleaner returns what cleans a breadcrumb's data while it is built
// (buffer.Cleaner), for the event whose user gate is g, or nil when s has
// a Scrub function: that one is called per breadcrumb just before the
// client's BeforeBreadcrumb, as it always was, so clean runs after the
// conversion instead. Give it back with done.
//
// It comes from a pool and works on a copy of g: a buffer.Cleaner is an
// interface, and one made of g, or of a new value pointing to g, would
// move g (and the cleaner) to the heap, two allocations per event.
func (s *scrubber) cleaner(g *userGate) *crumbCleaner {
	if s.fn != nil {
		return nil
	}
	c := cleaners.Get().(*crumbCleaner)
	c.s, c.g = s, *g
	return c
}

var cleaners = sync.Pool{New: func() any { return new(crumbCleaner) }}

// done gives g what c decided (the user gate's verdicts, see userGate) and
// c back to the pool, holding nothing: its memo's keys are pieces of the
// event's text.
func (c *crumbCleaner) done(g *userGate) {
	*g = c.g
	*c = crumbCleaner{}
	cleaners.Put(c)
}

// crumbCleaner is clean applied entry by entry as a breadcrumb's data is
// built: what clean would leave of each entry, without walking the
// finished map again.
type crumbCleaner struct {
	s *scrubber
	g userGate
}

// Entry is cleanEntry for a value that holds no map or list, and a
// scrubber without a Scrub function: a secret key's value is Filtered, a
// text's URLs are scrubbed, and the user gate decides the rest.
func (c *crumbCleaner) Entry(k string, v any) (any, bool) {
	kv := c.g.key(c.s, k)
	if kv.gate == gateRemove {
		return nil, false
	}
	if kv.secret {
		v = Filtered
	} else if text, ok := v.(string); ok {
		if text, ok := c.s.textURLs(text); ok {
			v = text
		}
	}
	if kv.gate == gateKeep && !kv.isUserKey {
		return v, true // what gateEntry returns, without the call
	}
	switch gateEntry(kv.gate, kv.isUserKey, v, &c.g) {
	case gateRemove:
		return nil, false
	case gateFilter:
		return Filtered, true
	}
	return v, true
}

// Plain is what Entry decides from the key alone: a key neither secret,
// nor removed by the user gate, nor a user key (whose value the gate looks
// at) keeps its value, a text's URLs scrubbed (Text).
func (c *crumbCleaner) Plain(k string) bool {
	kv := c.g.key(c.s, k)
	return !kv.secret && kv.gate == gateKeep && !kv.isUserKey
}

// Text is what Entry does to a text under a plain key: its URLs' secrets
// are filtered.
func (c *crumbCleaner) Text(s string) string {
	if text, ok := c.s.textURLs(s); ok {
		return text
	}
	return s
}

// Nested is cleanEntry for a group's map or a decoded JSON value.
func (c *crumbCleaner) Nested(data map[string]any, k string) {
	c.s.cleanEntry(data, k, data[k], &c.g)
}

// data scrubs m in place, and every map and list in it, and applies the
// user gate g to each of their entries as clean does to a top-level one:
// a user group inside a group, a map or a list's map (slog's WithGroup,
// zap.Namespace, zerolog's Dict, a logged struct) keeps only its id.
func (s *scrubber) data(m map[string]any, g *userGate) {
	// A url.URL logged by value is encoded as JSON: its query is the text of
	// RawQuery, its fragment ("#access_token=..." in OAuth redirects) that
	// of Fragment and RawFragment (its password is not encoded: Userinfo
	// has no exported field).
	if _, ok := m["RawQuery"].(string); ok {
		if _, ok := m["Host"]; ok {
			for _, field := range [...]string{"RawQuery", "Fragment", "RawFragment"} {
				if q, ok := m[field].(string); ok {
					if q, changed := s.rawQuery(q); changed {
						m[field] = q
					}
				}
			}
		}
	}
	for k, v := range m {
		s.entry(m, k, v, g)
	}
}

// entry scrubs the entry k, v of m: a secret key's value is Filtered;
// otherwise the secrets of the URLs in a text value are filtered (see
// textURLs), then the user's scrub function, if any, replaces the value,
// and the maps and lists inside what remains are scrubbed; then the user
// gate g decides what of it stays (see gateUser).
func (s *scrubber) entry(m map[string]any, k string, v any, g *userGate) {
	w, changed := s.entryValue(k, v, g)
	switch gateUser(k, w, g) {
	case gateRemove:
		delete(m, k)
	case gateFilter:
		m[k] = Filtered
	default:
		if changed {
			m[k] = w
		}
	}
}

// entryValue is entry for a value that is in no map (a Sentry Logs
// attribute), but for the gate on k itself: it returns the new value and
// whether it is a new one (the maps and lists inside v are scrubbed and
// gated in place either way).
func (s *scrubber) entryValue(k string, v any, g *userGate) (any, bool) {
	return s.scrubEntry(k, v, s.secret(k), g)
}

// scrubEntry is entryValue with the verdict of secret(k) known.
func (s *scrubber) scrubEntry(k string, v any, secret bool, g *userGate) (any, bool) {
	if secret {
		return Filtered, true
	}
	changed := false
	if text, ok := v.(string); ok {
		if text, ok := s.textURLs(text); ok {
			v, changed = text, true
		}
	}
	if s.fn != nil {
		v, changed = s.call(k, v), true
	}
	s.value(v, g)
	return v, changed
}

// value scrubs and gates the maps inside v (see data), and scrubs the URLs
// in the texts of its lists.
func (s *scrubber) value(v any, g *userGate) {
	switch v := v.(type) {
	case map[string]any:
		s.data(v, g)
	case []any:
		for i, e := range v {
			if text, ok := e.(string); ok {
				if text, changed := s.textURLs(text); changed {
					v[i] = text
				}
				continue
			}
			s.value(e, g)
		}
	}
}

// call runs the user's scrub function; if it panics, the value is filtered
// rather than sent.
func (s *scrubber) call(k string, v any) (out any) {
	defer func() {
		if recover() != nil {
			out = Filtered
		}
	}()
	return s.fn(k, v)
}
