package buffer

import (
	"errors"
	"testing"
	"time"
)

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
