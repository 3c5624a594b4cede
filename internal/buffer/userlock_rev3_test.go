package buffer

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// capturingErrs is an incomparable error (found by identity and its text)
// whose Error method captures a new error on trail, as an error type that
// logs an error of its own to its context (a rendering failure) does: each
// call is one more entry. calls counts its Error calls; past limit it
// captures nothing more, so that a look-up that retries for each addition
// ends, and the test can count.
type capturingErrs []*capturingState

type capturingState struct {
	trail *Trail
	calls int
	limit int
}

func (e capturingErrs) Error() string {
	s := e[0]
	s.calls++
	if s.calls <= s.limit {
		fresh := fmt.Errorf("rendering failed (%d)", s.calls)
		s.trail.CaptureOnceFor(nil, []error{fresh}, func() string { return fmt.Sprint("r", s.calls) }, time.Now(), 0)
	}
	return "field errors"
}

// TestLookUpOfAnErrorWhoseErrorCaptures: CapturedAs, CaptureByHand and
// HandBack look the entries up outside the trail's lock, and kept the
// answer only when no entry was added meanwhile, else asked every entry
// again: with an entry whose Error method (asked to recheck its text)
// captures a new error, each look-up added one and started again, until
// the new errors had pushed the entry itself out of the table (32 Error
// calls, each a new event of the user's), and the error, captured, was
// answered as new: a second event for it (CaptureByHand), or none found
// to hand back (RunJob's CapturedAs).
func TestLookUpOfAnErrorWhoseErrorCaptures(t *testing.T) {
	for _, op := range []string{"CaptureOnceFor", "CapturedAs", "CaptureByHand", "HandBack"} {
		t.Run(op, func(t *testing.T) {
			tr := NewTrail(8)
			s := &capturingState{trail: tr, limit: 1000}
			err := capturingErrs{s}
			now := time.Now()
			if _, first := tr.CaptureOnceFor(nil, []error{err}, func() string { return "e1" }, now, 0); !first {
				t.Fatal("the error's first capture found captured")
			}
			before := s.calls
			switch op {
			case "CaptureOnceFor": // asked as CapturedAs is (and was not wrong)
				if id, first := tr.CaptureOnceFor(nil, []error{fmt.Errorf("again: %w", err)}, func() string { return "e4" }, now, 0); first || id != "e1" {
					t.Errorf("CaptureOnceFor = %q, %v; want e1, false", id, first)
				}
			case "CapturedAs":
				if id, ok := tr.CapturedAs(err); !ok || id != "e1" {
					t.Errorf("CapturedAs = %q, %v; want e1", id, ok)
				}
			case "CaptureByHand":
				if id, first := tr.CaptureByHand(err, "e2", now); first || id != "e1" {
					t.Errorf("CaptureByHand = %q, %v; want e1, false", id, first)
				}
			case "HandBack":
				tr.HandBack(nil, err, "e3", now)
				if id, ok := tr.CapturedAs(err); !ok || id != "e3" {
					t.Errorf("after HandBack, CapturedAs = %q, %v; want e3", id, ok)
				}
			}
			if n := s.calls - before; n > 10 {
				t.Errorf("%s called the error's Error method %d times (each capturing a new error): the look-up retried for each addition", op, n)
			}
		})
	}
}

// capturingWrap wraps err, and its Unwrap method captures a new error on
// trail (see capturingErrs): asked by every look-up that walks the chains
// of the captured errors (CapturedAs, CaptureByHand).
type capturingWrap struct {
	err error
	s   *capturingState
}

func (w *capturingWrap) Error() string { return "wrap: " + w.err.Error() }
func (w *capturingWrap) Unwrap() error {
	s := w.s
	s.calls++
	if s.calls <= s.limit {
		fresh := fmt.Errorf("unwrapping (%d)", s.calls)
		s.trail.CaptureOnceFor(nil, []error{fresh}, func() string { return fmt.Sprint("u", s.calls) }, time.Now(), 0)
	}
	return w.err
}

// TestLookUpOfAWrapperWhoseUnwrapCaptures: as
// TestLookUpOfAnErrorWhoseErrorCaptures, with a captured wrapper whose
// Unwrap method captures a new error: CapturedAs of the error it wraps
// walked its chain again for each addition, until the wrapper was pushed
// out of the table, and answered that nothing captured wraps the error.
func TestLookUpOfAWrapperWhoseUnwrapCaptures(t *testing.T) {
	tr := NewTrail(8)
	s := &capturingState{trail: tr, limit: 1000}
	inner := errors.New("smtp down")
	w := &capturingWrap{err: inner, s: s}
	now := time.Now()
	if _, first := tr.CaptureOnceFor(nil, []error{w}, func() string { return "e1" }, now, 0); !first {
		t.Fatal("the wrapper's first capture found captured")
	}
	before := s.calls
	if id, ok := tr.CapturedAs(inner); !ok || id != "e1" {
		t.Errorf("CapturedAs of the wrapped error = %q, %v; want e1", id, ok)
	}
	if n := s.calls - before; n > 10 {
		t.Errorf("CapturedAs called the wrapper's Unwrap method %d times (each capturing a new error): the look-up retried for each addition", n)
	}
}
