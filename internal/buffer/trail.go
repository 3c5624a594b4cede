package buffer

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// DefaultCapacity is the number of records a trail keeps by default: Sentry's
// own default for MaxBreadcrumbs.
const DefaultCapacity = 100

// Spread returns a number of bits bits picked by t's address: trails made
// one after the other get numbers apart (Fibonacci hashing), so that the
// goroutines of concurrent requests that each take what their number picks
// (one of a core's scratches, one of a repeat count's lanes) seldom meet.
func Spread(t *Trail, bits uint) int {
	return int(uint64(uintptr(unsafe.Pointer(t))) * 0x9e3779b97f4a7c15 >> (64 - bits))
}

// Trail is a bounded ring of records: the breadcrumbs of one unit of work.
// When it is full, appending drops the oldest record and counts it.
//
// A Trail is safe for concurrent use. Its lock is held only to swap a record
// pointer in, to fill a record with copies (AppendFilled), or to copy the
// records out, so writers never wait on anything slower than a copy.
type Trail struct {
	mu      sync.Mutex
	recs    []*Record // a ring; recs[head] is the oldest once the ring is full
	head    int
	n       int
	dropped uint64   // records dropped because the ring was full; under mu
	once    captured // errors already sent as events, for capture-once

	// flags holds escalated (set once an event was sent from the trail,
	// for Options.PassThroughLevel) and repeated (set once capture-once
	// found a record's errors sent already, CaptureOnceFor: repeats come
	// in runs, an error storm, a retry loop, so that the next error record
	// may be one too). One word, not two atomic.Bools: see lastSeq.
	flags atomic.Uint32

	// unreported and unreportedDrops count the appends and drops not yet
	// added to the process-wide counters (see report). int32, not int: a
	// trail with its context is one allocation (trailContext), which 8
	// bytes more put in the next size class, 1,152 bytes instead of 1,024.
	unreported, unreportedDrops int32
	// lastSeq orders lastEvent among the events of every trail (see
	// EventSeq): nested units of work (a sub-router's Middleware inside a
	// router's) tell which of theirs the request sent last. Under mu.
	// (32 bits, in the word escalated and repeated gave up: trailContext
	// is at the most its size class holds; see lastEvent. Before it: after
	// the int32s, with no padding.)
	lastSeq EventSeq

	// lastEvent is the ID of the last event sent for the trail's unit of
	// work, or that a record was folded into (see NoteEvent), and
	// lastRef its reference, if any: a record may be folded into an event
	// its client drops afterwards (see LastEvent). Under mu. (Not the one
	// noted before it as well: a trail with its context, trailContext,
	// is at the most its size class holds, 1,016 bytes, lastRef's 8 made
	// up for in captured.)
	lastEvent string
	lastRef   *eventref.Ref
}

// Trail.flags' bits.
const (
	escalatedFlag = 1 << iota
	repeatedFlag
	adoptsFlag // see MarkAdopts
)

// An EventSeq numbers the events noted on trails, in the order they were
// noted (see Trail.LastEventSeq), modulo 2^32: one add per event, none per
// record.
type EventSeq uint32

// After reports whether s was noted after o, for two numbers fewer than
// 2^31 events apart (those of one request's nested units).
func (s EventSeq) After(o EventSeq) bool { return int32(s-o) > 0 }

// eventSeq is the last EventSeq given.
var eventSeq atomic.Uint32

// NewTrail returns an empty trail that keeps at most capacity records. A
// capacity of zero or less means DefaultCapacity.
func NewTrail(capacity int) *Trail {
	if capacity <= 0 || capacity == DefaultCapacity {
		return new(DefaultTrail).Init()
	}
	return &Trail{recs: make([]*Record, capacity)}
}

// DefaultTrail is a trail of DefaultCapacity records together with the
// storage of its ring, so that one allocation makes both: every request
// and job pays for its trail, and a type that embeds a DefaultTrail (a
// context carrying it) makes that one allocation for all of it. Init it
// before use, in place: a Trail is not copied.
type DefaultTrail struct {
	Trail
	ring [DefaultCapacity]*Record
}

// Init makes d an empty trail whose ring is d's own storage and returns it.
func (d *DefaultTrail) Init() *Trail {
	d.recs = d.ring[:]
	return &d.Trail
}

// Cap returns the number of records t keeps at most.
func (t *Trail) Cap() int { return len(t.recs) }

// Len returns the number of records t holds.
func (t *Trail) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// MarkEscalated notes that an event was sent from t.
func (t *Trail) MarkEscalated() { t.flags.Or(escalatedFlag) }

// Escalated reports whether an event was sent from t.
func (t *Trail) Escalated() bool { return t.flags.Load()&escalatedFlag != 0 }

// MarkAdopts marks t as the trail of a unit of work of one request or job
// (a Middleware's, RunJob's), which takes the last event of a Middleware's
// unit nested in it when that one returns (see AdoptLastEvent).
func (t *Trail) MarkAdopts() { t.flags.Or(adoptsFlag) }

// Adopts reports whether MarkAdopts marked t: the trail of one request's
// or one job's unit of work, not one a program bound with Bind (which a
// server's BaseContext may share between every request). False for nil.
func (t *Trail) Adopts() bool { return t != nil && t.flags.Load()&adoptsFlag != 0 }

// Repeated reports whether capture-once found a record's errors sent
// already from t (CaptureOnceFor returned false): a hint that the next
// error record may be a repeat too.
func (t *Trail) Repeated() bool { return t.flags.Load()&repeatedFlag != 0 }

// noteRepeated sets Repeated, with no store once it is set: a repeat is
// the hot path of an error storm, which every goroutine of the unit may
// log.
func (t *Trail) noteRepeated() {
	if t.flags.Load()&repeatedFlag == 0 {
		t.flags.Or(repeatedFlag)
	}
}

// NoteEvent notes id as the last event sent for t's unit of work: one sent
// from t, captured through its unit's hub, or the earlier event a record
// was folded into (capture-once, dedupe). An empty id, and any id on the
// fallback trail (which mixes every unit of work), notes nothing. Event
// path only: the breadcrumb path never calls it.
func (t *Trail) NoteEvent(id string) {
	if t == nil || id == "" || t == fallback {
		return
	}
	t.mu.Lock()
	t.noteEvent(id, nil)
	t.mu.Unlock()
}

// NoteEventNamed is NoteEvent of ev.ID by its reference, if any: an event
// logcrumbs handed to a client, which names none once dropped.
func (t *Trail) NoteEventNamed(ev eventref.Named) {
	if t == nil || ev.ID == "" || t == fallback {
		return
	}
	t.mu.Lock()
	t.noteEvent(ev.ID, ev.Ref)
	t.mu.Unlock()
}

// noteEvent notes id, whose reference is ev (or none: nil), as the last
// event; id must not be empty. t.mu must be held. An event already
// dropped is not noted, as a record folded into it names none. The same
// event noted again (a run of repeats) writes nothing.
func (t *Trail) noteEvent(id string, ev *eventref.Ref) {
	// By the reference first: a run of repeats of one event compares no
	// strings (cachegrind, ZerologRepeat/hook: runtime.memequal's call).
	if (ev != nil && ev == t.lastRef) || (id == t.lastEvent && (ev == t.lastRef || ev == nil)) {
		return
	}
	if ev.Dropped() {
		return
	}
	t.lastEvent, t.lastRef = id, ev
	t.lastSeq = EventSeq(eventSeq.Add(1))
}

// LastEvent returns the ID NoteEvent last noted on t, or "". An event
// noted while its client was deciding it (a record folded into it
// meanwhile), which the client then dropped, was never sent: it is no
// last event. The one noted before it is not kept (see lastEvent): the
// empty ID stands for it then, where a record folded into the event after
// the drop would have left that one.
func (t *Trail) LastEvent() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return eventref.Name(t.lastEvent, t.lastRef)
}

// LastEventSeq is LastEvent, and the number that orders it among the
// events noted on every trail: a later event's is After an earlier one's.
func (t *Trail) LastEventSeq() (string, EventSeq) {
	if t == nil {
		return "", 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return eventref.Name(t.lastEvent, t.lastRef), t.lastSeq
}

// AdoptLastEvent makes from's last event t's, when from noted it after
// t's own (see LastEventSeq), with its number: from is the trail of a unit
// of work nested in t's (a sub-router's Middleware inside a router's),
// whose events are t's unit's too, once it ended. It reports whether t
// takes the events of units nested in its own: only a trail MarkAdopts
// marked does (a Middleware's or a job's), not one of a unit every
// request shares (a server's BaseContext bound with Bind), into which no
// request's event may leak. Nothing for the fallback
// trail, which mixes every unit of work, nor for a nil trail, nor when
// from's last event is one its client dropped already (a record folded
// into it while in flight): that event is no reference, and t's own,
// which it would replace, may be (noteEvent does not note a dropped
// event either). The two trails' locks are taken one after the other,
// never both.
func (t *Trail) AdoptLastEvent(from *Trail) bool {
	if from == nil || t == fallback || from == t || !t.Adopts() {
		return false
	}
	from.mu.Lock()
	id, ref, seq := from.lastEvent, from.lastRef, from.lastSeq
	from.mu.Unlock()
	if id == "" || ref.Dropped() {
		return true
	}
	t.mu.Lock()
	if t.lastEvent == "" || seq.After(t.lastSeq) {
		t.lastEvent, t.lastRef, t.lastSeq = id, ref, seq
	}
	t.mu.Unlock()
	return true
}

// Dropped returns the number of records t dropped because it was full.
func (t *Trail) Dropped() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// Append adds r as the newest record. t takes ownership of r; the oldest
// record, if the ring was full, goes back to the pool.
func (t *Trail) Append(r *Record) { t.AppendEvent(r, "") }

// AppendEvent is Append and NoteEvent(id) under one lock: the end of every
// record that escalates (an event, or one folded into an earlier event)
// notes the event and keeps the record's breadcrumb. The event's reference
// is the one r names it by (Record.SetEvent), if any.
func (t *Trail) AppendEvent(r *Record, id string) {
	t.mu.Lock()
	if id != "" && t != fallback { // see NoteEvent
		t.noteEvent(id, r.event)
	}
	var old *Record
	if t.n == len(t.recs) {
		old = t.recs[t.head]
	}
	t.push(r)
	t.mu.Unlock()
	if old != nil {
		Put(old)
	}
}

// AppendFilled adds, as the newest record, one that fill writes: fill gets
// a record to Reset and fill, as Append gets one filled beforehand. The
// record is filled under t's lock, in the storage of the oldest record
// when the ring is full (the one Append would drop and give back to the
// pool): the steady state of a trail takes no record from the pool and
// gives none back, a Get and a Put a breadcrumb (7 ns) that Append pays.
// Writers wait while fill runs, so fill must only copy bytes and numbers
// the caller holds into the record (Reset, SetNames, Defer, a preset, the
// Add methods with values at hand): no parse, no user code, nothing that
// blocks or panics. Should it panic all the
// same, the lock is released (deferred, about 2 ns): a trail left locked
// would block every later log of its unit, or of the whole process for the
// fallback trail, since the loggers' hooks recover the panic and go on.
// The record a panicking fill was writing is not kept: in a full ring it is
// the oldest record's storage, half overwritten, and is dropped from the
// ring rather than left as a breadcrumb of neither record.
func (t *Trail) AppendFilled(fill func(r *Record)) {
	t.mu.Lock()
	var r *Record
	inPlace := t.n == len(t.recs)
	if inPlace {
		r = t.recs[t.head] // dropped, and filled in place
	} else {
		r = pooled()
	}
	filled := false
	defer func() {
		if !filled && inPlace {
			t.dropOldest()
		}
		t.mu.Unlock()
	}()
	fill(r)
	filled = true
	if inPlace {
		// r is the newest record's place already, where push would store
		// it again (ZapBreadcrumb/json+logcrumbs: 7,641 -> 7,620
		// instructions a record).
		t.rotate()
		t.counted()
		return
	}
	t.push(r)
}

// pooled returns a record from the pool, not reset: out of line, so that
// AppendFilled's code, which a full ring (every breadcrumb of a long
// request) runs through, does not carry the pool's call and type check.
//
//go:noinline
func pooled() *Record { return pool.Get().(*Record) }

// AppendRepeat adds, as the newest record, the breadcrumb of a skipped
// repeat (see Repeat), whose Fits must be true, and notes c.ID as
// AppendEvent does: what an event record built as c says and kept with
// AppendEvent once Relimit took it would be, filled in the trail as
// AppendFilled fills a breadcrumb (the record the ring drops, or one from
// the pool) with no record built beforehand, no Relimit and no bytes
// moved up (see escalate.Escalator.SkipRepeat). A dropped record whose
// storage grew past what the pool keeps is not reused: Relimit would not
// have taken a record of that storage.
func (t *Trail) AppendRepeat(c *Repeat) {
	t.mu.Lock()
	old := t.appendRepeat(c, nil)
	t.mu.Unlock()
	if old != nil {
		Put(old)
	}
}

// AppendRepeatOf is the look-up of the last repeat, for err (see
// captured.unownedRepeatOf), and AppendRepeat under one hold of t's lock, rather than a hold each:
// the two atomic operations of a lock and its unlock were the costliest
// part of a skipped repeat's look-up (see escalate.Escalator.SkipRepeat).
// When the look-up answers with the ID of an event that was sent, or is
// in its client's hands, it sets c.ID to that ID and, if c then Fits and counted(c.ID) reports true,
// adds c's breadcrumb as AppendRepeat does and reports true; else it
// changes nothing of t's and reports false. (counted is given the ID, not
// c: a c passed to a function value would escape, and its caller's Repeat
// be allocated.) counted runs with t's lock held: it
// must not take a trail's lock, nor panic (it would leave t locked).
func (t *Trail) AppendRepeatOf(err error, c *Repeat, counted func(earlier string) bool) bool {
	t.mu.Lock()
	e := t.once.unownedRepeatEntry(err)
	if e == nil || e.name() == "" {
		t.mu.Unlock()
		return false
	}
	// The breadcrumb names the event by its reference (see
	// Record.SetEvent): it may be in its client's hands still.
	earlier, ev := e.id, e.ref
	c.ID = earlier
	if !c.Fits() || !counted(earlier) {
		t.mu.Unlock()
		return false
	}
	old := t.appendRepeat(c, ev)
	t.mu.Unlock()
	if old != nil {
		Put(old)
	}
	return true
}

// LastRepeatOf is AppendRepeatOf's look-up alone: the event err names
// when the trail's last capture-once look-up found err alone under it, and
// that event was sent or is in its client's hands. It calls no user code.
func (t *Trail) LastRepeatOf(err error) (eventref.Named, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.once.unownedRepeatEntry(err); e != nil && e.name() != "" {
		return e.named(), true
	}
	return eventref.Named{}, false
}

// appendRepeat is AppendRepeat with t.mu held. It returns the record
// dropped for good, to be given back to the pool once t.mu is released,
// or nil.
func (t *Trail) appendRepeat(c *Repeat, ev *eventref.Ref) (old *Record) {
	if c.ID != "" && t != fallback { // see NoteEvent
		t.noteEvent(c.ID, ev)
	}
	var r *Record
	if t.n == len(t.recs) {
		r = t.recs[t.head]
		if cap(r.data) > maxPooledBytes || cap(r.attrs) > maxPooledAttrs {
			r, old = pool.Get().(*Record), r
		}
	} else {
		r = pool.Get().(*Record)
	}
	// No defer, unlike AppendFilled, whose fill is the caller's: c.fill
	// only copies c's bytes and numbers.
	c.fill(r, ev)
	t.push(r)
	return old
}

// rotate moves the ring's head past its oldest record, which the caller
// has replaced in its place (it becomes the newest) or taken out, and
// counts that record dropped. t.mu must be held.
func (t *Trail) rotate() {
	if t.head++; t.head == len(t.recs) {
		t.head = 0
	}
	t.dropped++
	t.unreportedDrops++
}

// dropOldest takes the oldest record out of the ring, without giving it
// back to the pool (a fill that panicked left it half written), and counts
// it dropped. t.mu must be held, and the ring not empty. Out of line: the
// deferred function of AppendFilled, which every breadcrumb kept in place
// runs, calls it only after a panic.
//
//go:noinline
func (t *Trail) dropOldest() {
	t.recs[t.head] = nil
	t.rotate()
	t.n--
}

// push adds r as the newest record, in place of the oldest when the ring
// is full (which the caller takes first), and counts it. t.mu must be
// held.
func (t *Trail) push(r *Record) {
	// A record from the pool may hold storage an event record grew (up to
	// maxPooledBytes and maxPooledAttrs, 32 KiB and more): a breadcrumb
	// does not keep it in the ring (see DefaultBreadcrumbLimits).
	if cap(r.data) > ringBytes || cap(r.attrs) > ringAttrs {
		r.fitStorage()
	}
	// The ring's indexes wrap by a comparison, not by %: the capacity is
	// not a constant, and a division by it costs more than the rest of
	// what is done under the lock, on every breadcrumb.
	if t.n < len(t.recs) {
		i := t.head + t.n
		if i >= len(t.recs) {
			i -= len(t.recs)
		}
		t.recs[i] = r
		t.n++
	} else {
		t.recs[t.head] = r
		t.rotate()
	}
	t.counted()
}

// counted counts an append, and adds the appends counted to the
// process-wide counters every reportEvery. t.mu must be held.
func (t *Trail) counted() {
	t.unreported++
	if t.unreported >= reportEvery {
		t.report()
	}
}

// reportEvery is how many appends a trail counts before it adds them to the
// process-wide counters: adding to a shared counter on every append would
// make goroutines of different requests contend for one cache line.
const reportEvery = 32

// report adds the appends and drops counted since the last report to the
// process-wide counters. t.mu must be held. Out of line: inlined, its code
// sat in the middle of every append's, which calls it once in reportEvery.
//
//go:noinline
func (t *Trail) report() {
	stats.BreadcrumbsKept.Add(uint64(t.unreported))
	stats.BreadcrumbsDropped.Add(uint64(t.unreportedDrops))
	t.unreported, t.unreportedDrops = 0, 0
}

// Snapshot appends copies of t's records to dst, oldest first, and returns
// the extended slice, their deferred fields parsed (see Record.Defer). The
// copies come from the pool: give them back with PutAll when done. Writers
// wait only while the records are copied.
func (t *Trail) Snapshot(dst []*Record) []*Record {
	start := len(dst)
	t.mu.Lock()
	dst = slices.Grow(dst, t.n) // one allocation, not one per doubling
	for i := 0; i < t.n; i++ {
		c := pool.Get().(*Record)
		c.copyFrom(t.recs[(t.head+i)%len(t.recs)])
		dst = append(dst, c)
	}
	t.mu.Unlock()
	expandAll(dst[start:])
	return dst
}

// A Batch is a copy of a trail's records (see Trail.Copy), kept together
// with its storage for the next copy: Snapshot takes each copy from the
// pool and PutAll gives each back, two pool operations per record (and a
// slice of pointers per snapshot), which an event with 100 breadcrumbs
// paid on every send.
type Batch struct {
	// Recs are the copies, oldest first, their deferred fields parsed.
	Recs []*Record
	all  []*Record // Recs, and the records kept from earlier copies
}

var batches = sync.Pool{New: func() any { return new(Batch) }}

// Copy returns a Batch of copies of t's records, as Snapshot's. Give it
// back with Release when done with the records. Writers wait only while
// the records are copied.
func (t *Trail) Copy() *Batch {
	b := batches.Get().(*Batch)
	t.mu.Lock()
	for len(b.all) < t.n {
		b.all = append(b.all, &Record{textStart: -1})
	}
	for i := 0; i < t.n; i++ {
		b.all[i].copyFrom(t.recs[(t.head+i)%len(t.recs)])
	}
	b.Recs = b.all[:t.n]
	t.mu.Unlock()
	expandAll(b.Recs)
	return b
}

// Release gives b back for another copy; its records must not be used
// afterwards. Records that grew past what the pool keeps (see Put) are let
// go, as Put lets them go.
func (b *Batch) Release() {
	for i, r := range b.Recs {
		if cap(r.data) > maxPooledBytes || cap(r.attrs) > maxPooledAttrs {
			b.all[i] = &Record{textStart: -1}
		}
	}
	b.Recs = nil
	batches.Put(b)
}

// expandAll parses the deferred fields of copies taken from a trail, after
// its lock is released: writers wait for a copy of bytes, never a parse.
func expandAll(recs []*Record) {
	k := 0
	for k < len(recs) && recs[k].parse == nil {
		k++
	}
	if k == len(recs) { // nothing deferred: no recover
		return
	}
	for k < len(recs) {
		k = expandFrom(recs, k)
	}
}

// expandFrom expands recs[k:] with one recover for all of them: a recover
// per record (a deferred call and runtime.gorecover) cost a zerolog
// breadcrumb about 60 instructions on every event (cachegrind,
// ZerologEvent/hook, (trail100 - trail20) / 80: 7,797 -> 7,734). It returns
// len(recs), or, when a parser panics, the index after its record, left
// as Expand leaves such a record, for expandAll to go on from.
func expandFrom(recs []*Record, k int) (next int) {
	defer func() {
		if k < len(recs) && recover() != nil {
			recs[k].parsePanicked()
			next = k + 1
		}
	}()
	for ; k < len(recs); k++ {
		if r := recs[k]; r.parse != nil {
			r.expandIn()
		}
	}
	return k
}

// TakeUnlogged appends copies of t's records not yet sent to Sentry Logs to
// dst, oldest first (their deferred fields parsed, as Snapshot's), marks
// them as sent, and returns the extended slice:
// each record is taken once, however many events the trail sends. The
// copies come from the pool: give them back with PutAll when done.
func (t *Trail) TakeUnlogged(dst []*Record) []*Record {
	start := len(dst)
	t.mu.Lock()
	for i := 0; i < t.n; i++ {
		r := t.recs[(t.head+i)%len(t.recs)]
		if r.Logged {
			continue
		}
		r.Logged = true
		if r.sent != nil && !r.sent.CompareAndSwap(false, true) {
			continue // a copy in another unit's trail was sent
		}
		c := pool.Get().(*Record)
		c.copyFrom(r)
		dst = append(dst, c)
	}
	t.mu.Unlock()
	expandAll(dst[start:])
	return dst
}

// Release empties t, giving its records back to the pool, at the end of the
// unit of work it belonged to. Records appended afterwards (by a goroutine
// that outlived the unit) are kept as usual.
func (t *Trail) Release() {
	t.mu.Lock()
	t.report()
	var recs [DefaultCapacity]*Record
	out := recs[:0]
	for i := 0; i < t.n; i++ {
		j := (t.head + i) % len(t.recs)
		out = append(out, t.recs[j])
		t.recs[j] = nil
	}
	t.head, t.n = 0, 0
	t.mu.Unlock()
	PutAll(out)
}

// NewChild returns a trail of t's capacity that starts with copies of t's
// records: for work that goes on after, or beside, the unit t belongs to.
// Each record not sent to Sentry Logs yet shares with its copy the mark
// that it was (Record.sent, one allocation for them all), so that
// Options.LogsOnEvent sends it once, whichever unit fails first.
func (t *Trail) NewChild() *Trail {
	c := NewTrail(t.Cap())
	t.mu.Lock()
	var marks []atomic.Bool
	recs := make([]*Record, 0, t.n)
	for i := 0; i < t.n; i++ {
		r := t.recs[(t.head+i)%len(t.recs)]
		if !r.Logged && r.sent == nil {
			if len(marks) == 0 { // enough for every record left
				marks = make([]atomic.Bool, t.n-i)
			}
			r.sent, marks = &marks[0], marks[1:]
		}
		cp := pool.Get().(*Record)
		cp.copyFrom(r)
		recs = append(recs, cp)
	}
	t.mu.Unlock()
	expandAll(recs)
	for _, r := range recs {
		c.Append(r)
	}
	return c
}

// PutAll returns every record of recs to the pool.
func PutAll(recs []*Record) {
	for _, r := range recs {
		Put(r)
	}
}

// ContextKey is the context key of the trail a context carries. Contexts
// that carry a trail among other values of their own (internal/unit's)
// answer it in their Value method, instead of a context.WithValue each.
type ContextKey struct{}

// NewContext returns a copy of ctx that carries t. A nil ctx stands for
// context.Background(), rather than the panic of context.WithValue.
func NewContext(ctx context.Context, t *Trail) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithValue(ctx, ContextKey{}, t)
}

// NewContextWithTrail returns a copy of ctx that carries a new, empty trail
// of DefaultCapacity, made in one allocation with the context. A nil ctx
// stands for context.Background().
func NewContextWithTrail(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	c := &trailContext{Context: ctx}
	c.trail.Init()
	return c
}

// trailContext is a context that carries a trail of its own, as
// context.WithValue(ctx, ContextKey{}, trail) does.
type trailContext struct {
	context.Context
	trail DefaultTrail
}

// Value returns the context's trail for ContextKey, else the parent's value.
// The key is told by its type alone (ContextKey has no fields, so every
// ContextKey is ContextKey{}): comparing it with == called runtime.efaceeq
// on every record's look-up of its trail (cachegrind: 46 instructions a
// look-up, against 8).
func (c *trailContext) Value(key any) any {
	if _, ok := key.(ContextKey); ok {
		return &c.trail.Trail
	}
	return c.Context.Value(key)
}

// String describes the context as context.WithValue's String does, rather
// than as fmt would print the struct (the whole ring).
func (c *trailContext) String() string {
	return ContextName(c.Context) + ".WithValue(buffer.ContextKey, *buffer.Trail)"
}

// GoString makes %#v print the context as String does. Printed field by
// field, it would read the trail's ring and lock while other goroutines
// append to them (a data race), where context.WithValue's shows a pointer.
func (c *trailContext) GoString() string { return c.String() }

// ContextName returns ctx's String, or its type's name if it has none, as
// the context package names the parents of the contexts it makes.
func ContextName(ctx context.Context) string {
	if s, ok := ctx.(interface{ String() string }); ok {
		return s.String()
	}
	return reflect.TypeOf(ctx).String()
}

// FromContext returns the trail ctx carries, or nil. A nil ctx carries none.
//
// A context made by NewContextWithTrail (logcrumbs.NewContext, and the
// loggers' WithContext for a context without a trail) is answered without
// the call of its Value, which returns its own trail: the zerolog hook
// looks up the trail of every record's context (cachegrind,
// ZerologBreadcrumb/hook: 3,358 -> 3,341 instructions a record).
func FromContext(ctx context.Context) *Trail {
	if c, ok := ctx.(*trailContext); ok {
		return &c.trail.Trail
	}
	if ctx == nil {
		return nil
	}
	t, _ := ctx.Value(ContextKey{}).(*Trail)
	return t
}

var fallback = NewTrail(DefaultCapacity)

// Fallback returns the process-wide trail of records whose context carries no
// trail of its own.
func Fallback() *Trail { return fallback }

// For returns the trail ctx carries, or the fallback trail.
func For(ctx context.Context) *Trail {
	if t := FromContext(ctx); t != nil {
		return t
	}
	return fallback
}
