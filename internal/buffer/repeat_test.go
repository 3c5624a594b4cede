package buffer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
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
