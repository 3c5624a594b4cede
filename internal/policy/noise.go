package policy

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unsafe"
	"weak"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// Noise control is process-wide, as Sentry's quota is: one table of recent
// fingerprints and one rate limit, shared by every integration, for each
// Sentry client (a program has one; tests with a client each do not disturb
// each other).

// DefaultDedupeWindow is how long an event's fingerprint suppresses the
// same event when Options.DedupeWindow is zero.
const DefaultDedupeWindow = 5 * time.Second

// The default rate limit: events per second, and the burst above it.
const (
	defaultRate  = 10
	defaultBurst = 100
)

// maxFingerprints bounds the dedupe table; past it, new fingerprints are
// not deduplicated until old ones expire (see makeRoom).
const maxFingerprints = 4096

// maxSummaryBytes bounds the memory the summaries of the dedupe table
// hold, all clients together. A summary keeps its event's exception chain
// and stack traces: about 4 KB for a typical error, up to the event size
// limit for a deep chain of long texts (430 KB for 100 wrapped errors of
// 4 KB text), so that 4096 fingerprints could hold 1.7 GB. Past it, a new
// fingerprint keeps no summary: its repeats ride on its next event only.
const maxSummaryBytes = 16 << 20

// RepeatsKey names the event context that counts the events suppressed as
// repeats of this one since the previous one of its fingerprint.
const RepeatsKey = "logcrumbs"

type seen struct {
	sent    time.Time     // when the last event of the fingerprint was sent
	id      string        // its ID
	ref     *eventref.Ref // its reference, if any (see Verdict.EarlierRef)
	before  [3]string     // the IDs of the events of the fingerprint before it, newest first
	repeats int           // events suppressed since
	first   time.Time     // when the first of them was suppressed
	summary *summary      // what Flush sends for pending repeats
	size    int           // summary's bytes, as counted in noise.summaryBytes
	dropped bool          // the client dropped the event: it has no summary
	gone    bool          // no longer in noise.recent: swept, or the table reset

	key  string     // its key in noise.recent (the map's own string)
	memo recordMemo // the record a repeat was last counted on (see RepeatMemo)
	fast fastRepeats

	// client is the client that sent the event: Flush sends the summary
	// through it, not through the event's hub, which may have been bound to
	// another client since (sentry.Init again), whose project never got the
	// event. Weak: a client the program dropped is not kept alive for a
	// summary, which is then dropped with it.
	client weak.Pointer[sentry.Client]
}

// summary is what Flush needs to report an event's pending repeats as an
// event of the same Sentry issue: what Sentry groups on, as the event was
// sent (its fingerprint, its exception chain with stack traces and
// mechanisms, or for a message event its message and stack), and its
// level, logger and tags; not its breadcrumbs or attributes. The slices
// and the map are the sent event's own, which nothing writes once it is
// sent: TakePending's sender copies them before the summary goes through the
// client, whose integrations write into stack frames.
type summary struct {
	level       sentry.Level
	message     string
	logger      string
	fingerprint []string
	exception   []sentry.Exception
	threads     []sentry.Thread
	tags        map[string]string
}

// summaryOf keeps what a summary of event needs. The message and logger
// are copied: an event's are pieces of one copy of its record's whole text
// (see buffer.Record.Fields), which a summary must not keep for them.
func summaryOf(event *sentry.Event) *summary {
	message, logger := cloneTwo(event.Message, event.Logger)
	return &summary{
		level: event.Level, message: message, logger: logger, fingerprint: event.Fingerprint,
		exception: event.Exception, threads: event.Threads, tags: event.Tags,
	}
}

// cloneTwo returns copies of a and b, made as one allocation (strings.Clone
// of each made two, one per event sent).
func cloneTwo(a, b string) (string, string) {
	if len(a)+len(b) == 0 {
		return "", ""
	}
	buf := make([]byte, len(a)+len(b))
	copy(buf, a)
	copy(buf[len(a):], b)
	s := unsafe.String(unsafe.SliceData(buf), len(buf)) // buf is never written again
	return s[:len(a)], s[len(a):]
}

// bytes estimates the memory s keeps: its texts, and each stack frame's
// struct, names and source context.
func (s *summary) bytes() int {
	n := int(unsafe.Sizeof(*s)) + len(s.message) + len(s.logger)
	for _, f := range s.fingerprint {
		n += 16 + len(f)
	}
	for k, v := range s.tags {
		n += 48 + len(k) + len(v)
	}
	for _, ex := range s.exception {
		n += int(unsafe.Sizeof(ex)) + len(ex.Type) + len(ex.Value) + len(ex.Module) + stackBytes(ex.Stacktrace)
		if ex.Mechanism != nil {
			n += int(unsafe.Sizeof(*ex.Mechanism)) + len(ex.Mechanism.Type) + len(ex.Mechanism.Description)
		}
	}
	for _, th := range s.threads {
		n += int(unsafe.Sizeof(th)) + stackBytes(th.Stacktrace)
	}
	return n
}

func stackBytes(st *sentry.Stacktrace) int {
	if st == nil {
		return 0
	}
	n := int(unsafe.Sizeof(*st))
	for _, f := range st.Frames {
		n += int(unsafe.Sizeof(f)) + len(f.Function) + len(f.Module) + len(f.Filename) + len(f.AbsPath) + len(f.ContextLine)
		for _, l := range f.PreContext {
			n += 16 + len(l)
		}
		for _, l := range f.PostContext {
			n += 16 + len(l)
		}
	}
	return n
}

// summaryTag is the tag that marks the event Flush sends for an event's
// pending repeats (its value is "true"): an event of the same issue, whose
// RepeatsKey context says how many.
const summaryTag = "logcrumbs.summary"

// event builds the summary event of n repeats since first: a copy of what
// was kept, the tag, and the count in the RepeatsKey context.
func (s *summary) event(n int, first time.Time) *sentry.Event {
	ev := &sentry.Event{
		Level: s.level, Message: s.message, Logger: s.logger, Fingerprint: slices.Clone(s.fingerprint),
		Tags:     maps.Clone(s.tags),
		Contexts: map[string]sentry.Context{RepeatsKey: RepeatsContext(Verdict{Repeats: n, Since: first})},
	}
	if ev.Tags == nil {
		ev.Tags = map[string]string{}
	}
	ev.Tags[summaryTag] = "true"
	if len(s.exception) > 0 {
		ev.Exception = make([]sentry.Exception, len(s.exception))
		for i, ex := range s.exception {
			ex.Stacktrace = copyStacktrace(ex.Stacktrace)
			if ex.Mechanism != nil {
				m := *ex.Mechanism
				ex.Mechanism = &m
			}
			ev.Exception[i] = ex
		}
	}
	if len(s.threads) > 0 {
		ev.Threads = make([]sentry.Thread, len(s.threads))
		for i, th := range s.threads {
			th.Stacktrace = copyStacktrace(th.Stacktrace)
			ev.Threads[i] = th
		}
	}
	return ev
}

func copyStacktrace(st *sentry.Stacktrace) *sentry.Stacktrace {
	if st == nil {
		return nil
	}
	c := *st
	c.Frames = slices.Clone(st.Frames)
	return &c
}

type noise struct {
	mu           sync.Mutex
	recent       map[string]*seen
	lastSweep    time.Time
	summaryBytes int // held by the summaries in recent (see maxSummaryBytes)

	// A token bucket for each client (the process's, usually).
	rate    float64 // tokens per second; <= 0: no limit
	burst   float64
	buckets perClient[*bucket]
}

// reset forgets every fingerprint and restores the default rate limit.
func (n *noise) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, s := range n.recent { // a RepeatMemo may hold one: as swept
		s.settle()
		n.dropSummary(s)
		s.gone = true
	}
	n.recent, n.lastSweep, n.summaryBytes = map[string]*seen{}, time.Time{}, 0
	n.rate, n.burst = defaultRate, defaultBurst
	n.buckets.reset()
}

// Unlimit exempts client from the process-wide rate limit: for a test's
// client, which must see every event the code under test sends (a
// logcrumbstest Recorder's is exempt). Reset forgets it.
func (p *Process) Unlimit(client *sentry.Client) {
	p.unlimited.get(client, func() struct{} { return struct{}{} })
}

type bucket struct {
	tokens float64
	last   time.Time
	full   bool // tokens is set; a new bucket starts full
}

// SetRateLimit sets the process-wide limit on events per second and the
// burst allowed above it, starting with a full burst; a rate of zero or
// less removes the limit.
func (p *Process) SetRateLimit(perSecond float64, burst int) {
	n := &p.noise
	n.mu.Lock()
	defer n.mu.Unlock()
	n.rate, n.burst = perSecond, float64(max(burst, 1))
	n.buckets.each(func(_ *sentry.Client, b *bucket) { *b = bucket{} }) // a new limit starts with full buckets
}

// Verdict is what noise control decides for one event.
type Verdict struct {
	Send    bool
	Earlier string // the event this one repeats, when not sent
	// EarlierRef is the Earlier event's reference, if it has one: the
	// client may still be deciding it, and drop it after this verdict
	// (what names it then names no event, see eventref).
	EarlierRef *eventref.Ref
	// EarlierDropped is set when the client dropped the Earlier event
	// (BeforeSend, an event processor): this one repeats an event that
	// was never sent.
	EarlierDropped bool
	Repeats        int // suppressed repeats to report on the event sent
	Since          time.Time
	// Kept is set when the event sent was recorded as its fingerprint's
	// (deduplication on, and room in the table): only then does Sent keep
	// anything of it. Otherwise Sent has nothing to do, and need not be
	// called: the summary it would build for the event (two allocations)
	// would be thrown away.
	Kept bool
}

// Admit decides whether an event of fingerprint key (see
// AppendFingerprintKey), sent through client, may be sent at now (see
// admit).
func (p *Process) Admit(client *sentry.Client, key string, now time.Time, window time.Duration, id string) Verdict {
	v, evicted := p.noise.admit(client, key, now, window, eventref.Named{ID: id}, &p.unlimited)
	p.sendEvicted(evicted)
	return v
}

// AdmitEvent is Admit for the event ev, remembered by its reference: an
// event deduplicated against it while its client decides it names no
// event once the client drops it (Verdict.EarlierRef).
func (p *Process) AdmitEvent(client *sentry.Client, key string, now time.Time, window time.Duration, ev *eventref.Ref) Verdict {
	v, evicted := p.noise.admit(client, key, now, window, eventref.Of(ev), &p.unlimited)
	p.sendEvicted(evicted)
	return v
}

// sendEvicted sends, in a goroutine of its own, the summaries of the
// entries admit evicted to make room (see makeRoom): the event being
// captured does not wait for them; a Flush that begins meanwhile does
// (see TakePending).
func (p *Process) sendEvicted(evicted []pendingRepeats) {
	if len(evicted) > 0 {
		p.evicting.begin()
		go func() {
			defer p.evicting.end()
			p.sendTaken(evicted)
		}()
	}
}

// inFlight counts the goroutines handing over the summaries of evicted
// entries (see sendEvicted), for Flush to wait for.
type inFlight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed once n drops to 0; nil while it is 0
}

func (f *inFlight) begin() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		f.idle = make(chan struct{})
	}
	f.n++
}

func (f *inFlight) end() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n--; f.n == 0 {
		close(f.idle)
		f.idle = nil
	}
}

// done returns what is closed once the goroutines under way now are
// done, or nil when there are none.
func (f *inFlight) done() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.idle
}

// Repeat counts a capture-once hit now (see repeat).
func (p *Process) Repeat(key []byte, earlier string) {
	p.noise.repeat(key, earlier, time.Now)
}

// Sent records that the event id of fingerprint key, admitted by Admit,
// was handed to client: taken is whether CaptureEvent returned an ID. A
// taken event keeps the summary Flush sends for its pending repeats (see
// sent), read from event as sent. It does nothing for an event whose
// Verdict was not Kept.
func (p *Process) Sent(key, id string, client *sentry.Client, event *sentry.Event, taken bool) {
	var sum *summary
	if taken {
		sum = summaryOf(event)
	}
	p.noise.sent(key, id, client, sum)
}

// admit decides whether an event of fingerprint key may be sent at now:
// not if the same fingerprint was sent within window (it is counted as a
// repeat), nor if the rate limit has no token left (it is counted as
// dropped). A window of zero or less turns deduplication off. When it
// admits the event, it records id as the fingerprint's event at once, under
// the same lock: goroutines that log the same error while the event is
// being built are its repeats, not events of their own. When the table
// has no room for key, it returns the summaries of the entries it evicted
// to make some (see makeRoom), to be sent once the lock is released.
func (n *noise) admit(client *sentry.Client, key string, now time.Time, window time.Duration, ev eventref.Named, unlimited *perClient[struct{}]) (_ Verdict, evicted []pendingRepeats) {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.recent[key]
	if window > 0 && s != nil && now.Sub(s.sent) < window {
		if s.repeats == 0 {
			s.first = now
		}
		s.repeats++
		stats.EventsDeduplicated.Add(1)
		// The client may have dropped s's event without Sent yet: its
		// reference is marked first.
		return Verdict{Earlier: s.id, EarlierRef: s.ref, EarlierDropped: s.dropped || s.ref.Dropped()}, nil
	}
	if !n.take(client, now, unlimited, 0) {
		stats.EventsRateLimited.Add(1)
		return Verdict{}, nil
	}
	v := Verdict{Send: true}
	var before [3]string // the fingerprint's events, newest first, kept if the sweep drops s
	if s != nil {
		s.settle() // its events change
		v.Repeats, v.Since = s.repeats, s.first
		s.repeats = 0
		before = [3]string{s.id, s.before[0], s.before[1]}
	}
	if window <= 0 {
		return v, nil
	}
	// Sweep once a window, not only when the table is full: an entry keeps
	// its event's summary.
	if now.Sub(n.lastSweep) >= window {
		n.sweep(now, window)
		n.lastSweep = now
	}
	if s = n.recent[key]; s == nil {
		if len(n.recent) >= maxFingerprints {
			if room, evictable := n.sweep(now, window); !room {
				if evictable {
					evicted = n.makeRoom(now, window, unlimited)
				}
				if len(n.recent) >= maxFingerprints {
					return v, evicted // no room: this fingerprint is not deduplicated
				}
			}
		}
		s = &seen{key: key}
		n.recent[key] = s
	}
	n.dropSummary(s)
	s.sent, s.id, s.ref, s.before, s.client, s.dropped = now, ev.ID, ev.Ref, before, weak.Pointer[sentry.Client]{}, false
	v.Kept = true
	return v, evicted
}

// dropSummary forgets s's summary and the bytes it held.
func (n *noise) dropSummary(s *seen) {
	n.summaryBytes -= s.size
	s.summary, s.size = nil, 0
}

// repeat counts a capture-once hit at now(): a record whose errors its trail
// sent already, as the event earlier, so that it was not sent. It is a
// repeat of the fingerprint key when earlier is one of key's recent events
// (a hot loop logging one error value from one line), and is counted as
// suppressed: its count rides on the next event of the fingerprint or on
// the summary Flush sends. An upper layer that logs the error again, from
// another call site, has another key whose events are not earlier: one bug
// logged at several layers is one event, nothing to count. (It is not
// counted in Stats, which does not count capture-once hits.) The clock is
// read only for the first repeat since the fingerprint's event, when
// repeats_since is set: an error storm skips a record in a few hundred
// nanoseconds, and reading the clock costs up to a hundred on some VMs.
func (n *noise) repeat(key []byte, earlier string, now func() time.Time) {
	n.repeatNoting(key, earlier, nil, now)
}

// sent records through which client the event id of fingerprint key went,
// and what Flush should send if repeats are left pending (nil: the client
// dropped the event); until then, Flush leaves them for the next event of
// the fingerprint. A summary that would take the summaries past
// maxSummaryBytes is not kept: the repeats wait for the next event.
func (n *noise) sent(key, id string, client *sentry.Client, summary *summary) {
	size := 0
	if summary != nil {
		size = summary.bytes()
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.recent[key]
	if s == nil || s.id != id {
		return
	}
	s.client, s.dropped = weak.Make(client), summary == nil
	if summary != nil && n.summaryBytes+size > maxSummaryBytes {
		// The summaries of clients the program dropped can never be sent.
		for _, o := range n.recent {
			if o.summary != nil && clientGone(o) {
				n.dropSummary(o)
			}
		}
	}
	if summary != nil && n.summaryBytes+size <= maxSummaryBytes {
		s.summary, s.size = summary, size
		n.summaryBytes += size
	}
}

// sweep forgets the fingerprints that expired with nothing pending, and
// reports whether there is room now. One with repeats pending keeps its
// summary until Flush or the next event of its fingerprint reports them;
// one whose event the client dropped has no summary, and its repeats go
// with it (else they would hold a place in the table until the next event
// of the fingerprint, if ever), as do those of a client that was collected.
// evictable reports whether it kept one that expired with its event sent,
// which makeRoom would evict: a table full of fingerprints within their
// window is not gone through a second time for every new one.
func (n *noise) sweep(now time.Time, window time.Duration) (room, evictable bool) {
	for k, s := range n.recent {
		if now.Sub(s.sent) < window {
			continue
		}
		if s.repeats == 0 || s.dropped || clientGone(s) {
			n.dropSummary(s)
			delete(n.recent, k)
			s.settle()
			s.gone = true
		} else if s.client != (weak.Pointer[sentry.Client]{}) {
			evictable = true
		}
	}
	return len(n.recent) < maxFingerprints, evictable
}

// makeRoom evicts, when the table is full, the entries that sweep keeps
// though they expired: those with repeats pending, whose fingerprint was
// not logged again since. A program that calls Flush only as it exits
// would otherwise fill the table with them, and deduplicate no new
// fingerprint. It returns the summaries of their repeats that Flush would
// have sent, each taking a token of its client's rate limit from the upper
// half of the bucket only (a full table is a long-running program's, and
// its summaries are old news: the lower half stays for the events that
// follow). The summaries left without a token are dropped and counted as
// rate limited; the repeats of an entry without a summary (past
// maxSummaryBytes) are dropped. n.mu is held.
func (n *noise) makeRoom(now time.Time, window time.Duration, unlimited *perClient[struct{}]) (evicted []pendingRepeats) {
	for k, s := range n.recent {
		if now.Sub(s.sent) < window || s.client == (weak.Pointer[sentry.Client]{}) {
			// Not expired, or its event is still being handed to its
			// client (Sent has not come: a slow BeforeSend, a synchronous
			// transport), which gives it its summary: kept, as sweep
			// keeps it.
			continue
		}
		s.settle()
		if s.summary != nil && s.repeats > 0 {
			if c := s.client.Value(); c != nil && n.take(c, now, unlimited, n.burst/2) {
				evicted = append(evicted, pendingRepeats{client: s.client, summary: s.summary, repeats: s.repeats, first: s.first})
			} else {
				stats.EventsRateLimited.Add(1)
			}
		}
		n.dropSummary(s)
		delete(n.recent, k)
		s.gone = true
	}
	return evicted
}

// clientGone reports whether the client that sent s's event was collected:
// its summary can never be sent, and no event of its key can come (the key
// holds the client's number).
func clientGone(s *seen) bool {
	return s.client != (weak.Pointer[sentry.Client]{}) && s.client.Value() == nil
}

// take takes a token from client's bucket, refilled for the time since its
// last use, if more than reserve are left.
func (n *noise) take(client *sentry.Client, now time.Time, unlimited *perClient[struct{}], reserve float64) bool {
	if n.rate <= 0 || unlimited.has(client) {
		return true
	}
	b := n.buckets.get(client, func() *bucket { return new(bucket) })
	if !b.full {
		b.tokens, b.full = n.burst, true
	} else {
		b.tokens = min(n.burst, b.tokens+now.Sub(b.last).Seconds()*n.rate)
	}
	b.last = now
	if b.tokens < reserve+1 {
		return false
	}
	b.tokens--
	return true
}

// pendingRepeats is a fingerprint's repeats not yet reported, and what
// Flush sends for them.
type pendingRepeats struct {
	client  weak.Pointer[sentry.Client]
	summary *summary
	repeats int
	first   time.Time
}

// pending takes the fingerprints with repeats not yet reported, for Flush.
func (n *noise) pending() []pendingRepeats {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []pendingRepeats
	for _, s := range n.recent {
		if s.repeats > 0 && s.summary != nil {
			s.settle()
			out = append(out, pendingRepeats{client: s.client, summary: s.summary, repeats: s.repeats, first: s.first})
			s.repeats = 0
		}
	}
	return out
}

// AppendFingerprintKey appends to b what makes two events the same for
// deduplication: the client (by its ClientID: a new client starts clean,
// wherever it is allocated), then the user's fingerprint when the record
// has one, else the logger, the call site of the log call, and the types of
// the errors and of the errors they wrap (or, without errors, the
// message). It appends, rather than returning a string, so that a
// capture-once repeat (see repeat) looks its key up without allocating it.
func AppendFingerprintKey(b []byte, client *sentry.Client, logger string, userFingerprint []string, site string, errs []error, msg string) []byte {
	return AppendFingerprintKeyOf(b, ClientID(client), logger, userFingerprint, site, errs, msg)
}

// AppendFingerprintKeyOf is AppendFingerprintKey for the client of number
// client (ClientID).
func AppendFingerprintKeyOf(b []byte, client uint64, logger string, userFingerprint []string, site string, errs []error, msg string) []byte {
	b = strconv.AppendUint(b, client, 16)
	b = append(b, '|')
	b = append(b, logger...)
	if len(userFingerprint) > 0 {
		b = append(b, "|fp"...)
		for _, s := range userFingerprint {
			b = append(b, '|')
			b = append(b, s...)
		}
		return b
	}
	b = append(b, '|')
	b = append(b, site...)
	if len(errs) == 0 {
		b = append(b, "|msg|"...)
		b = append(b, msg...)
	}
	for _, err := range errs {
		b = append(b, '|')
		n := 0
		b = appendChainTypes(b, err, &n)
	}
	return b
}

// maxKeyChain bounds how many errors of a record's error chains the key
// names, so that a very deep or cyclic chain cannot stall an event.
const maxKeyChain = 64

// appendChainTypes appends the type of err and of the errors it wraps
// (Unwrap, Unwrap []error, Cause: the exceptions sentry-go makes of it),
// depth first, each after '<', a join's members between '[' and ']', at
// most maxKeyChain of them in all (n counts them). Sentry groups an event
// by its whole exception chain: two bugs that one log call logs wrapped
// in one wrapper type ("load: %w" of a database error, "decode: %w" of a
// JSON one) are two issues, and must not be deduplicated as one. An
// Unwrap or Cause that panics ends the chain.
func appendChainTypes(b []byte, err error, n *int) []byte {
	for first := true; err != nil && *n < maxKeyChain; first = false {
		*n++
		if !first {
			b = append(b, '<')
		}
		b = append(b, typeName(err)...)
		many, one := wrapped(err)
		if many != nil {
			b = append(b, '[')
			for _, e := range many {
				if e != nil {
					b = appendChainTypes(append(b, '<'), e, n)
				}
			}
			return append(b, ']')
		}
		err = one
	}
	return b
}

// wrapped returns what err wraps, as sentry-go's exceptions follow it:
// Unwrap() []error, else Unwrap() error, else Cause() error; nothing when
// the method panics.
func wrapped(err error) (many []error, one error) {
	defer func() {
		if recover() != nil {
			many, one = nil, nil
		}
	}()
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		return u.Unwrap(), nil
	case interface{ Unwrap() error }:
		return nil, u.Unwrap()
	case interface{ Cause() error }:
		return nil, u.Cause()
	}
	return nil, nil
}

// RepeatsContext is the context an event gets when it follows suppressed
// repeats.
func RepeatsContext(v Verdict) sentry.Context {
	return sentry.Context{"repeats": v.Repeats, "repeats_since": v.Since.UTC().Format(time.RFC3339Nano)}
}

func typeName(err error) string { return reflect.TypeOf(err).String() }

// TakePending takes, for every fingerprint with repeats not yet reported,
// the summary that says how many (an event of the same issue as the
// fingerprint's last event, see summary), and returns what sends them, or
// nil when there are none: Flush hands them over in a goroutine of its own
// only when there are any. What it returns also waits for the summaries a
// full table is handing over to make room (see sendEvicted), which Flush
// answers for as for its own; with those under way, it is not nil.
func (p *Process) TakePending() (send func()) {
	evicting := p.evicting.done()
	pending := p.noise.pending()
	if len(pending) == 0 && evicting == nil {
		return nil
	}
	return func() {
		p.sendTaken(pending)
		if evicting != nil {
			<-evicting
		}
	}
}

// sendTaken sends the summaries of pending (see TakePending).
func (p *Process) sendTaken(pending []pendingRepeats) {
	for _, s := range pending {
		client := s.client.Value()
		if client == nil {
			continue // the client that sent the event is gone: so is its summary
		}
		// No scope: the event had the scope's tags and fingerprint when it
		// was sent, and the summary has them from it; nor the trail (the
		// hint marks it as logcrumbs' own, which units of work leave alone).
		ev := s.summary.event(s.repeats, s.first)
		ev.EventID = sentry.EventID(NewEventID())
		p.sendSummary(client, ev)
	}
}

// sendSummary hands a summary event to client. Like every capture of
// logcrumbs', it never panics: a panic in the user's BeforeSend or event
// processor drops the event (counted failed) and forgets its hand-over.
func (p *Process) sendSummary(client *sentry.Client, ev *sentry.Event) {
	var handover Handover
	defer func() {
		panicked := recover() != nil
		handover.Abandon() // nothing once Done; else CaptureEvent panicked, or ended its goroutine
		if panicked {
			stats.EventsFailed.Add(1)
		}
	}()
	handover = p.HandingOver(client, ev.EventID) // first: sentry-go may deliver it before CaptureEvent returns
	if handover.Done(client.CaptureEvent(ev, &sentry.EventHint{Data: Ours{}}, nil)) {
		stats.EventsSent.Add(1)
	}
}

// NewEventID returns a new random event ID.
func NewEventID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
