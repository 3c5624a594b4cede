package buffer

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

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
