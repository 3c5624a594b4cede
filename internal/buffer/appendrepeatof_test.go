package buffer

import (
	"errors"
	"testing"
	"time"
)

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
