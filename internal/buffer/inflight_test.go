package buffer

import (
	"errors"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

// inFlight captures err on a new trail as the event ev, as
// escalate.Escalator.capture does before the client decides ev, and
// returns the trail.
func inFlight(t *testing.T, err error, ev *eventref.Ref) *Trail {
	t.Helper()
	tr := NewTrail(4)
	if _, first := tr.CaptureOnceSettled(nil, []error{err}, func() eventref.Named { return eventref.Of(ev) }, time.Now(), 0, nil); !first {
		t.Fatal("first capture refused")
	}
	return tr
}

// foldedRepeat looks err up on tr again, as a goroutine of the unit that
// logs err while its event is in flight, and appends the breadcrumb
// capture keeps of it (breadcrumbOf, SetEvent, AppendEvent).
func foldedRepeat(t *testing.T, tr *Trail, err error) eventref.Named {
	t.Helper()
	earlier, first := tr.CaptureOnceSettled(nil, []error{err}, func() eventref.Named { return eventref.Named{ID: "new"} }, time.Now(), 0, nil)
	if first {
		t.Fatal("a repeat captured anew")
	}
	b := Get(time.Now(), LevelError, DefaultBreadcrumbLimits)
	b.SetNames("test", "folded")
	if earlier.ID != "" {
		b.AddText(KindString, EventIDKey, earlier.ID)
		b.SetEvent(earlier.Ref)
	}
	b.AddText(KindString, "k", "v")
	tr.AppendEvent(b, earlier.ID)
	return earlier
}

// namedIDs returns the event IDs t's breadcrumbs name under EventIDKey.
func namedIDs(tr *Trail) []string {
	recs := tr.Snapshot(nil)
	defer PutAll(recs)
	var ids []string
	for _, r := range recs {
		if id, ok := r.Data()[EventIDKey].(string); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// TestInFlightEventDropped: a record folded into an event while its client
// decides it names the event (its breadcrumb, the trail's last event, the
// next look-up); once the event is dropped, none of them names any event,
// with nothing walked over or undone (NotSent is not called here), and
// the rest of the breadcrumb stays.
func TestInFlightEventDropped(t *testing.T) {
	err := errors.New("card declined")
	ev := eventref.New()
	tr := inFlight(t, err, ev)
	if got := foldedRepeat(t, tr, err); got.ID != ev.ID() || got.Ref != ev {
		t.Fatalf("repeat in flight: %+v, want the event's ID and reference", got)
	}
	if ids := namedIDs(tr); len(ids) != 1 || ids[0] != ev.ID() {
		t.Fatalf("in flight, breadcrumbs name %v, want the event", ids)
	}
	if got := tr.LastEvent(); got != ev.ID() {
		t.Fatalf("in flight, LastEvent = %q", got)
	}

	ev.Drop()
	if ids := namedIDs(tr); len(ids) != 0 {
		t.Errorf("dropped, breadcrumbs name %v", ids)
	}
	recs := tr.Snapshot(nil)
	if d := recs[0].Data(); d["k"] != "v" || len(d) != 1 {
		t.Errorf("dropped, the breadcrumb's data is %v, want only k=v", d)
	}
	PutAll(recs)
	if got := tr.LastEvent(); got != "" {
		t.Errorf("dropped, LastEvent = %q", got)
	}
	if got := foldedRepeat(t, tr, err); got.ID != "" {
		t.Errorf("dropped, a repeat names %q", got.ID)
	}
	if got := tr.LastEvent(); got != "" {
		t.Errorf("dropped and repeated, LastEvent = %q", got)
	}
	if ids := namedIDs(tr); len(ids) != 0 {
		t.Errorf("dropped and repeated, breadcrumbs name %v", ids)
	}
}

// TestInFlightEventSent: an event its client sends keeps its name
// everywhere it was named while in flight.
func TestInFlightEventSent(t *testing.T) {
	err := errors.New("card declined")
	ev := eventref.New()
	tr := inFlight(t, err, ev)
	foldedRepeat(t, tr, err)
	foldedRepeat(t, tr, err)
	if ids := namedIDs(tr); len(ids) != 2 || ids[0] != ev.ID() || ids[1] != ev.ID() {
		t.Errorf("breadcrumbs name %v, want the event twice", ids)
	}
	if got := tr.LastEvent(); got != ev.ID() {
		t.Errorf("LastEvent = %q", got)
	}
}

// TestInFlightEventDroppedOnChild: a trail's child (NewChild) copied a
// breadcrumb naming an event in flight: it names none once the event is
// dropped, nor does a copy of the child made after.
func TestInFlightEventDroppedOnChild(t *testing.T) {
	err := errors.New("card declined")
	ev := eventref.New()
	tr := inFlight(t, err, ev)
	foldedRepeat(t, tr, err)
	child := tr.NewChild()
	ev.Drop()
	if ids := namedIDs(child); len(ids) != 0 {
		t.Errorf("the child's breadcrumbs name %v", ids)
	}
	if ids := namedIDs(child.NewChild()); len(ids) != 0 {
		t.Errorf("the grandchild's breadcrumbs name %v", ids)
	}
}

// TestInFlightRepeatOfAppended: the skipped repeat's path (AppendRepeatOf)
// names the event in flight by its reference too: its breadcrumb and the
// trail's last event name none once it is dropped, and the look-up
// refuses a dropped event's repeat (capture names none for it).
func TestInFlightRepeatOfAppended(t *testing.T) {
	err := errors.New("card declined")
	ev := eventref.New()
	tr := inFlight(t, err, ev)
	foldedRepeat(t, tr, err) // the look-up AppendRepeatOf answers by
	c := Repeat{
		Time: time.Now(), Level: LevelError,
		EventLimits: DefaultEventLimits, Limits: DefaultBreadcrumbLimits,
		Logger: "zerolog", Message: "charge failed", Raw: []byte("a=1"), Parse: parsePairs,
		Key: EventIDKey,
	}
	if !tr.AppendRepeatOf(err, &c, func(string) bool { return true }) {
		t.Fatal("AppendRepeatOf refused the repeat of an event in flight")
	}
	tr.mu.Lock()
	if r := tr.recs[(tr.head+tr.n-1)%len(tr.recs)]; r.event != ev {
		t.Errorf("the breadcrumb's reference is %p, want the event's %p", r.event, ev)
	}
	tr.mu.Unlock()
	ev.Drop()
	if ids := namedIDs(tr); len(ids) != 0 {
		t.Errorf("breadcrumbs name %v", ids)
	}
	if got := tr.LastEvent(); got != "" {
		t.Errorf("LastEvent = %q", got)
	}
	if tr.AppendRepeatOf(err, &c, func(string) bool { return true }) {
		t.Error("AppendRepeatOf took the repeat of a dropped event")
	}
}

// TestInFlightEventRingReused: the records of a ring that held breadcrumbs
// naming an event in flight are reused (filled in place, from the pool)
// for later breadcrumbs, which do not name it: its drop leaves them as
// they are, and they do not keep its reference.
func TestInFlightEventRingReused(t *testing.T) {
	err := errors.New("card declined")
	ev := eventref.New()
	tr := inFlight(t, err, ev)
	for range tr.Cap() {
		foldedRepeat(t, tr, err)
	}
	for i := range 2 * tr.Cap() {
		if i%2 == 0 {
			tr.AppendFilled(func(r *Record) {
				r.Reset(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
				r.AddText(KindString, EventIDKey, "0123456789abcdef0123456789abcdef") // an ID known as text
			})
			continue
		}
		r := Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
		r.AddText(KindString, EventIDKey, "0123456789abcdef0123456789abcdef")
		tr.Append(r)
	}
	ev.Drop()
	if ids := namedIDs(tr); len(ids) != tr.Cap() {
		t.Errorf("breadcrumbs name %v, want the text ID %d times", ids, tr.Cap())
	}
	tr.mu.Lock()
	for _, r := range tr.recs {
		if r.event != nil {
			t.Error("a reused record keeps the reference of the event it named before")
		}
	}
	tr.mu.Unlock()
}

// TestInFlightLastEventKept: a trail's last event is not replaced by one
// already dropped (a verdict read before the drop, its record appended
// after); a sent event noted after a dropped one is the last.
func TestInFlightLastEventKept(t *testing.T) {
	tr := NewTrail(4)
	sent, dropped := eventref.New(), eventref.New()
	note := func(ev *eventref.Ref) {
		b := Get(time.Now(), LevelError, DefaultBreadcrumbLimits)
		b.AddText(KindString, EventIDKey, ev.ID())
		b.SetEvent(ev)
		tr.AppendEvent(b, ev.ID())
	}
	note(sent)
	dropped.Drop()
	note(dropped)
	if got := tr.LastEvent(); got != sent.ID() {
		t.Errorf("LastEvent = %q, want the sent event %q", got, sent.ID())
	}
	if ids := namedIDs(tr); len(ids) != 1 || ids[0] != sent.ID() {
		t.Errorf("breadcrumbs name %v, want only the sent event", ids)
	}
}

// TestDedupedEntriesNameDroppedEventNone: errors remembered under another
// trail's event (noise control deduplicated against it, see settle) name
// no event once that event is dropped.
func TestDedupedEntriesNameDroppedEventNone(t *testing.T) {
	err := errors.New("card declined")
	u := eventref.New()
	v := NewTrail(4)
	_, first := v.CaptureOnceSettled(nil, []error{err}, func() eventref.Named { return eventref.Of(eventref.New()) }, time.Now(), 0,
		func(eventref.Named) (eventref.Named, bool) { return eventref.Of(u), true })
	if !first {
		t.Fatal("first capture refused")
	}
	if got := foldedRepeat(t, v, err); got.ID != u.ID() {
		t.Fatalf("repeat names %q, want U's event %q", got.ID, u.ID())
	}
	u.Drop()
	if got := foldedRepeat(t, v, err); got.ID != "" {
		t.Errorf("U's event dropped, a repeat names %q", got.ID)
	}
	if id, ok := v.CapturedAs(err); !ok || id != "" {
		t.Errorf("CapturedAs = %q, %v; want captured under no event", id, ok)
	}
	if got := v.LastEvent(); got != "" {
		t.Errorf("LastEvent = %q", got)
	}
	if ids := namedIDs(v); len(ids) != 0 {
		t.Errorf("breadcrumbs name %v", ids)
	}
}

// TestHandBackOverDroppedSharedEvent: a record's two errors remembered
// under an event that was then dropped still hold that event together (its
// reference, marked dropped, names none): a job's event handed back for one
// of them leaves both to it, as for a sent record (sharedID), so that the
// record logged again names no event, not the job's, which lacks the other
// error (root TestJobHandBackKeepsADroppedMultiErrorRecordsNone); the
// error alone is the job's event (RunJob's godoc; root
// TestJobHandBackMultiErrorBothAnswers for a sent record).
func TestHandBackOverDroppedSharedEvent(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	u := eventref.New()
	tr := NewTrail(4)
	if _, first := tr.CaptureOnceSettled(nil, []error{a, b}, func() eventref.Named { return eventref.Of(eventref.New()) }, time.Now(), 0,
		func(eventref.Named) (eventref.Named, bool) { return eventref.Of(u), true }); !first {
		t.Fatal("first capture refused")
	}
	u.Drop()
	tr.HandBack(nil, a, "job", time.Now())
	if id, ok := tr.CapturedAs(a); !ok || id != "job" {
		t.Errorf("CapturedAs(a) = %q, %v; want the job's event", id, ok)
	}
	if id, ok := tr.CapturedAs(b); !ok || id != "" {
		t.Errorf("CapturedAs(b) = %q, %v; want captured under no event", id, ok)
	}
	for _, errs := range [][]error{{a, b}, {b, a}} {
		if got, first := tr.CaptureOnceSettled(nil, errs, func() eventref.Named { return eventref.Of(eventref.New()) }, time.Now(), 0, nil); first || got.ID != "" {
			t.Errorf("the record %v again: %q, first %v; want the record's dropped event, no event", errs, got.ID, first)
		}
	}
}

// TestHandBackOverTwoRecordsDedupedToADroppedEvent: two records of one
// error each, deduplicated by noise control against one event another
// unit's client was still deciding, which it then dropped, are no record
// of several errors: a job's event handed back for one of them names it
// (a retry's run), as for any record of one error.
func TestHandBackOverTwoRecordsDedupedToADroppedEvent(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	u := eventref.New()
	tr := NewTrail(4)
	for _, err := range []error{a, b} {
		if _, first := tr.CaptureOnceSettled(nil, []error{err}, func() eventref.Named { return eventref.Of(eventref.New()) }, time.Now(), 0,
			func(eventref.Named) (eventref.Named, bool) { return eventref.Of(u), true }); !first {
			t.Fatal("first capture refused")
		}
	}
	u.Drop()
	tr.HandBack(nil, a, "job", time.Now())
	if id, ok := tr.CapturedAs(a); !ok || id != "job" {
		t.Errorf("CapturedAs(a) = %q, %v; want the job's event", id, ok)
	}
	if id, ok := tr.CapturedAs(b); !ok || id != "" {
		t.Errorf("CapturedAs(b) = %q, %v; want captured under no event", id, ok)
	}
}
