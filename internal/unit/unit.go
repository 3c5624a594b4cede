// Package unit is the lifecycle of a unit of work (a request, a job): a
// trail bound to the hub it reports through, and that hub's event
// processor, which gives other code's events the trail, keeps capture-once
// across them and keeps one panic from becoming two events. Middleware,
// RunJob and Bind of the root package start units; internal/escalate notes
// the panics and errors they report.
package unit

import (
	"context"
	"math"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/event"
	"github.com/logcrumbs/logcrumbs/internal/eventref"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// A Unit is one unit of work (a request, a job): a trail bound to the hub
// it reports through. Every event captured through the hub's scope passes
// the unit's event processor, which
//   - gives events that other code captures (hub.CaptureException,
//     sentryhttp's panic recovery, other integrations) the unit's trail, as
//     logcrumbs' own events have it;
//   - keeps capture-once across them: an error captured by hand is
//     remembered by the trail, so that logging it later sends no second
//     event, and an error logcrumbs already sent is not sent again by hand,
//     nor as a panic another integration recovers;
//   - keeps one panic from becoming two events when logcrumbs and another
//     integration (sentryhttp, or a second logcrumbs middleware) both
//     recover it, in whichever order they are nested.
type Unit struct {
	hub     *sentry.Hub
	trail   *buffer.Trail
	builder *event.Builder // scrubs the trail on other code's events
	// parent is the unit of work a child unit (BindChild: NewChildContext)
	// was made in, nil for any other: a child has no recovery of its own,
	// so a panic its logger raises, used on the parent's goroutine, goes
	// on up to the parent's Middleware or RunJob, which must know it was
	// reported (see noteUp). Middleware and RunJob tell the unit they run
	// in themselves, when they recover a panic that goes on.
	parent *Unit

	mu        sync.Mutex
	recovered any // the panic already reported, when has is set
	has       bool
	// own is set when recovered was reported through the unit's own hub
	// (or folded into an earlier event of its own: Sent), not only
	// through the hub of a unit of work nested in it (a job it runs),
	// whose panic may have been recovered there (JobOptions.Recover) and
	// so say nothing of a panic the unit meets later.
	own bool
	// hasText: panicValue reads as panicText (NotePanicText). Here, by
	// the other flags, in one word.
	hasText bool
	// tentative is set when recovered was noted by a record after which
	// its logger may not panic (NotePanic's tentative), of the unit's own
	// or of a child's (own unset then: see noteUp): any later report of
	// the unit's takes its place. By the other flags, in their word.
	tentative bool
	eventID   sentry.EventID
	// eventRef is eventID's reference, when it has one (an event
	// logcrumbs handed to a client, which may be deciding it still, and
	// drop it: see eventref): ReportedAs names it by it.
	eventRef *eventref.Ref
	// displaced is the tentative note (see NotePanic) that a later report
	// took the place of, if any: its logger may have panicked after all (a
	// development DPanic, whose panic unwinds while another goroutine of
	// the unit reports a panic of its own), and Reported and ReportedAs
	// still answer for its value. Or it is the last report that did not
	// take the place of a firm note of the unit's own (see aside): the
	// panic of that note may have been recovered (a worker of the unit's
	// that recovers its own), and the later one be the panic that goes on
	// up. Made only then: a pointer in every Unit, not the note.
	displaced  *panicNote
	panicValue any
	panicText  string

	// key is the unit's marker (see unitMarker), a string over keyBytes:
	// written once in Bind, before key is made, and never again.
	key      string
	keyBytes [markerLen]byte
}

type unitKey struct{}

// panicNote is a panic noted as reported, and its event.
type panicNote struct {
	value any
	id    sentry.EventID
	ref   *eventref.Ref
}

// displace keeps the tentative note that a report is about to take the
// place of (see Unit.displaced). u.mu is held.
//
//go:noinline
func (u *Unit) displace() {
	if u.has && u.tentative { // the unit's own, or a child's (noteUp)
		u.displaced = &panicNote{u.recovered, u.eventID, u.eventRef}
	}
}

// aside keeps the report of the panic p as id, which does not take the
// place of the firm note of the unit's own (see replaceable), aside
// (Unit.displaced), unless it is that note's panic: the note's panic may
// have been recovered, and p be the one a later recovery of the unit
// meets. u.mu is held.
//
//go:noinline
func (u *Unit) aside(p any, id sentry.EventID, ref *eventref.Ref) {
	if !samePanic(u.recovered, p) {
		u.displaced = &panicNote{p, id, ref}
	}
}

// displacedAs returns the displaced note (see Unit.displaced) if p is its
// value. u.mu is held.
func (u *Unit) displacedAs(p any) (*panicNote, bool) {
	if d := u.displaced; d != nil && samePanic(d.value, p) {
		return d, true
	}
	return nil, false
}

// Bind returns a context that belongs to a new Unit of trail and hub, whose
// processor it adds to hub's scope. hub is the unit's own (a clone, or one a
// request already has). A nil trail gives the unit a new trail of
// buffer.DefaultCapacity. The trail goes on other code's events scrubbed as
// b scrubs (event.Default if b is nil). The context carries the unit, its
// trail (buffer.FromContext) and its hub (sentry.GetHubFromContext).
//
// A hub the unit did not clone for itself (one a request already had, or
// one a program binds) is remembered as bound, so that a later unit of
// work that finds it on its context takes a clone instead (see Bound);
// shared says so. A hub cloned for the unit is reachable only through the
// unit's context, which Bound checks without remembering it.
func Bind(ctx context.Context, hub *sentry.Hub, trail *buffer.Trail, b *event.Builder, shared bool) (context.Context, *Unit) {
	var c *unitContext
	if trail == nil {
		own := &ownTrailContext{}
		trail, c = own.trail.Init(), &own.unitContext
	} else {
		c = &unitContext{}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	c.Context = ctx
	u := &c.unit
	u.hub, u.trail, u.builder = hub, trail, b
	scope := hub.Scope()
	// A clone of a bound hub (a job's, from its request's) inherits the
	// processors of the units bound to the original: the marker says which
	// unit the hub is now bound to, so that only that unit's trail and
	// capture-once act on its events.
	scope.SetContext(u.markKey(bindSeq.Add(1)), nil)
	scope.AddEventProcessor(u.process)
	if shared {
		policy.Default().BindHub(hub)
	}
	return c, u
}

// BindChild is Bind for a child unit of the unit of work of ctx
// (NewChildContext: work beside or after it, which has no recovery of its
// own): the panics noted for the child are noted for the units it was made
// in too, as a nested unit's panic going on up through them (see
// ReportedNested), since that is where one raised on their goroutine is
// recovered.
func BindChild(ctx context.Context, hub *sentry.Hub, trail *buffer.Trail, b *event.Builder) context.Context {
	parent := lookup(ctx)
	ctx, u := Bind(ctx, hub, trail, b, false)
	u.parent = parent
	return ctx
}

// noteUp notes the panic p, reported as ev (or, ev empty, under no event),
// for the units u is a child of (see BindChild). tentative is NotePanic's:
// a child's tentative note is tentative in its parent too, and kept aside
// there when a later report takes its place (see Unit.displaced).
func (u *Unit) noteUp(p any, ev eventref.Named, tentative bool) {
	if u.parent != nil {
		u.parent.reportedNested(p, ev, tentative)
	}
}

// Trail returns the unit's trail.
func (u *Unit) Trail() *buffer.Trail { return u.trail }

// unitMarker is the prefix of the scope contexts that mark the units a hub
// is bound to: unitMarker, a dot and the 16 hex digits of the unit's bind
// sequence number (bindSeq), with a nil value. The unit bound last is the
// one whose key is greatest (fixed width: the byte order is the number
// order), as a single context overwritten by each Bind would say; the
// owning unit's processor removes every marker from the event: none leaves
// the process.
//
// A key of its own per unit, not one key holding the unit in its value: a
// value is a map of its own (two allocations a request, and two more for
// every event's copy of it), where the key is made in the unit's own
// storage and a nil value copies as one empty map. Keys of one content
// would be one map entry, so each unit's is numbered, and the numbers give
// the order of the binds.
const unitMarker = "logcrumbs.unit"

// markerLen is the length of a marker key.
const markerLen = len(unitMarker) + 1 + 16

// bindSeq numbers the units in the order they are bound.
var bindSeq atomic.Uint64

// markKey writes u's marker key for bind number n into u's own storage and
// returns it. The string shares keyBytes, which are never written again
// (unsafe.String's rule), so that a unit's marker allocates nothing of its
// own: only its entry in the scope's contexts.
func (u *Unit) markKey(n uint64) string {
	const hex = "0123456789abcdef"
	b := &u.keyBytes
	copy(b[:], unitMarker+".")
	for i := markerLen - 1; i > len(unitMarker); i-- {
		b[i] = hex[n&0xf]
		n >>= 4
	}
	u.key = unsafe.String(&b[0], markerLen)
	return u.key
}

// isMarker reports whether the context key k is a unit's marker.
func isMarker(k string) bool {
	return len(k) == markerLen && strings.HasPrefix(k, unitMarker) && k[len(unitMarker)] == '.'
}

// owner returns the marker key of the unit that the scope an event was
// captured through is bound to (the greatest, the last bound), or "" for
// an event with no marker, and the number of markers.
func owner(contexts map[string]sentry.Context) (last string, markers int) {
	for k := range contexts {
		if isMarker(k) {
			markers++
			if k > last {
				last = k
			}
		}
	}
	return last, markers
}

// smallMarkers is the most markers an event's contexts keep for the units'
// processors to look through: a request's, its job's and a few more nested.
const smallMarkers = 4

// Bound reports whether a unit of work was bound to hub: the unit of ctx,
// or one that Bind was told found hub shared. A hub shared by units of work
// (one on a base context every request inherits) is bound by the first,
// and the others must take a clone of it.
func Bound(ctx context.Context, hub *sentry.Hub) bool {
	if u, ok := ctx.Value(unitKey{}).(*Unit); ok && u.hub == hub {
		return true
	}
	return policy.Default().HubBound(hub)
}

// UnitTrail returns the trail of the unit of work ctx belongs to (one bound
// by Bind), or nil.
func UnitTrail(ctx context.Context) *buffer.Trail {
	if u := lookup(ctx); u != nil {
		return u.trail
	}
	return nil
}

// HubOf returns the hub of the unit of work ctx belongs to, or nil.
func HubOf(ctx context.Context) *sentry.Hub {
	if u := lookup(ctx); u != nil {
		return u.hub
	}
	return nil
}

// BuilderOf returns the builder that scrubs the trail on other code's
// events in the unit of work ctx belongs to, or nil.
func BuilderOf(ctx context.Context) *event.Builder {
	if u := lookup(ctx); u != nil {
		return u.builder
	}
	return nil
}

// Of returns the unit ctx belongs to, or a throwaway one.
func Of(ctx context.Context) *Unit {
	if u := lookup(ctx); u != nil {
		return u
	}
	return new(Unit)
}

// lookup returns the unit ctx belongs to, or nil.
func lookup(ctx context.Context) *Unit {
	if ctx == nil {
		return nil
	}
	u, _ := ctx.Value(unitKey{}).(*Unit)
	return u
}

func (u *Unit) process(event *sentry.Event, hint *sentry.EventHint) *sentry.Event {
	// The unit the hub is bound to adds its trail and keeps capture-once;
	// the units of the hubs it was cloned from only learn of a panic it
	// reports, so that the panic going on up through them is not reported
	// again. (No marker: the scope was cleared; every unit acts.)
	last, markers := owner(event.Contexts)
	mine := last == "" || last == u.key
	switch {
	case markers > smallMarkers:
		// A hub bound again and again: the first unit's processor keeps
		// the owner's marker only (none, if it is the owner's), in a new
		// map of the event's contexts
		// (a map's range goes through every slot it ever grew to), so that
		// the processors after the first look through a few contexts, not
		// one marker per unit the scope was ever bound to: an event would
		// cost the square of the binds. The markers go from the event's
		// map too, as the owner's deletion takes them from it: it may be
		// the program's, given with the event and used again.
		kept := make(map[string]sentry.Context, len(event.Contexts)-markers+1)
		for k, v := range event.Contexts {
			if !isMarker(k) || (!mine && k == last) {
				kept[k] = v
			}
			if isMarker(k) {
				delete(event.Contexts, k)
			}
		}
		event.Contexts = kept
	case mine && last != "":
		for k := range event.Contexts {
			if isMarker(k) {
				delete(event.Contexts, k)
			}
		}
	}
	if event.Type != "" { // transactions, check-ins, logs: no breadcrumbs
		return event
	}
	if hint == nil {
		hint = &sentry.EventHint{}
	}
	_, ours := hint.Data.(policy.Ours)
	byHand := mine && !ours && u.trail != nil // logcrumbs notes its own events' IDs
	if byHand {
		if err := hint.OriginalException; err != nil && hint.RecoveredException == nil {
			// Noted with the look-up, by the earlier event's reference:
			// its client may be deciding it still, and drop it.
			if _, first := u.trail.CaptureByHandNoted(err, string(event.EventID), event.Timestamp); !first {
				return nil // logcrumbs sent this error already, or one wrapping it
			}
		}
		// A panic another integration recovered (sentryhttp's
		// hub.RecoverWithContext) with an error the unit already sent, or
		// one wrapping it, is that error: one event. The panic counts as
		// reported under that event, so that logcrumbs' own recovery
		// further out sends nothing either.
		if err, ok := hint.RecoveredException.(error); ok && !render.IsNil(err) {
			if earlier, first := u.trail.CaptureByHandNoted(err, string(event.EventID), event.Timestamp); !first {
				u.Sent(hint.RecoveredException, earlier)
				return nil
			}
		}
		u.addTrail(event)
	}
	if hint.RecoveredException != nil && !u.firstReport(event, hint.RecoveredException, mine) {
		return nil
	}
	if byHand && hint.RecoveredException != nil && len(event.Exception) == 0 {
		// A logger's panic value noted as text (logrus' *Entry), which
		// the integration that recovered it (sentryhttp) printed as a Go
		// value, its fields unscrubbed: it reads as its message, as
		// Middleware's and RunJob's reports of it do.
		if text, ok := u.PanicText(hint.RecoveredException); ok {
			event.Message = text
		}
	}
	if byHand {
		// Noted when the event leaves the unit's scope: a BeforeSend or
		// client processor that drops it later is not seen.
		u.trail.NoteEvent(string(event.EventID))
		// An error captured by hand is an event of the unit's, with its
		// trail, as an error record's is: Options.PassThroughLevel holds
		// from now on. A message (CaptureMessage, info) is no error. The
		// fallback trail (a hub bound to it) is no unit of work, as in
		// escalate: every later context-less record would pass through.
		if (len(event.Exception) > 0 || event.Level == sentry.LevelError || event.Level == sentry.LevelFatal) && u.trail != buffer.Fallback() {
			u.trail.MarkEscalated()
		}
	}
	return event
}

// firstReport reports whether event, which reports the recovered panic p,
// must go on: no other event reported p. mine says whether the event was
// captured through the unit's own hub; else through the hub of a unit of
// work nested in it (a job it runs), which the unit only learns from: the
// nested unit's panic is the one going on up through this unit, unless it
// was recovered there (JobOptions.Recover). A panic noted from a nested
// unit never drops the event of another nested unit: jobs run one after
// another (a consumer's messages, each a RunJob with Recover) may each
// panic with an equal value (any two nil dereferences, one text), and
// each is an event.
func (u *Unit) firstReport(event *sentry.Event, p any, mine bool) bool {
	if mine { // another integration (sentryhttp) recovered it first
		u.adopt(p)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.has && p == http.ErrAbortHandler {
		return false // the abort of a response cut by a panic already reported
	}
	if u.has && (mine || u.own) && event.EventID != u.eventID && samePanic(u.recovered, p) {
		return false // this panic was reported already
	}
	if d, ok := u.displacedAs(p); ok && event.EventID != d.id {
		return false // by a tentative note a later one took the place of
	}
	// The first report, or one that takes the place of a nested unit's
	// (or of a tentative note): the panic a later recovery of this unit
	// will meet is the last one reported. Else kept aside when it is the
	// unit's own; not one of a nested unit's, each of which is an event
	// (jobs run one after another, recovering their panics).
	u.take(p, event.EventID, nil, mine, false, mine)
	return true
}

// Sent notes that the panic p was reported as id (or, capture-once, under
// an earlier event), so that the unit drops any other report of it.
//
// ev's reference, if any, is the event's: one the client is deciding
// still (an earlier event the panic was folded into) and drops names no
// event in ReportedAs.
func (u *Unit) Sent(p any, ev eventref.Named) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.take(p, sentry.EventID(ev.ID), ev.Ref, true, false, true)
}

// sentTentative is Sent for the tentative note of NotePanic. Sent is not a
// wrapper of a function of both: inlined into escalate's capture, whose
// frame every event's stack trace reads, it lengthened the tables that
// runtime.Callers decodes for it (about 700 instructions an event,
// cachegrind, ZapEvent/json+logcrumbs-empty).
func (u *Unit) sentTentative(p any, ev eventref.Named) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.take(p, sentry.EventID(ev.ID), ev.Ref, true, true, true)
}

// replaceable reports whether a report of the unit's own takes the place
// of the panic noted: none is, or one a nested unit reported, or a
// tentative note (see NotePanic). u.mu is held.
func (u *Unit) replaceable() bool { return !u.has || !u.own || u.tentative }

// take notes p, reported as id (ref), as the unit's panic, own (the unit's
// report, not a nested unit's) and tentative as given, when a report of
// the unit's own may take the place of the one noted (replaceable), a
// tentative note it replaces kept aside (displace); else it keeps p aside
// when asideToo. It reports whether p took the place. u.mu is held.
func (u *Unit) take(p any, id sentry.EventID, ref *eventref.Ref, own, tentative, asideToo bool) bool {
	if !u.replaceable() {
		if asideToo {
			u.aside(p, id, ref)
		}
		return false
	}
	if u.tentative {
		u.displace()
	}
	u.recovered, u.has, u.own, u.eventID, u.eventRef = p, true, own, id, ref
	u.tentative = tentative
	return true
}

// NotSentNested notes that the event which reported the panic p from a
// unit of work nested in u (a job it runs), noted by u's processor before
// the client's BeforeSend or an event processor dropped it, was not sent:
// p stays reported, under no event, so that u's recovery of it neither
// names that event nor offers p again.
func (u *Unit) NotSentNested(p any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.has && !u.own && samePanic(u.recovered, p) {
		u.eventID, u.eventRef = "", nil
	}
}

// ReportedNested notes that the panic p from a unit of work nested in u
// (a job it runs), going on up through u, was reported as the event id
// ("": none was sent), also
// when that event never passed u's processor (an earlier event it folded
// into: capture once; a dropped or rate-limited one): u's recovery of p
// names id and does not offer p again. As for a panic u's processor notes
// from a nested unit, it takes the place of another nested unit's, or of
// a tentative note of u's own (see NotePanic), never of a report of u's:
// it is kept aside then (see aside).
//
// A child unit (BindChild) notes it for its parent too.
func (u *Unit) ReportedNested(p any, ev eventref.Named) { u.reportedNested(p, ev, false) }

// reportedNested is ReportedNested for a note that may be tentative: a
// child unit's tentative note (see noteUp), which the next report takes
// the place of, as it takes a tentative note of the unit's own.
func (u *Unit) reportedNested(p any, ev eventref.Named, tentative bool) {
	u.mu.Lock()
	u.take(p, sentry.EventID(ev.ID), ev.Ref, false, tentative, true)
	u.mu.Unlock()
	u.noteUp(p, ev, tentative)
}

// NotePanic tells the unit of work of ctx that the panic p, which a logger
// raises after logging at its panic level (zap's Panic and zerolog's Panic
// panic with the message), was reported as the event id: the middleware or
// job that recovers it sends no second event. An empty id notes nothing.
//
// With no unit of work in ctx (a logger used without its context: logrus'
// global logger), a p that is a pointer, unique to the log call (logrus'
// *Entry), is noted for the unit whose Middleware or RunJob recovers it
// (see orphans); any other p (the message zap and zerolog panic with) for
// the unit that recovers it on this goroutine, bound before (see
// goOrphans).
//
// ev's reference, if any, is the event's (see Sent).
//
// tentative says the logger may not panic after the record (zap's DPanic,
// which panics only in a development logger; a Fatal, which panics only
// with a hook that does): the note then gives way to any later report of
// the unit's own, so that a panic after a record that raised none (a Panic
// record after a DPanic in production) is not taken for a panic reported;
// kept aside (Unit.displaced), it still answers for its own value, which
// its logger may have panicked with after all.
//
// The note of a child unit (BindChild) is its parent's too (noteUp).
func NotePanic(ctx context.Context, p any, ev eventref.Named, tentative bool) {
	if ev.ID == "" {
		return
	}
	if lookup(ctx) == nil {
		// The last note of a goroutine's is the one its unit adopts (see
		// goOrphans), tentative or not.
		if isPointer(p) {
			noteOrphan(p, func(o *orphan) { o.id, o.ref, o.hasID = sentry.EventID(ev.ID), ev.Ref, true })
		} else {
			noteGoOrphan(p, ev)
		}
		return
	}
	u := Of(ctx)
	if tentative {
		u.sentTentative(p, ev)
	} else {
		u.Sent(p, ev)
	}
	u.noteUp(p, ev, tentative) // a child unit's panic goes on up to its parent's recovery
}

// goOrphans are the panics noted with no unit of work in their context
// (see NotePanic) whose value is no pointer: the message that zap's and
// zerolog's Panic records panic with, which is not unique to the log call,
// as logrus' *Entry is. Such a panic is recovered, if ever, on the
// goroutine that logged it, by a unit of work bound before it was logged
// (its Middleware or RunJob is further up that goroutine's stack): a note
// is taken only by such a unit, on that goroutine, for an equal value. A
// note the program's own recover left is taken by none bound later on the
// goroutine (the next request of a keep-alive connection). Up to
// maxGoOrphans notes are kept; beyond, the oldest is forgotten.
var goOrphans struct {
	mu    sync.Mutex
	list  [maxGoOrphans]goOrphan
	next  int
	count atomic.Int32 // notes held: adopt looks up nothing while it is 0
}

// maxGoOrphans bounds the notes goOrphans keeps.
const maxGoOrphans = 64

// maxGoOrphanText bounds the message a note keeps: a note no unit takes
// (the program's own recover took its panic) stays until 64 others come,
// and its message with it. A longer one is not noted (its panic is a
// second event, as it was before notes were kept).
const maxGoOrphanText = 16 << 10

type goOrphan struct {
	goid  uint64 // 0: a free slot
	bound uint64 // bindSeq when noted: the units bound by then may take it
	value any
	ev    eventref.Named
}

// noteGoOrphan notes the panic p, reported as ev, for the unit of work
// that recovers it on this goroutine (see goOrphans).
func noteGoOrphan(p any, ev eventref.Named) {
	if p == nil {
		return
	}
	if v := reflect.ValueOf(p); v.Kind() == reflect.String && v.Len() > maxGoOrphanText {
		return // a note held for good would keep it (see maxGoOrphanText)
	}
	g := goid()
	if g == 0 {
		return
	}
	bound := bindSeq.Load()
	goOrphans.mu.Lock()
	defer goOrphans.mu.Unlock()
	o := &goOrphans.list[goOrphans.next]
	goOrphans.next = (goOrphans.next + 1) % maxGoOrphans
	if o.goid == 0 {
		goOrphans.count.Add(1)
	}
	*o = goOrphan{goid: g, bound: bound, value: p, ev: ev}
}

// adoptGo takes the note of the panic p, a value that is no pointer, noted
// on this goroutine with no unit of work after u was bound (see
// goOrphans), its value p or a PanicMatcher of p (zerologsentry's Writer
// notes the message as it reads it back); the zero note if none. Of notes
// of equal values, the newest: the panic going up the goroutine is the
// last one logged there (an earlier one's the program recovered itself).
func (u *Unit) adoptGo(p any) (o goOrphan) {
	g := goid()
	seq := u.bindNumber()
	goOrphans.mu.Lock()
	defer goOrphans.mu.Unlock()
	for k := 1; k <= maxGoOrphans; k++ {
		n := &goOrphans.list[(goOrphans.next-k+maxGoOrphans)%maxGoOrphans]
		if n.goid == g && g != 0 && seq <= n.bound && samePanic(n.value, p) {
			o, *n = *n, goOrphan{}
			goOrphans.count.Add(-1)
			return o
		}
	}
	return o
}

// bindNumber returns the bind sequence number of u (see markKey), 0 for a
// unit that was never bound.
func (u *Unit) bindNumber() uint64 {
	if len(u.key) != markerLen {
		return 0
	}
	var n uint64
	for _, c := range []byte(u.key[len(unitMarker)+1:]) {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | uint64(c-'0')
		default:
			n = n<<4 | uint64(c-'a'+10)
		}
	}
	return n
}

// goid returns the current goroutine's ID, read from the header of its
// stack trace ("goroutine 18 [running]:"), or 0. A few microseconds: only
// the panics of loggers used without a unit of work, and the panics a unit
// recovers while such notes are held, pay for it.
func goid() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if !strings.HasPrefix(string(b), prefix) {
		return 0
	}
	var n uint64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + uint64(c-'0')
	}
	return n
}

// NotePanicText tells the unit of work of ctx that the panic p, which a
// logger raises after logging at its panic level with a value other than
// the record's message (logrus' *Entry), reads as text, the message: a
// panic the record's event did not report (none was sent: RequireError,
// the rate limit) is reported by Middleware or RunJob with that text, as
// the panics of loggers that panic with the message are, not with p
// printed as a Go value (an *Entry shows its fields' values).
//
// The text noted for a child unit (BindChild) is its parents' too: the
// panic goes on up to their recovery, as its note does (noteUp).
func NotePanicText(ctx context.Context, p any, text string) {
	if lookup(ctx) == nil && isPointer(p) { // see NotePanic
		noteOrphan(p, func(o *orphan) { o.text, o.hasText = text, true })
		return
	}
	for u := Of(ctx); u != nil; u = u.parent {
		u.mu.Lock()
		u.panicValue, u.panicText, u.hasText = p, text, true
		u.mu.Unlock()
	}
}

// orphans are the panics noted with no unit of work in their context (see
// NotePanic), each a pointer: the unit that recovers one adopts its note.
// A panic is recovered, if ever, soon after its record, but not at once:
// its goroutine runs the deferred calls it unwinds through (a handler's
// cleanup, a round trip to a database), while other goroutines log and
// panic too. So the notes are as many as the panics noted and not yet
// recovered, up to maxOrphans: beyond, the note in the slot taken in turn
// (the oldest, but for slots freed since) is forgotten.
//
// A note holds its panic value weakly (a *logrus.Entry holds the record's
// Data): a panic that no unit recovers (the program's own recover) leaves
// a note whose value the garbage collector takes, and whose slot is then
// free. While a note's value lives, no other value has its address.
var orphans struct {
	mu    sync.Mutex
	list  []orphan
	next  int          // the slot to take when none is free
	count atomic.Int32 // len(list): adopt looks up nothing while it is 0
}

// maxOrphans bounds the notes kept (see orphans).
const maxOrphans = 256

type orphan struct {
	addr           uintptr            // the value's address
	value          weak.Pointer[byte] // the value, while it lives
	id             sentry.EventID
	ref            *eventref.Ref // id's (see NotePanic)
	text           string
	hasID, hasText bool
}

// live reports whether o is the note of the value at addr, which the
// caller keeps alive.
func (o *orphan) live(addr uintptr) bool {
	return o.addr == addr && uintptr(unsafe.Pointer(o.value.Value())) == addr
}

// noteOrphan sets, with set, the note of the pointer p.
func noteOrphan(p any, set func(*orphan)) {
	v := reflect.ValueOf(p)
	if v.Type().Elem().Size() == 0 {
		return // no value of its own: not unique to the log call
	}
	addr := v.Pointer()
	orphans.mu.Lock()
	defer orphans.mu.Unlock()
	free := -1
	for i := range orphans.list {
		o := &orphans.list[i]
		if o.live(addr) {
			set(o)
			return
		}
		if free < 0 && (o.addr == 0 || o.value.Value() == nil) {
			free = i // unused, or its value collected
		}
	}
	switch {
	case free >= 0:
	case len(orphans.list) < maxOrphans:
		orphans.list = append(orphans.list, orphan{})
		orphans.count.Store(int32(len(orphans.list)))
		free = len(orphans.list) - 1
	default:
		free = orphans.next
		orphans.next = (orphans.next + 1) % maxOrphans
	}
	o := &orphans.list[free]
	*o = orphan{addr: addr, value: weak.Make((*byte)(v.UnsafePointer()))}
	set(o)
}

// adopt takes the note of the panic p, if p was noted with no unit of work
// (see NotePanic), as u's own: the panic of a logger used without its
// context, recovered by u's Middleware or RunJob.
func (u *Unit) adopt(p any) {
	if !isPointer(p) {
		if goOrphans.count.Load() == 0 {
			return
		}
		if o := u.adoptGo(p); o.goid != 0 {
			u.adoptEvent(p, o.ev)
		}
		return
	}
	if orphans.count.Load() == 0 {
		return
	}
	addr := reflect.ValueOf(p).Pointer()
	orphans.mu.Lock()
	var o orphan
	for i := range orphans.list {
		if orphans.list[i].live(addr) {
			o, orphans.list[i] = orphans.list[i], orphan{}
			break
		}
	}
	orphans.mu.Unlock()
	runtime.KeepAlive(p)
	if o.addr == 0 {
		return
	}
	if o.hasText {
		u.mu.Lock()
		u.panicValue, u.panicText, u.hasText = p, o.text, true
		u.mu.Unlock()
	}
	if o.hasID {
		u.adoptEvent(p, eventref.Named{ID: string(o.id), Ref: o.ref})
	}
}

// adoptEvent takes the panic p, reported as ev by a logger used without
// u's context (see adopt), as u's own, unless u reported another panic of
// its own already. ev is then the unit's last event too: its record was
// kept on the fallback trail, which names no unit's, and the panic is the
// unit's (Middleware's EventIDHeader, LastEventID).
func (u *Unit) adoptEvent(p any, ev eventref.Named) {
	u.mu.Lock()
	took := u.take(p, sentry.EventID(ev.ID), ev.Ref, true, false, true)
	u.mu.Unlock()
	if took {
		u.trail.NoteEventNamed(ev)
	}
}

// isPointer reports whether p is a non-nil pointer.
func isPointer(p any) bool {
	v := reflect.ValueOf(p)
	return v.Kind() == reflect.Pointer && !v.IsNil()
}

// PanicText returns the text NotePanicText noted for the panic p, if any.
func (u *Unit) PanicText(p any) (string, bool) {
	u.adopt(p)
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.hasText && samePanic(u.panicValue, p) {
		return u.panicText, true
	}
	return "", false
}

// Reported reports whether the panic p was already sent through the unit's
// hub.
func (u *Unit) Reported(p any) bool {
	u.adopt(p)
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.has && samePanic(u.recovered, p) {
		return true
	}
	_, ok := u.displacedAs(p)
	return ok
}

// ReportedAs returns the event that reported the panic p through the
// unit's hub, if one did.
//
// The event comes with its reference, if it has one: the client may be
// deciding it still, and drop it (eventref.Named.Name names none then).
func (u *Unit) ReportedAs(p any) (eventref.Named, bool) {
	u.adopt(p)
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.has && samePanic(u.recovered, p) {
		return eventref.Named{ID: string(u.eventID), Ref: u.eventRef}, true
	}
	if d, ok := u.displacedAs(p); ok {
		return eventref.Named{ID: string(d.id), Ref: d.ref}, true
	}
	return eventref.Named{}, false
}

// PanicMatcher is a panic value noted for a unit of work (NotePanic) by a
// logger that holds only a rendering of the value it panics with, which
// may differ from it: MatchesPanic reports whether p, a panic recovered,
// is that value (zerologsentry's Writer reads zerolog's message back from
// the JSON zerolog wrote, where each byte of invalid UTF-8 became U+FFFD).
type PanicMatcher interface {
	MatchesPanic(p any) bool
}

// samePanic compares two panic values, which may not be comparable; a, the
// value noted first, may be a PanicMatcher.
func samePanic(a, b any) (same bool) {
	if m, ok := a.(PanicMatcher); ok {
		return m.MatchesPanic(b)
	}
	defer func() {
		if recover() != nil { // incomparable dynamic types: compare identity
			same = sameDynamic(a, b)
		}
	}()
	// A value holding a NaN, never == itself, may still be the same one;
	// one of a type that cannot hold a float is not walked through reflect
	// (a large array: ten times the cost of ==).
	return a == b || a != nil && mayHoldFloat(reflect.TypeOf(a)) && sameDynamic(a, b)
}

// mayHoldFloat reports whether a value of type t, compared by sameValue,
// may hold a float or complex, a NaN of which is never == itself: t is
// one, an interface, or an array or struct of one. Pointers, maps,
// slices, chans and funcs are compared by identity.
func mayHoldFloat(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.Interface:
		return true
	case reflect.Array:
		return t.Len() > 0 && mayHoldFloat(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if mayHoldFloat(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// sameDynamic reports whether a and b, panic values, are of one dynamic
// type and copies of one value (see sameValue).
func sameDynamic(a, b any) bool {
	if a == nil || b == nil {
		return false // a == b, had both been
	}
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.Type() == vb.Type() && sameValue(va, vb)
}

// sameValue reports whether va and vb, of one type, are copies of one value:
// a map, slice, func or chan the same one (a slice of the same length), a
// struct or array whose every field or element is, a float NaN if the
// other is, another comparable value == (a struct holding a slice, an
// error panicked by value, is the panic that went on up through a nested
// unit, not another). Pointers are not followed: a cyclic value ends.
func sameValue(va, vb reflect.Value) bool {
	switch va.Kind() {
	case reflect.Float32, reflect.Float64:
		return sameFloat(va.Float(), vb.Float())
	case reflect.Complex64, reflect.Complex128:
		ca, cb := va.Complex(), vb.Complex()
		return sameFloat(real(ca), real(cb)) && sameFloat(imag(ca), imag(cb))
	case reflect.Map, reflect.Func, reflect.Pointer, reflect.Chan, reflect.UnsafePointer:
		return va.Pointer() == vb.Pointer()
	case reflect.Slice:
		return va.Pointer() == vb.Pointer() && va.Len() == vb.Len()
	case reflect.Struct:
		for i := range va.NumField() {
			if !sameValue(va.Field(i), vb.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range va.Len() {
			if !sameValue(va.Index(i), vb.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Interface:
		if va.IsNil() || vb.IsNil() {
			return va.IsNil() && vb.IsNil()
		}
		ea, eb := va.Elem(), vb.Elem()
		return ea.Type() == eb.Type() && sameValue(ea, eb)
	}
	return va.Equal(vb)
}

// sameFloat reports whether x and y are equal, or both NaN (a NaN copied
// is the same panic, though never == itself).
func sameFloat(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }

// addTrail merges the unit's trail into an event other code captured, as
// logcrumbs' own events have it.
func (u *Unit) addTrail(event *sentry.Event) {
	u.builder.AddTrail(event, u.trail, u.hub.Client())
}
