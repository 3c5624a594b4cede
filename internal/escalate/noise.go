package escalate

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// Noise control is process-wide, as Sentry's quota is: one table of recent
// fingerprints and one rate limit, shared by every integration, for each
// Sentry client (a program has one; tests with a client each do not disturb
// each other).

// DefaultDedupeWindow is how long an event's fingerprint suppresses the
// same event when Options.DedupeWindow is zero.
const DefaultDedupeWindow = 5 * time.Second

// maxFingerprints bounds the dedupe table; past it, new fingerprints are
// not deduplicated until old ones expire.
const maxFingerprints = 4096

// RepeatsKey names the event context that counts the events suppressed as
// repeats of this one since the previous one of its fingerprint.
const RepeatsKey = "logcrumbs"

type seen struct {
	sent    time.Time     // when the last event of the fingerprint was sent
	id      string        // its ID
	repeats int           // events suppressed since
	first   time.Time     // when the first of them was suppressed
	summary *sentry.Event // what Flush sends for pending repeats
	hub     *sentry.Hub   // through which
}

type noise struct {
	mu        sync.Mutex
	recent    map[string]*seen
	lastSweep time.Time

	// A token bucket for each client (the process's, usually).
	rate    float64 // tokens per second; <= 0: no limit
	burst   float64
	buckets perClient[*bucket]
}

// unlimited are the clients the rate limit does not apply to (see
// Unlimit).
var unlimited perClient[struct{}]

// Unlimit exempts client from the process-wide rate limit: for a test's
// recording client, which must see every event the code under test sends.
func Unlimit(client *sentry.Client) {
	unlimited.get(client, func() struct{} { return struct{}{} })
}

type bucket struct {
	tokens float64
	last   time.Time
	full   bool // tokens is set; a new bucket starts full
}

var theNoise = &noise{recent: map[string]*seen{}, rate: 10, burst: 100}

// SetRateLimit sets the process-wide limit on events per second and the
// burst allowed above it, starting with a full burst; a rate of zero or
// less removes the limit.
func SetRateLimit(perSecond float64, burst int) {
	n := theNoise
	n.mu.Lock()
	defer n.mu.Unlock()
	n.rate, n.burst = perSecond, float64(max(burst, 1))
	n.buckets.each(func(_ *sentry.Client, b *bucket) { *b = bucket{} }) // a new limit starts with full buckets
}

// verdict is what noise control decides for one event.
type verdict struct {
	send    bool
	earlier string // the event this one repeats, when not sent
	repeats int    // suppressed repeats to report on the event sent
	since   time.Time
}

// admit decides whether an event of fingerprint key may be sent at now:
// not if the same fingerprint was sent within window (it is counted as a
// repeat), nor if the rate limit has no token left (it is counted as
// dropped). A window of zero or less turns deduplication off. When it
// admits the event, it records id as the fingerprint's event at once, under
// the same lock: goroutines that log the same error while the event is
// being built are its repeats, not events of their own.
func (n *noise) admit(client *sentry.Client, key string, now time.Time, window time.Duration, id string) verdict {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.recent[key]
	if window > 0 && s != nil && now.Sub(s.sent) < window {
		if s.repeats == 0 {
			s.first = now
		}
		s.repeats++
		stats.EventsDeduplicated.Add(1)
		return verdict{earlier: s.id}
	}
	if !n.take(client, now) {
		stats.EventsRateLimited.Add(1)
		return verdict{}
	}
	v := verdict{send: true}
	if s != nil {
		v.repeats, v.since = s.repeats, s.first
		s.repeats = 0
	}
	if window <= 0 {
		return v
	}
	// Sweep once a window, not only when the table is full: an entry keeps
	// its event's hub, and so its client, reachable.
	if now.Sub(n.lastSweep) >= window {
		n.sweep(now, window)
		n.lastSweep = now
	}
	if s = n.recent[key]; s == nil {
		if len(n.recent) >= maxFingerprints && !n.sweep(now, window) {
			return v // no room: this fingerprint is not deduplicated
		}
		s = new(seen)
		n.recent[key] = s
	}
	s.sent, s.id, s.hub, s.summary = now, id, nil, nil
	return v
}

// sent records through which hub the event id of fingerprint key went, and
// what Flush should send if repeats are left pending; until then, Flush
// leaves them for the next event of the fingerprint.
func (n *noise) sent(key, id string, hub *sentry.Hub, summary *sentry.Event) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if s := n.recent[key]; s != nil && s.id == id {
		s.hub, s.summary = hub, summary
	}
}

// sweep forgets the fingerprints that expired with nothing pending, and
// reports whether there is room now. One with repeats pending keeps its hub
// until Flush or the next event of its fingerprint reports them.
func (n *noise) sweep(now time.Time, window time.Duration) bool {
	for k, s := range n.recent {
		if s.repeats == 0 && now.Sub(s.sent) >= window {
			delete(n.recent, k)
		}
	}
	return len(n.recent) < maxFingerprints
}

// take takes a token from client's bucket, refilled for the time since its
// last use.
func (n *noise) take(client *sentry.Client, now time.Time) bool {
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
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// pending takes the fingerprints with repeats not yet reported, for Flush.
func (n *noise) pending() []*seen {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []*seen
	for _, s := range n.recent {
		if s.repeats > 0 && s.summary != nil {
			c := *s
			out = append(out, &c)
			s.repeats = 0
		}
	}
	return out
}

// fingerprintKey is what makes two events the same for deduplication: the
// user's fingerprint when the record has one, else the logger, the call
// site of the log call, and the types of the errors (or, without errors,
// the message).
func fingerprintKey(client *sentry.Client, logger string, userFingerprint []string, site string, errs []error, msg string) string {
	var b strings.Builder
	n := 16 + 2 + len(logger) + 4 + len(site) + 5 + len(msg) // one allocation for most keys
	for _, s := range userFingerprint {
		n += 1 + len(s)
	}
	b.Grow(n + 48*len(errs))
	var num [16]byte
	b.Write(strconv.AppendUint(num[:0], uint64(uintptr(unsafe.Pointer(client))), 16))
	b.WriteString("|")
	b.WriteString(logger)
	if len(userFingerprint) > 0 {
		b.WriteString("|fp|")
		b.WriteString(strings.Join(userFingerprint, "|"))
		return b.String()
	}
	b.WriteString("|")
	b.WriteString(site)
	if len(errs) == 0 {
		b.WriteString("|msg|")
		b.WriteString(msg)
	}
	for _, err := range errs {
		b.WriteString("|")
		b.WriteString(typeName(err))
	}
	return b.String()
}

// repeatsContext is the context an event gets when it follows suppressed
// repeats.
func repeatsContext(v verdict) sentry.Context {
	return sentry.Context{"repeats": v.repeats, "repeats_since": v.since.UTC().Format(time.RFC3339Nano)}
}

// summaryText is the message Flush sends for pending repeats.
func summaryText(n int, of string) string {
	return "logcrumbs: " + strconv.Itoa(n) + " more events like this were suppressed: " + of
}

func typeName(err error) string { return reflect.TypeOf(err).String() }

// SendPending sends, for every fingerprint with repeats not yet reported,
// an event that says how many.
func SendPending() {
	for _, s := range theNoise.pending() {
		ev := *s.summary
		ev.Message = summaryText(s.repeats, s.summary.Message)
		ev.Contexts = map[string]sentry.Context{RepeatsKey: repeatsContext(verdict{repeats: s.repeats, since: s.first})}
		ev.EventID = sentry.EventID(newEventID())
		sendSummary(s.hub, &ev)
	}
}

// sendSummary hands a summary event to hub's client. Like every capture of
// logcrumbs', it never panics: a panic in the user's BeforeSend or event
// processor drops the event (counted failed) and forgets its hand-over.
func sendSummary(hub *sentry.Hub, ev *sentry.Event) {
	var handover handover
	defer func() {
		if recover() != nil {
			handover.abandon()
			stats.EventsFailed.Add(1)
		}
	}()
	handover = handingOver(hub.Client(), ev.EventID)
	if handover.done(hub.CaptureEvent(ev)) {
		stats.EventsSent.Add(1)
	}
}
