package buffer

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

// Review of 1c8d549: CaptureOnceSettled names a new error's entries as
// settle answers, under the trail's lock.

func TestCaptureOnceSettledAnswers(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name      string
		as        string
		keep      bool
		wantFound bool
	}{
		{"sent", "new", true, true},
		{"deduplicated", "earlier", true, true},
		{"earlier dropped", "", true, true},
		{"rate-limited", "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTrail(1)
			err := errors.New(tc.name)
			named, first := tr.CaptureOnceSettled(nil, []error{err}, func() eventref.Named { return eventref.Named{ID: "new"} }, now, 0, func(id eventref.Named) (eventref.Named, bool) {
				if tr.mu.TryLock() {
					t.Error("settle ran without the trail's lock")
					tr.mu.Unlock()
				}
				if tc.keep && tc.as == "new" {
					return id, true
				}
				return eventref.Named{ID: tc.as}, tc.keep
			})
			if id := named.ID; id != "new" || !first {
				t.Fatalf("CaptureOnceSettled = %q, %v; want new, true", id, first)
			}
			earlier, first := tr.CaptureOnceFor(nil, []error{err}, func() string { return "again" }, now, 0)
			if found := !first; found != tc.wantFound || (found && earlier != tc.as) {
				t.Errorf("logged again: %q, found %v; want %q, found %v", earlier, found, tc.as, tc.wantFound)
			}
		})
	}
}

// TestCaptureOnceSettledPanics: a panicking settle leaves the trail
// unlocked and remembers nothing.
func TestCaptureOnceSettledPanics(t *testing.T) {
	tr := NewTrail(1)
	err := errors.New("settle panics")
	func() {
		defer func() { _ = recover() }()
		tr.CaptureOnceSettled(nil, []error{err}, func() eventref.Named { return eventref.Named{ID: "x"} }, time.Now(), 0, func(eventref.Named) (eventref.Named, bool) { panic("boom") })
	}()
	if !tr.mu.TryLock() {
		t.Fatal("the trail is left locked")
	}
	tr.mu.Unlock()
	if _, first := tr.captureOnce([]error{err}, "y", time.Now(), 0); !first {
		t.Error("a panicking settle remembered the error")
	}
}

// TestCaptureOnceSettledConcurrent: goroutines capture one error at once;
// one settles it, and every other finds it under the ID settle answered,
// never under the new ID it was not remembered by.
func TestCaptureOnceSettledConcurrent(t *testing.T) {
	for round := range 200 {
		tr := NewTrail(1)
		err := errors.New("concurrent")
		var mu sync.Mutex
		settles, wrong := 0, map[string]int{}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := range 8 {
			wg.Go(func() {
				<-start
				for i := range 20 {
					named, first := tr.CaptureOnceSettled(nil, []error{err}, func() eventref.Named { return eventref.Named{ID: string(rune('a'+g)) + string(rune('0'+i%10))} }, time.Now(), 0,
						func(eventref.Named) (eventref.Named, bool) { return eventref.Named{ID: "earlier"}, true })
					id := named.ID
					mu.Lock()
					if first {
						settles++
					} else if id != "earlier" {
						wrong[id]++
					}
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
		if settles != 1 || len(wrong) > 0 {
			t.Fatalf("round %d: %d settled, found under other IDs than settled: %v", round, settles, wrong)
		}
	}
}
