package buffer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRepeatOfAgreesWithTheSearch: over random captures, look-ups, renames
// and forgettings, each at a time that mostly moves on and sometimes goes
// back, under a window that changes now and then, CaptureOnceFor (whose repeat of one error is answered by
// repeatOf when it can) decides as the full search of the table would.
func TestRepeatOfAgreesWithTheSearch(t *testing.T) {
	base := errors.New("base")
	pool := []error{
		base,
		fmt.Errorf("wrapped: %w", base),
		errors.New("other"),
		&textErr{text: "base"},
		&textErr{text: "wrapped: base"},
		fieldErrs{"a"}, // incomparable: matched by identity and text
		&textErr{text: "panic text", panic: true},
	}
	shared := fieldErrs{"b"}
	// reused: its storage refilled for another error now and then (see same)
	reused := fieldErrs{"c"}
	pool = append(pool, shared, fmt.Errorf("w: %w", shared), reused)
	memoHits, unownedBack := 0, 0
	for seed := range uint64(600) {
		r := rand.New(rand.NewPCG(seed, 7))
		var tr *Trail
		if seed%5 == 0 {
			tr = fallback // no matching by text
		} else {
			tr = NewTrail(8)
		}
		tr.mu.Lock()
		tr.once = captured{}
		tr.mu.Unlock()
		now := time.Unix(1700000000, 0)
		window := time.Duration(0)
		if seed%2 == 0 {
			window = 10 * time.Second
		}
		n := 0
		for step := range 200 {
			switch r.IntN(10) {
			case 0:
				now = now.Add(-time.Duration(r.IntN(5)) * time.Second)
			case 1, 2:
				now = now.Add(time.Duration(r.IntN(8)) * time.Second)
			}
			if seed%3 == 1 && r.IntN(4) == 0 {
				// Integrations sharing the fallback trail, each with its
				// own FallbackCaptureWindow, look up under different windows.
				window = []time.Duration{0, 10 * time.Second, time.Minute}[r.IntN(3)]
			}
			var owner any
			if r.IntN(6) == 0 {
				owner = uint64(r.IntN(2))
			}
			errs := []error{pool[r.IntN(len(pool))]}
			if r.IntN(8) == 0 {
				errs = append(errs, pool[r.IntN(len(pool))])
			}
			// The full search, as lockedFind does it, texts read.
			tr.mu.Lock()
			hitBefore := tr.once.last
			chains := errorChains(errs, nil, nil)
			chains.texts = readTexts(chains.errs, nil)
			wantID, _, wantFound, _ := tr.once.findAllNow(owner, chains, now, window, tr != fallback)
			memo := len(errs) == 1 && hitBefore.words != [2]uintptr{}
			if memo {
				if _, ok := tr.once.repeatOf(owner, errs[0], now, window); ok {
					memoHits++
				}
				// A skipped repeat's look-up (no owner, no window) answers
				// as the search does at any time, one before the last
				// look-up's too.
				if id, ok := tr.once.unownedRepeatOf(errs[0]); ok && owner == nil && window == 0 {
					if !wantFound || id != wantID {
						t.Fatalf("seed %d step %d: %v: unownedRepeatOf = %q, the search finds (%q, %v)", seed, step, errs, id, wantID, wantFound)
					}
					if now.Before(hitBefore.now) {
						unownedBack++
					}
				}
			}
			tr.mu.Unlock()
			n++
			newID := "id" + strconv.Itoa(n)
			gotID, first := tr.CaptureOnceFor(owner, errs, func() string { return newID }, now, window)
			if wantFound && (first || gotID != wantID) || !wantFound && (!first || gotID != newID) {
				t.Fatalf("seed %d step %d: %v: got (%q, %v), the search finds (%q, %v)", seed, step, errs, gotID, first, wantID, wantFound)
			}
			switch r.IntN(12) {
			case 3:
				reused[0] = strconv.Itoa(r.IntN(3))
			case 0:
				tr.Recaptured(gotID, "")
			case 1:
				tr.Recaptured(gotID, "renamed"+strconv.Itoa(n))
			case 2:
				tr.NotSent(gotID)
			}
		}
	}
	if memoHits < 1000 || unownedBack < 40 {
		t.Fatalf("repeatOf answered %d look-ups, unownedRepeatOf %d at a time before the last look-up's: too few for this test to say anything", memoHits, unownedBack)
	}
}

// TestRepeatOfWindowOfTheLookUp: the fallback trail is shared by every
// integration, each with its own FallbackCaptureWindow. A repeat looked up
// under a wider window than the look-up repeatOf remembers may match an
// older entry, ahead of the remembered one in the search: repeatOf must
// answer as that search does, not with the entry found under the
// narrower window.
func TestRepeatOfWindowOfTheLookUp(t *testing.T) {
	tr := NewTrail(8)
	p := errors.New("p")
	t0 := time.Unix(1700000000, 0)
	id := func(s string) func() string { return func() string { return s } }
	narrow, wide := 10*time.Second, time.Minute
	if got, first := tr.CaptureOnceFor(nil, []error{p}, id("e1"), t0, narrow); !first || got != "e1" {
		t.Fatalf("first capture: (%q, %v)", got, first)
	}
	// e1 is out of the narrow window: p is captured again.
	if got, first := tr.CaptureOnceFor(nil, []error{p}, id("e2"), t0.Add(20*time.Second), narrow); !first || got != "e2" {
		t.Fatalf("capture after the window: (%q, %v)", got, first)
	}
	// A repeat under the narrow window finds e2 (and is remembered).
	if got, first := tr.CaptureOnceFor(nil, []error{p}, id("x"), t0.Add(21*time.Second), narrow); first || got != "e2" {
		t.Fatalf("repeat under the narrow window: (%q, %v), want e2", got, first)
	}
	for _, window := range []time.Duration{wide, 0} {
		now := t0.Add(22 * time.Second)
		tr.mu.Lock()
		want, _, found, _ := tr.once.findAllNow(nil, errorChains([]error{p}, nil, nil), now, window, true)
		tr.mu.Unlock()
		if !found || want != "e1" {
			t.Fatalf("the search under window %v finds (%q, %v), want e1", window, want, found)
		}
		if got, first := tr.CaptureOnceFor(nil, []error{p}, id("x"), now, window); first || got != want {
			t.Fatalf("repeat under window %v: (%q, %v), the search finds %q", window, got, first, want)
		}
	}
}

// TestAppendRepeatOf: AppendRepeatOf appends what AppendRepeat does, with
// c.ID set to the earlier event's ID, only when the trail's last look-up
// answers for err, c then Fits and counted agrees; counted runs with the
// trail's lock held (the look-up, the count and the append are one step),
// and is not asked when the look-up or Fits refuses. A refusal leaves the
// trail as it was.
func TestAppendRepeatOf(t *testing.T) {
	err, other := errors.New("charge failed"), errors.New("other")
	now := time.Unix(1700000000, 0)
	const id = "0123456789abcdef0123456789abcdef"
	newTrail := func(captured bool) *Trail {
		tr := NewTrail(4)
		old := Get(now, LevelInfo, DefaultBreadcrumbLimits)
		old.SetNames("old", "before")
		tr.Append(old)
		if captured {
			// The first look-up captures err; the second finds it, and
			// becomes the trail's last look-up.
			if _, first := tr.CaptureOnceFor(nil, []error{err}, func() string { return id }, now, 0); !first {
				t.Fatal("first capture refused")
			}
			if earlier, first := tr.CaptureOnceFor(nil, []error{err}, func() string { return "x" }, now, 0); first || earlier != id {
				t.Fatalf("second look-up: %q, %v", earlier, first)
			}
		}
		return tr
	}
	repeat := func() Repeat {
		return Repeat{
			Time: now, Elapsed: time.Millisecond, Level: LevelError,
			EventLimits: DefaultEventLimits, Limits: DefaultBreadcrumbLimits,
			Logger: "zerolog", Message: "charge failed", Raw: []byte("a=1,b=2"), Parse: parsePairs,
			Key: "sentry.event_id",
		}
	}
	for _, tc := range []struct {
		name     string
		captured bool
		err      error
		key      string // "" makes c not fit
		count    bool
		asked    bool
		want     bool
	}{
		{"appended", true, err, "sentry.event_id", true, true, true},
		{"not counted", true, err, "sentry.event_id", false, true, false},
		{"another error", true, other, "sentry.event_id", true, false, false},
		{"not captured", false, err, "sentry.event_id", true, false, false},
		{"does not fit", true, err, "", true, false, false},
	} {
		tr := newTrail(tc.captured)
		c := repeat()
		c.Key = tc.key
		asked := false
		got := tr.AppendRepeatOf(tc.err, &c, func(earlier string) bool {
			asked = true
			if tr.mu.TryLock() {
				tr.mu.Unlock()
				t.Errorf("%s: counted runs without the trail's lock", tc.name)
			}
			if earlier != id || c.ID != id {
				t.Errorf("%s: counted is given %q, c.ID %q; want %q", tc.name, earlier, c.ID, id)
			}
			return tc.count
		})
		if got != tc.want || asked != tc.asked {
			t.Errorf("%s: AppendRepeatOf = %v, counted asked %v; want %v, %v", tc.name, got, asked, tc.want, tc.asked)
		}
		wantLen, wantLast := 1, ""
		if tc.want {
			wantLen, wantLast = 2, id
		}
		if tr.Len() != wantLen || tr.LastEvent() != wantLast {
			t.Errorf("%s: %d records, last event %q; want %d, %q", tc.name, tr.Len(), tr.LastEvent(), wantLen, wantLast)
		}
		if !tc.want {
			continue
		}
		twin := newTrail(true)
		w := repeat()
		w.ID = id
		twin.AppendRepeat(&w)
		tr.mu.Lock()
		a := tr.recs[(tr.head+tr.n-1)%len(tr.recs)]
		tr.mu.Unlock()
		twin.mu.Lock()
		b := twin.recs[(twin.head+twin.n-1)%len(twin.recs)]
		twin.mu.Unlock()
		if d := sameRecord(a, b); d != "" {
			t.Errorf("%s: the breadcrumb differs from AppendRepeat's in its %s", tc.name, d)
		}
	}
}

// TestUnownedRepeatOfAgreesWithRepeatOf: AppendRepeatOf's look-up,
// unownedRepeatOf, answers as repeatOf with no owner and no window at the
// last look-up's time, over
// random last look-ups (of one error or another, or none; by no owner, an
// owner, a typed nil or an incomparable one; with and without a window;
// earlier, later or at the same time, with and without a monotonic
// reading) and entries (holding that error, another, or none).
func TestUnownedRepeatOfAgreesWithRepeatOf(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 8))
	errs := []error{errors.New("a"), errors.New("b"), &selfErr{}, nil}
	now := time.Now()
	times := []time.Time{now, now.Add(-time.Second), now.Add(time.Second), now.Round(0), now.Round(0).Add(time.Nanosecond), {}}
	owners := []any{nil, "owner", (*int)(nil), []int{1}}
	windows := []time.Duration{0, time.Second, -1}
	for step := range 200000 {
		var c captured
		c.entries = make([]capturedEntry, 1+r.IntN(3))
		for i := range c.entries {
			c.entries[i] = capturedEntry{err: errs[r.IntN(len(errs))], id: strconv.Itoa(i), at: times[r.IntN(len(times))]}
		}
		var words [2]uintptr
		if err := errs[r.IntN(len(errs))]; err != nil {
			words = interfaceWords(err)
		}
		c.last = lastFound{words: words, owner: owners[r.IntN(len(owners))], at: r.IntN(len(c.entries)),
			now: times[r.IntN(len(times))], window: windows[r.IntN(len(windows))]}
		// At the last look-up's time: repeatOf's answer with no window
		// at any time not before it, the search's (under no window, the
		// same) at any time (TestRepeatOfAgreesWithTheSearch).
		err := errs[r.IntN(len(errs))]
		got, ok := c.unownedRepeatOf(err)
		want, wok := c.repeatOf(nil, err, c.last.now, 0)
		if got != want || ok != wok {
			t.Fatalf("step %d: unownedRepeatOf = %q, %v; repeatOf = %q, %v (last %+v, err %v)", step, got, ok, want, wok, c.last, err)
		}
	}
}

// Repeated is set by the first record capture-once finds sent already, and
// not by new errors.
func TestTrailRepeated(t *testing.T) {
	tr := NewTrail(4)
	err := errors.New("card declined")
	now := time.Unix(1, 0)
	if _, first := tr.captureOnce([]error{err}, "a", now, 0); !first || tr.Repeated() {
		t.Fatalf("a new error: first %v, repeated %v", first, tr.Repeated())
	}
	if _, first := tr.captureOnce([]error{errors.New("out of stock")}, "b", now, 0); !first || tr.Repeated() {
		t.Fatalf("a second new error: first %v, repeated %v", first, tr.Repeated())
	}
	if _, first := tr.captureOnce([]error{err}, "c", now, 0); first || !tr.Repeated() {
		t.Fatalf("a repeat: first %v, repeated %v", first, tr.Repeated())
	}
}

// sameRecord reports where a and b differ, the storage's capacity aside;
// "" when they do not.
func sameRecord(a, b *Record) string {
	switch {
	case !a.Time.Equal(b.Time) || a.Elapsed != b.Elapsed || a.Level != b.Level || a.PC != b.PC:
		return "time, level or PC"
	case a.logger != b.logger || a.msg != b.msg || a.limits != b.limits:
		return "names or limits"
	case !reflect.DeepEqual(a.attrs, b.attrs) && (len(a.attrs) > 0 || len(b.attrs) > 0):
		return "attributes"
	case string(a.data) != string(b.data):
		return "data"
	case a.Truncated != b.Truncated || a.DroppedAttrs != b.DroppedAttrs || a.Logged != b.Logged || a.event != b.event:
		return "marks"
	case a.open != b.open || a.droppedOpen != b.droppedOpen || a.textStart != b.textStart || a.textTotal != b.textTotal || a.full != b.full:
		return "state"
	case a.errs != nil || b.errs != nil || a.errBufUsed != b.errBufUsed || a.errBuf != b.errBuf:
		return "errors"
	case a.deferred != b.deferred || (a.parse == nil) != (b.parse == nil):
		return "deferred fields"
	}
	return ""
}

// TestAppendRepeatAgreesWithRelimit: whenever Repeat.Fits, the breadcrumb
// Trail.AppendRepeat fills is the record the path it stands for makes (an
// event record from the pool, its names set, its fields deferred, its
// errors gathered in its slot and released, Relimit, AddTextBeforeFields),
// field for field, before and after its fields are parsed; and that path's
// Relimit takes every record Fits says it does. Random names, fields, IDs
// and limits, around the bounds; trails full and not, their dropped records
// of storage the pool keeps or not.
func TestAppendRepeatAgreesWithRelimit(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 3))
	size := func(n int) int { return r.IntN(n + 1) }
	limits := func() Limits {
		if r.IntN(3) == 0 {
			return DefaultBreadcrumbLimits
		}
		return Limits{MaxAttrs: 1 + r.IntN(40), MaxValueBytes: 1 + r.IntN(300), MaxRecordBytes: 1 + r.IntN(600)}
	}
	fits, refused := 0, 0
	for i := range 20000 {
		var pairs []string
		for n := r.IntN(6); n > 0; n-- {
			pairs = append(pairs, strings.Repeat("k", 1+size(4))+"="+strings.Repeat("v", size(60)))
		}
		c := Repeat{
			Time: time.Unix(1700000000, int64(i)), Elapsed: time.Duration(r.IntN(3)), Level: LevelError,
			EventLimits: limits(), Limits: limits(),
			Logger: strings.Repeat("l", size(140)), Message: strings.Repeat("m", size(200)),
			Raw: []byte(strings.Join(pairs, ",")), Parse: parsePairs,
			Key: "sentry.event_id", ID: strings.Repeat("0", size(32)),
		}
		if r.IntN(4) == 0 {
			c.EventLimits = DefaultEventLimits
		}
		// The path AppendRepeat stands for (core's buildDeferred, then
		// escalate's breadcrumbOf).
		want := Get(c.Time, c.Level, c.EventLimits)
		want.StartEvent()
		want.Elapsed = c.Elapsed
		want.SetNames(c.Logger, c.Message)
		slot := want.ErrorsSlot(nil)
		deferred := want.Defer(c.Raw, c.Parse)
		*slot = nil
		want.ReleaseErrors()
		whole := int(want.logger.len) == len(c.Logger) && int(want.msg.len) == len(c.Message)
		taken := deferred && whole && want.Relimit(c.Limits, len(c.Key)+len(c.ID), 1, c.Key)
		if !c.Fits() {
			refused++
			if taken && len(c.Logger)+len(c.Message)+len(c.Raw)+len(c.Key)+len(c.ID) <= maxRepeatBytes {
				t.Errorf("%d: Fits refuses a repeat Relimit takes (%+v)", i, c.Limits)
			}
			continue
		}
		fits++
		if !taken {
			t.Fatalf("%d: Fits takes a repeat the path does not keep in place (deferred %v, whole %v)", i, deferred, whole)
		}
		want.AddTextBeforeFields(KindString, c.Key, c.ID)

		tr := NewTrail(2)
		for range r.IntN(3) { // empty, one record, full
			old := Get(c.Time, LevelInfo, DefaultBreadcrumbLimits)
			old.SetNames("old", strings.Repeat("o", size(100)))
			if r.IntN(4) == 0 {
				old.Grow(maxPooledBytes+1, 0) // not reused
			}
			tr.Append(old)
		}
		tr.AppendRepeat(&c)
		tr.mu.Lock()
		got := tr.recs[(tr.head+tr.n-1)%len(tr.recs)]
		tr.mu.Unlock()
		if d := sameRecord(got, want); d != "" {
			t.Fatalf("%d: the breadcrumb differs in its %s", i, d)
		}
		if tr.LastEvent() != c.ID {
			t.Fatalf("%d: last event %q, want %q", i, tr.LastEvent(), c.ID)
		}
		got.Expand()
		want.Expand()
		if d := sameRecord(got, want); d != "" {
			t.Fatalf("%d: parsed, the breadcrumb differs in its %s", i, d)
		}
		Put(want)
	}
	if fits < 2000 || refused < 2000 {
		t.Fatalf("%d repeats fit, %d did not: the cases test too little of one side", fits, refused)
	}
}
