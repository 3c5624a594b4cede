package buffer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
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

// findAllNow is findAll as lockedFind answers, for tests that hold t's
// lock themselves (their errors' methods do not log): the textOnly flags
// read, and the texts read and entries rechecked when the look-up needs
// them, all under the caller's lock. pending is always false.
func (c *captured) findAllNow(owner any, chains chainSet, now time.Time, window time.Duration, byText bool) (earlier string, at int, found, pending bool) {
	chains.textOnly = textOnlys(chains.errs, nil)
	var rc rechecks
	for {
		earlier, at, found, need := c.findAll(owner, chains, now, window, byText, &rc)
		switch need {
		case needTexts:
			chains.texts = readTexts(chains.errs, nil)
		case needRecheck:
			rc.check()
		default:
			return earlier, at, found, false
		}
	}
}

// probed is the trail whose lock the probe errors' methods check, and
// locked how many of their calls found it held (by their own goroutine:
// the tests using them are serial).
var (
	probed *Trail
	locked int
)

func probe() {
	if probed == nil {
		return
	}
	if !probed.mu.TryLock() {
		locked++
		return
	}
	probed.mu.Unlock()
}

// probeErrs is an incomparable error (found by identity and its text).
type probeErrs []string

func (e probeErrs) Error() string { probe(); return strings.Join(e, ", ") }

// probeWrap wraps err.
type probeWrap struct{ err error }

func (w *probeWrap) Error() string { probe(); return "wrap: " + w.err.Error() }
func (w *probeWrap) Unwrap() error { probe(); return w.err }

// probeJoin wraps several errors.
type probeJoin []error

func (j probeJoin) Error() string   { probe(); return fmt.Sprint(len(j), " errors") }
func (j probeJoin) Unwrap() []error { probe(); return j }

// probeText is text-only when only is set (see TextOnly).
type probeText struct {
	text string
	only bool
}

func (e *probeText) Error() string            { probe(); return e.text }
func (e *probeText) TextOnly() (string, bool) { probe(); return e.text, e.only }

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
