package buffer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestCaptureOnceCallsNoUserCodeUnderTheLock: over random captures,
// look-ups, hand-backs, renames and forgettings of errors of every kind
// (comparable, incomparable, wrapped, joined, text-only, with a TextOnly
// method that says they are not), in a table that fills, no method of an
// error (Error, Unwrap, TextOnly) runs while the trail's lock is held: the
// user's code may log to the same trail, whose lock is not reentrant.
func TestCaptureOnceCallsNoUserCodeUnderTheLock(t *testing.T) {
	base := errors.New("base")
	fields := probeErrs{"a", "b"}
	reused := probeErrs{"c"}
	pool := []error{
		base,
		fmt.Errorf("wrapped: %w", base),
		fields,
		&probeWrap{fields},
		fmt.Errorf("w: %w", &probeWrap{fields}),
		&probeWrap{base},
		probeJoin{base, fields},
		&probeText{text: "wrap: base", only: true},
		&probeText{text: "a, b", only: true},
		&probeText{text: "not text only"},
		reused,
		&probeWrap{reused},
	}
	defer func() { probed = nil }()
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 11))
		tr := NewTrail(8)
		if seed%5 == 0 {
			tr = fallback
			tr.mu.Lock()
			tr.once = captured{}
			tr.mu.Unlock()
		}
		probed, locked = tr, 0
		now := time.Unix(1700000000, 0)
		var owner any
		if tr == fallback {
			owner = uint64(1)
		}
		for step := range 300 {
			now = now.Add(time.Duration(r.IntN(3)) * time.Second)
			err := pool[r.IntN(len(pool))]
			id := fmt.Sprint("e", seed, ".", step)
			switch r.IntN(9) {
			case 0, 1, 2:
				errs := []error{err}
				if r.IntN(4) == 0 {
					errs = append(errs, pool[r.IntN(len(pool))])
				}
				tr.CaptureOnceFor(owner, errs, func() string { return id }, now, time.Duration(r.IntN(2))*time.Minute)
			case 3:
				tr.CaptureByHand(err, id, now)
			case 4:
				tr.CapturedAs(err)
			case 5:
				tr.HandBack(owner, err, []string{id, ""}[r.IntN(2)], now)
			case 6:
				tr.NotSent(fmt.Sprint("e", seed, ".", r.IntN(step+1)))
			case 7:
				tr.Recaptured(fmt.Sprint("e", seed, ".", r.IntN(step+1)), "")
			case 8:
				// The reused error's storage refilled with another text.
				reused[0] = []string{"c", "d"}[r.IntN(2)]
			}
			if locked > 0 {
				t.Fatalf("seed %d step %d: %d calls of an error's methods under the trail's lock", seed, step, locked)
			}
		}
	}
	probed = nil
	fallback.mu.Lock()
	fallback.once = captured{}
	fallback.mu.Unlock()
}
