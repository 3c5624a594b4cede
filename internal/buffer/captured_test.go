package buffer

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

type sliceErr struct{ parts []string } // not comparable

func (e sliceErr) Error() string { return fmt.Sprint(e.parts) }

type selfErr struct{}

func (e *selfErr) Error() string { return "self" }
func (e *selfErr) Unwrap() error { return e }

type panicUnwrap struct{}

func (panicUnwrap) Error() string { return "panics" }
func (panicUnwrap) Unwrap() error { panic("unwrap exploded") }

func TestCaptureOnce(t *testing.T) {
	tr := NewTrail(10)
	now := time.Now()
	base := errors.New("timeout")
	if _, first := tr.captureOnce([]error{base}, "id1", now, 0); !first {
		t.Fatal("a new error counted as captured")
	}
	if id, first := tr.captureOnce([]error{base}, "id2", now, 0); first || id != "id1" {
		t.Errorf("the same error again: %q %v", id, first)
	}
	wrapped := fmt.Errorf("handler: %w", base)
	if id, first := tr.captureOnce([]error{wrapped}, "id3", now, 0); first || id != "id1" {
		t.Errorf("a wrapper of a captured error: %q %v", id, first)
	}
	joined := errors.Join(errors.New("other"), base)
	if _, first := tr.captureOnce([]error{joined}, "id4", now, 0); first {
		t.Error("a join holding a captured error is new (it wraps it)")
	}
	if _, first := tr.captureOnce([]error{base, errors.New("new")}, "id5", now, 0); !first {
		t.Error("a record with one new error among captured ones counted as captured")
	}
	if _, first := NewTrail(10).captureOnce([]error{base}, "x", now, 0); !first {
		t.Error("another trail shares this trail's captures")
	}
}

func TestCaptureOnceWindow(t *testing.T) {
	tr := NewTrail(10)
	now := time.Now()
	err := errors.New("e")
	tr.captureOnce([]error{err}, "id1", now, time.Second)
	if _, first := tr.captureOnce([]error{err}, "id2", now.Add(2*time.Second), time.Second); !first {
		t.Error("an error captured outside the window counted as captured")
	}
}

func TestCaptureOnceBadErrors(t *testing.T) {
	tr := NewTrail(10)
	now := time.Now()
	for _, err := range []error{sliceErr{[]string{"a"}}, &selfErr{}, panicUnwrap{}} {
		if _, first := tr.captureOnce([]error{err}, "id", now, 0); !first {
			t.Errorf("%T: first capture not new", err)
		}
		tr.captureOnce([]error{err}, "id", now, 0) // must not panic or hang
	}
	if len(errorChain(&selfErr{}, nil)) != 1 {
		t.Error("a self-wrapping error is not cut at its cycle")
	}
	if c := errorChain(panicUnwrap{}, nil); len(c) != 1 {
		t.Errorf("chain through a panicking Unwrap = %v", c)
	}
}

func TestCaptureOnceIsBounded(t *testing.T) {
	tr := NewTrail(10)
	now := time.Now()
	first := errors.New("first")
	tr.captureOnce([]error{first}, "id", now, 0)
	for i := range capturedSize {
		tr.captureOnce([]error{fmt.Errorf("e%d", i)}, "x", now, 0)
	}
	if _, isNew := tr.captureOnce([]error{first}, "again", now, 0); !isNew {
		t.Errorf("more than %d errors later, the first is still remembered", capturedSize)
	}
}

func TestChainDepth(t *testing.T) {
	err := errors.New("root")
	for i := range 200 {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	if n := len(errorChain(err, nil)); n != maxChain {
		t.Errorf("chain of 201 errors gave %d, want the bound %d", n, maxChain)
	}
}

// ifaceErr is of a comparable type, but comparing two values that hold a
// slice panics.
type ifaceErr struct{ v any }

func (e ifaceErr) Error() string { return "iface" }

type ping struct{ pong error }

func (e *ping) Error() string { return "ping" }
func (e *ping) Unwrap() error { return e.pong }

type panicJoin struct{ before error }

func (panicJoin) Error() string { return "join" }
func (e panicJoin) Unwrap() []error {
	if e.before == nil {
		panic("unwrap exploded")
	}
	return []error{e.before, panicUnwrap{}, errors.New("never reached")}
}

// TestCaptureOnceRemembersExactly capturedSize errors: the oldest of them
// is still known until one more distinct error is captured.
func TestCaptureOnceRemembersExactly(t *testing.T) {
	tr := NewTrail(1)
	now := time.Now()
	first := errors.New("first")
	tr.captureOnce([]error{first}, "id0", now, 0)
	for i := range capturedSize - 1 {
		tr.captureOnce([]error{fmt.Errorf("e%d", i)}, "x", now, 0)
	}
	if id, isNew := tr.captureOnce([]error{first}, "again", now, 0); isNew || id != "id0" {
		t.Fatalf("after %d other errors: %q %v, want still remembered", capturedSize-1, id, isNew)
	}
	tr.captureOnce([]error{errors.New("one more")}, "x", now, 0)
	if _, isNew := tr.captureOnce([]error{first}, "again", now, 0); !isNew {
		t.Errorf("after %d other errors, the first is still remembered", capturedSize)
	}
}

// TestCaptureOnceOnlyWrappersMatch: an error counts as captured when it is,
// or wraps, one captured; the errors a captured one wraps do not.
func TestCaptureOnceOnlyWrappersMatch(t *testing.T) {
	tr := NewTrail(1)
	now := time.Now()
	inner := errors.New("inner")
	outer := fmt.Errorf("outer: %w", inner)
	tr.captureOnce([]error{outer}, "outer-id", now, 0)
	if _, isNew := tr.captureOnce([]error{inner}, "x", now, 0); !isNew {
		t.Error("an error wrapped by a captured one counts as captured")
	}
	deeper := fmt.Errorf("a: %w", errors.Join(errors.New("b"), fmt.Errorf("c: %w", outer)))
	if id, isNew := tr.captureOnce([]error{deeper}, "y", now, 0); isNew || id != "outer-id" {
		t.Errorf("a join in a wrapper, around the captured error: %q %v", id, isNew)
	}
	if _, isNew := tr.captureOnce([]error{errors.Join(inner, errors.New("d"))}, "z", now, 0); isNew {
		t.Error("inner was captured by the last-but-one call: a join of it is not new")
	}
}

func TestCaptureOnceSeveralErrors(t *testing.T) {
	tr := NewTrail(1)
	now := time.Now()
	a, b := errors.New("a"), errors.New("b")
	tr.captureOnce([]error{a}, "id-a", now, 0)
	tr.captureOnce([]error{b}, "id-b", now, 0)
	if id, isNew := tr.captureOnce([]error{a, b}, "x", now, 0); isNew || (id != "id-a" && id != "id-b") {
		t.Errorf("two captured errors: %q %v", id, isNew)
	}
	if id, isNew := tr.captureOnce(nil, "x", now, 0); !isNew || id != "" {
		t.Errorf("no errors: %q %v, want new", id, isNew)
	}
	c := errors.New("c")
	if _, isNew := tr.captureOnce([]error{a, c}, "id-ac", now, 0); !isNew {
		t.Fatal("a and a new error counted as captured")
	}
	if id, _ := tr.captureOnce([]error{c}, "x", now, 0); id != "id-ac" {
		t.Errorf("the new error of a new event was remembered as %q", id)
	}
}

func TestCaptureOnceWindowEdges(t *testing.T) {
	tr := NewTrail(1)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := errors.New("e")
	tr.captureOnce([]error{err}, "id1", at, time.Second)
	if id, isNew := tr.captureOnce([]error{err}, "x", at.Add(time.Second), time.Second); isNew || id != "id1" {
		t.Errorf("exactly one window later: %q %v, want still captured", id, isNew)
	}
	if _, isNew := tr.captureOnce([]error{err}, "id2", at.Add(time.Second+1), time.Second); !isNew {
		t.Fatal("past the window: still captured")
	}
	if id, _ := tr.captureOnce([]error{err}, "x", at.Add(time.Second+2), time.Second); id != "id2" {
		t.Errorf("captured again after expiry: remembered as %q, want id2", id)
	}
	if id, isNew := tr.captureOnce([]error{err}, "x", at.Add(100*365*24*time.Hour), 0); isNew || id == "" {
		t.Errorf("a zero window expired an entry: %q %v", id, isNew)
	}
}

// fieldErrs is an incomparable error type shaped like validator's
// ValidationErrors: a slice with an Error method.
type fieldErrs []string

func (e fieldErrs) Error() string { return fmt.Sprint([]string(e)) }

// mapErr is an incomparable error type whose value is pointer-shaped.
type mapErr map[string]string

func (e mapErr) Error() string { return fmt.Sprint(map[string]string(e)) }

// TestCaptureOnceIncomparable: errors whose type cannot be compared with ==
// (or whose == panics) are captured once too, matched by identity: the same
// error, wrapped with %w or joined, is found again; another value of the
// same type and content is another error; nothing panics.
func TestCaptureOnceIncomparable(t *testing.T) {
	now := time.Now()
	for name, mk := range map[string]func() error{
		"slice type":            func() error { return fieldErrs{"name: required"} },
		"map type":              func() error { return mapErr{"name": "required"} },
		"struct with a slice":   func() error { return sliceErr{[]string{"a"}} },
		"slice in an interface": func() error { return ifaceErr{[]int{1}} }, // == panics
	} {
		t.Run(name, func(t *testing.T) {
			tr := NewTrail(1)
			err := mk()
			if _, isNew := tr.captureOnce([]error{err}, "id", now, 0); !isNew {
				t.Fatal("first capture not new")
			}
			for _, again := range []error{err, fmt.Errorf("svc: %w", err), fmt.Errorf("h: %w", fmt.Errorf("svc: %w", err)),
				errors.Join(errors.New("other"), err)} {
				if id, isNew := tr.captureOnce([]error{again}, "x", now, 0); isNew || id != "id" {
					t.Errorf("%v: %q %v, want the first capture's event", again, id, isNew)
				}
			}
			if _, isNew := tr.captureOnce([]error{mk()}, "y", now, 0); !isNew {
				t.Error("another value of the same type and content was taken for the captured one")
			}
			// By hand: the same error, or one it wraps, is contained.
			if id, first := tr.CaptureByHand(err, "hand", now); first || id != "id" {
				t.Errorf("CaptureByHand of the captured error = %q %v", id, first)
			}
			w := fmt.Errorf("outer: %w", mk())
			tr.captureOnce([]error{w}, "wid", now, 0)
			if id, first := tr.CaptureByHand(errors.Unwrap(w), "hand", now); first || id != "wid" {
				t.Errorf("CaptureByHand of an error a captured one wraps = %q %v", id, first)
			}
		})
	}
	// A pointer to an incomparable struct is comparable.
	tr := NewTrail(1)
	p := &sliceErr{[]string{"p"}}
	tr.captureOnce([]error{p}, "pid", now, 0)
	if id, isNew := tr.captureOnce([]error{p}, "x", now, 0); isNew || id != "pid" {
		t.Errorf("a pointer to an incomparable error: %q %v", id, isNew)
	}
	// Comparable values still compare by ==, not by identity.
	if !same(ifaceErr{1}, ifaceErr{1}) || same(ifaceErr{[]int{1}}, ifaceErr{[]int{1}}) || same(fieldErrs{"a"}, fieldErrs{"a"}) {
		t.Error("same compares values wrongly")
	}
	f := fieldErrs{"a", "b"}
	if !same(f, f) || same(f, f[:1]) || same(fieldErrs{}, fieldErrs{}) {
		t.Error("same does not take a slice converted twice for itself")
	}
	if same(nil, fieldErrs{}) || !same(nil, nil) {
		t.Error("same mishandles nil")
	}
}

func TestCaptureOnceConcurrent(t *testing.T) {
	tr := NewTrail(1)
	err := fmt.Errorf("shared: %w", errors.New("root"))
	var wg sync.WaitGroup
	var firsts atomic.Int64
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, isNew := tr.captureOnce([]error{err}, fmt.Sprint(g), time.Now(), 0); isNew {
				firsts.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := firsts.Load(); n != 1 {
		t.Errorf("%d goroutines captured the same error first", n)
	}
}

func TestChainShapes(t *testing.T) {
	b, c := errors.New("b"), errors.New("c")
	wb := fmt.Errorf("wb: %w", b)
	j := errors.Join(wb, c, b)
	if got := errorChain(j, nil); !slices.Equal(got, []error{j, wb, b, c}) {
		t.Errorf("join chain = %v, want depth first without repeats", got)
	}
	x := errors.New("x")
	if got := errorChain(wb, []error{x}); !slices.Equal(got, []error{x, wb, b}) {
		t.Errorf("chain appended to dst = %v", got)
	}
	if errorChain(nil, nil) != nil {
		t.Error("a nil error has a chain")
	}

	p1 := &ping{}
	p2 := &ping{pong: p1}
	p1.pong = p2
	if got := errorChain(p1, nil); !slices.Equal(got, []error{p1, p2}) {
		t.Errorf("a two-error cycle gave %v", got)
	}
	tr := NewTrail(1)
	tr.captureOnce([]error{p1}, "cycle", time.Now(), 0)
	if id, _ := tr.captureOnce([]error{p2}, "x", time.Now(), 0); id != "cycle" {
		t.Errorf("p2 wraps the captured p1 through the cycle, but got %q", id)
	}

	s1, s2 := sliceErr{[]string{"1"}}, sliceErr{[]string{"1"}}
	if got := errorChain(errors.Join(s1, s2), nil); len(got) != 3 {
		t.Errorf("a join of two incomparable errors gave %d, want both kept", len(got))
	}
	var f error = fieldErrs{"f"}
	if got := errorChain(errors.Join(f, fmt.Errorf("w: %w", f)), nil); len(got) != 3 {
		t.Errorf("a join holding one incomparable error twice gave %v, want it once", got)
	}

	pj := panicJoin{before: b}
	if got := errorChain(fmt.Errorf("top: %w", pj), nil); len(got) != 4 || got[2] != b {
		t.Errorf("chain through a join whose child panics = %v, want top, join, b, the panicking child", got)
	}
	if got := errorChain(panicJoin{}, nil); len(got) != 1 {
		t.Errorf("chain of a join whose Unwrap panics = %v", got)
	}
}

// TestCaptureByHand: CaptureByHand looks inside captured errors too (for
// errors captured by hand after logcrumbs sent a wrapper of them), and
// remembers the new ones, so that a second capture of the same is not new.
func TestCaptureByHand(t *testing.T) {
	tr := NewTrail(1)
	inner := errors.New("inner")
	tr.captureOnce([]error{fmt.Errorf("outer: %w", inner)}, "id", time.Now(), 0)
	if id, first := tr.CaptureByHand(inner, "hand", time.Now()); first || id != "id" {
		t.Errorf("CaptureByHand(inner) = %q, %v; want the wrapper's event", id, first)
	}
	other := errors.New("other")
	if _, first := tr.CaptureByHand(other, "hand", time.Now()); !first {
		t.Error("CaptureByHand(other) is not new")
	}
	if id, first := tr.CaptureByHand(other, "again", time.Now()); first || id != "hand" {
		t.Errorf("second CaptureByHand(other) = %q, %v; want the first one's event", id, first)
	}
	if _, first := tr.CaptureByHand(sliceErr{[]string{"x"}}, "x", time.Now()); !first {
		t.Error("an incomparable error is contained")
	}
}

// TestHandBack: a job's event handed back is the newer capture of its
// error: an entry of that error (or of its text, against a text-only
// error) names the job's event after it; one of an error it wraps, or one
// wrapping it, stays, and the error is remembered beside it; another
// owner's entry is not renamed; an expired one is, and counts from the
// hand-back on, also for a look-up with a longer window.
func TestHandBack(t *testing.T) {
	now := time.Now()
	tr := NewTrail(1)
	retried := errors.New("smtp down")
	tr.captureOnce([]error{retried}, "run1", now, 0)
	tr.HandBack(nil, retried, "run2", now)
	if id, first := tr.captureOnce([]error{fmt.Errorf("job: %w", retried)}, "x", now, 0); first || id != "run2" {
		t.Errorf("the error of a retry logged: %q, %v; want the second run's event", id, first)
	}

	inner := errors.New("inner")
	tr.captureOnce([]error{fmt.Errorf("outer: %w", inner)}, "outer", now, 0)
	tr.HandBack(nil, inner, "job", now)
	if id, first := tr.captureOnce([]error{inner}, "x", now, 0); first || id != "job" {
		t.Errorf("an error a captured one wraps, handed back: %q, %v; want the job's event", id, first)
	}
	cause := errors.New("cause")
	tr.captureOnce([]error{cause}, "cause", now, 0)
	wrapper := fmt.Errorf("w: %w", cause)
	tr.HandBack(nil, wrapper, "job2", now)
	if id, first := tr.captureOnce([]error{wrapper}, "x", now, 0); first || id != "job2" {
		t.Errorf("an error wrapping a captured one, handed back: %q, %v; want the job's event", id, first)
	}
	if id, first := tr.captureOnce([]error{cause}, "x", now, 0); first || id != "cause" {
		t.Errorf("the captured cause after: %q, %v; want its own event", id, first)
	}

	tr.captureOnce([]error{&textErr{text: "bad row"}}, "text1", now, 0)
	tr.HandBack(nil, errors.New("bad row"), "text2", now)
	if id, first := tr.captureOnce([]error{&textErr{text: "bad row"}}, "x", now, 0); first || id != "text2" {
		t.Errorf("a text-only error of the handed-back text: %q, %v; want the job's event", id, first)
	}

	fb := Fallback()
	shared := errors.New("shared " + t.Name())
	const window = time.Minute
	fb.CaptureOnceFor("A", []error{shared}, func() string { return "a" }, now, window)
	fb.HandBack("B", shared, "b", now)
	if id, first := fb.CaptureOnceFor("A", []error{shared}, func() string { return "y" }, now, window); first || id != "a" {
		t.Errorf("client A's entry after client B's hand-back: %q, %v; want A's event", id, first)
	}
	if id, first := fb.CaptureOnceFor("B", []error{shared}, func() string { return "y" }, now, window); first || id != "b" {
		t.Errorf("client B's hand-back: %q, %v; want B's event", id, first)
	}
	later := now.Add(2 * window)
	fb.HandBack("A", shared, "a2", later)
	if id, first := fb.CaptureOnceFor("A", []error{shared}, func() string { return "y" }, later, window); first || id != "a2" {
		t.Errorf("after the window: %q, %v; want the new hand-back's event", id, first)
	}
	if id, first := fb.CaptureOnceFor("A", []error{shared}, func() string { return "y" }, later, 4*window); first || id != "a2" {
		t.Errorf("after the window, looked up with a longer one: %q, %v; want the new hand-back's event", id, first)
	}
}

// TestHandBackTextOnFallback: on the fallback trail, which matches no
// text-only error to another error by text, an error a job handed back is
// matched by a text-only error of its text (or a wrapper's text of it),
// for the job's client within the window; an error merely logged there
// is not, nor another client's.
func TestHandBackTextOnFallback(t *testing.T) {
	now := time.Now()
	fb := Fallback()
	const window = time.Minute
	id := func(s string) func() string { return func() string { return s } }
	handed := errors.New("broker down " + t.Name())
	fb.HandBack("A", handed, "job", now)
	for _, text := range []string{handed.Error(), "consume: " + handed.Error()} {
		if got, first := fb.CaptureOnceFor("A", []error{&textErr{text: text}}, id("x"), now, window); first || got != "job" {
			t.Errorf("%q, the job's client: %q, %v; want the job's event", text, got, first)
		}
	}
	if _, first := fb.CaptureOnceFor("B", []error{&textErr{text: handed.Error()}}, id("b"), now, window); !first {
		t.Error("another client's text-only error of the text is not new")
	}
	if _, first := fb.CaptureOnceFor("A", []error{&textErr{text: handed.Error()}}, id("late"), now.Add(2*window), window); !first {
		t.Error("after the window, a text-only error of the text is not new")
	}
	logged := errors.New("logged " + t.Name())
	fb.CaptureOnceFor("A", []error{logged}, id("logged"), now, window)
	if _, first := fb.CaptureOnceFor("A", []error{&textErr{text: logged.Error()}}, id("y"), now, window); !first {
		t.Error("a text-only error of a logged (not handed back) error's text is not new on the fallback trail")
	}
}

// TestRecaptured: an event that was not sent is never named: its errors
// point at the event that stands for it, or are forgotten.
func TestRecaptured(t *testing.T) {
	tr := NewTrail(1)
	deduped, limited := errors.New("deduped"), errors.New("rate-limited")
	tr.captureOnce([]error{deduped}, "new1", time.Now(), 0)
	tr.Recaptured("new1", "earlier")
	if id, first := tr.captureOnce([]error{deduped}, "x", time.Now(), 0); first || id != "earlier" {
		t.Errorf("after a dedupe: %q, %v; want the earlier event", id, first)
	}
	tr.captureOnce([]error{limited}, "new2", time.Now(), 0)
	tr.Recaptured("new2", "")
	if _, first := tr.captureOnce([]error{limited}, "y", time.Now(), 0); !first {
		t.Error("after a rate-limited drop the error is still taken as sent")
	}
}

// textErr is known only by its text, as escalate.TextError.
type textErr struct {
	text  string
	panic bool
}

func (e *textErr) Error() string            { return e.text }
func (e *textErr) TextOnly() (string, bool) { return e.text, !e.panic }

// TestCaptureOnceByText: within a trail, a text-only error of the captured
// text, or of a wrapper's text of it (": " before it), is that error; other
// texts, real errors of the same text, panics' texts and the fallback
// trail's errors are not.
func TestCaptureOnceByText(t *testing.T) {
	now := time.Now()
	tr := NewTrail(1)
	tr.captureOnce([]error{&textErr{text: "repo failed"}}, "id", now, 0)
	for _, text := range []string{"repo failed", "svc: repo failed", "h: svc: repo failed"} {
		if id, isNew := tr.captureOnce([]error{&textErr{text: text}}, "x", now, 0); isNew || id != "id" {
			t.Errorf("%q: %q %v, want the captured one", text, id, isNew)
		}
	}
	for _, err := range []error{&textErr{text: "xrepo failed"}, &textErr{text: "repo failed: svc"}, &textErr{text: ": repo faile"},
		&textErr{text: "repo failed", panic: true}} {
		if _, isNew := tr.captureOnce([]error{err}, "other", now, 0); !isNew {
			t.Errorf("%q (%T) was taken for the captured error", err, err)
		}
	}
	// A real error and a text-only one of the same error (another logger
	// of the request, a hand capture) are matched by text, both ways...
	if id, isNew := tr.captureOnce([]error{errors.New("svc: repo failed")}, "real", now, 0); isNew || id != "id" {
		t.Errorf("a real error wrapping a captured text-only one: %q %v, want the captured one", id, isNew)
	}
	real := errors.New("disk full")
	hand := NewTrail(1)
	hand.CaptureByHand(real, "hand", now)
	if id, isNew := hand.captureOnce([]error{&textErr{text: "save: disk full"}}, "log", now, 0); isNew || id != "hand" {
		t.Errorf("text-only error wrapping a hand-captured one: %q %v, want the hand capture", id, isNew)
	}
	logged := NewTrail(1)
	logged.captureOnce([]error{&textErr{text: "disk full"}}, "log", now, 0)
	if id, isNew := logged.CaptureByHand(fmt.Errorf("save: %w", real), "hand", now); isNew || id != "log" {
		t.Errorf("hand capture wrapping a logged text-only error: %q %v, want the logged one", id, isNew)
	}
	// ...but two real errors of one text never are.
	two := NewTrail(1)
	two.captureOnce([]error{errors.New("not found")}, "a", now, 0)
	if _, isNew := two.captureOnce([]error{errors.New("not found")}, "b", now, 0); !isNew {
		t.Error("two real errors of one text were taken for one")
	}
	if _, isNew := two.CaptureByHand(errors.New("not found"), "c", now); !isNew {
		t.Error("a hand-captured real error was taken for a logged one of the same text")
	}
	fb := Fallback()
	text := "fallback " + t.Name()
	fb.captureOnce([]error{&textErr{text: text}}, "fb", now, time.Minute)
	if _, isNew := fb.captureOnce([]error{&textErr{text: "w: " + text}}, "fb2", now, time.Minute); !isNew {
		t.Error("the fallback trail matched errors of unrelated work by text")
	}
}

// TestCaptureOnceReusedStorage: an incomparable error whose storage is
// reused for another error (a map cleared and refilled, a slice refilled
// from buf[:0]) is another error, logged or captured by hand.
func TestCaptureOnceReusedStorage(t *testing.T) {
	now := time.Now()
	tr := NewTrail(1)
	m := mapErr{"name": "required"}
	tr.captureOnce([]error{m}, "m", now, 0)
	clear(m)
	m["email"] = "invalid"
	if _, isNew := tr.captureOnce([]error{m}, "m2", now, 0); !isNew {
		t.Error("a refilled map error was taken for the captured one")
	}
	buf := make(fieldErrs, 0, 2)
	buf = append(buf, "a")
	tr.captureOnce([]error{fmt.Errorf("w: %w", buf)}, "w", now, 0)
	if id, first := tr.CaptureByHand(buf, "hand", now); first || id != "w" {
		t.Errorf("CaptureByHand of the slice a captured error wraps = %q %v", id, first)
	}
	buf = append(buf[:0], "b")
	if _, first := tr.CaptureByHand(buf, "hand2", now); !first {
		t.Error("CaptureByHand of a refilled slice was taken for the captured one")
	}
}

// TestCaptureOnceEvictionOrder: the table grows as errors are captured and,
// once it holds capturedSize entries, replaces the oldest, through several
// rounds; an entry forgotten (Recaptured with no event) keeps its place in
// that order, as a slot of a fixed table would.
func TestCaptureOnceEvictionOrder(t *testing.T) {
	tr := NewTrail(1)
	now := time.Now()
	var errs []error
	forgotten := map[int]bool{}
	for i := range 3*capturedSize + 5 {
		err := fmt.Errorf("e%d", i)
		errs = append(errs, err)
		id := fmt.Sprint("id", i)
		if _, isNew := tr.captureOnce([]error{err}, id, now, 0); !isNew {
			t.Fatalf("e%d: a new error taken for a repeat", i)
		}
		if i%7 == 3 {
			tr.Recaptured(id, "")
			forgotten[i] = true
		}
		for j := range errs {
			kept := j > i-capturedSize && !forgotten[j]
			if _, _, found, _ := tr.once.findAllNow(nil, errorChains(errs[j:j+1], nil, nil), now, 0, true); found != kept {
				t.Fatalf("after e%d: e%d remembered %v, want %v", i, j, found, kept)
			}
		}
	}
}

// TestTrailSize: a trail does not carry a capture-once table before it
// captures: the table was about 4 KiB of every request's 4.75. A trail
// with its context is one allocation of the 1,024-byte size class: at
// most 1,016 bytes, as the runtime puts an 8-byte header in an object of
// more than 512 bytes that holds pointers (checked here as well as by the
// root's TestNewContextBytes, which the race detector skips).
func TestTrailSize(t *testing.T) {
	if n := unsafe.Sizeof(trailContext{}); n > 1016 {
		t.Errorf("trailContext is %d bytes, want at most 1,016 (DefaultTrail: %d)", n, unsafe.Sizeof(DefaultTrail{}))
	}
	tr := NewTrail(0)
	tr.captureOnce([]error{errors.New("x")}, "id", time.Now(), 0)
	if n := cap(tr.once.entries); n != capturedFirst {
		t.Errorf("first capture made room for %d entries, want %d", n, capturedFirst)
	}
}

// TestCaptureAllocs: capturing a new error into a trail whose table is
// full (each capture replaces the oldest entry) allocates nothing: the
// entries built for it were a slice made per capture, an allocation of
// every event.
func TestCaptureAllocs(t *testing.T) {
	tr := NewTrail(0)
	now := time.Now()
	errs := make([][]error, capturedSize+200)
	for i := range errs {
		errs[i] = []error{fmt.Errorf("w %d: %w", i, errors.New("x"))}
	}
	for _, e := range errs[:capturedSize] {
		tr.captureOnce(e, "id", now, 0)
	}
	i := capturedSize
	got := testing.AllocsPerRun(100, func() {
		if _, isNew := tr.captureOnce(errs[i], "id", now, 0); !isNew {
			t.Fatalf("error %d taken for a repeat", i)
		}
		i++
	})
	if got != 0 {
		t.Errorf("a new capture: %v allocations, want 0", got)
	}
}

// TestCaptureOnceRaceBetweenLooks: an error captured by another goroutine
// after this capture's first look-up, while its ID and entries are made
// outside the lock, is found by the second: one event, not two. (The
// second look-up is skipped only when nothing was added in between.)
func TestCaptureOnceRaceBetweenLooks(t *testing.T) {
	tr := NewTrail(1)
	now := time.Now()
	err := fmt.Errorf("shared: %w", errors.New("root"))
	tr.captureOnce([]error{errors.New("earlier")}, "earlier", now, 0)
	id, first := tr.CaptureOnceFor(nil, []error{err}, func() string {
		// Another goroutine's capture, between the two look-ups.
		if _, isNew := tr.captureOnce([]error{err}, "other", now, 0); !isNew {
			t.Fatal("the other capture was taken for a repeat")
		}
		return "mine"
	}, now, 0)
	if first || id != "other" {
		t.Errorf("CaptureOnceFor = %q %v, want the other capture's event (\"other\", false)", id, first)
	}
	if id, first := tr.captureOnce([]error{err}, "later", now, 0); first || id != "other" {
		t.Errorf("a later capture = %q %v, want (\"other\", false)", id, first)
	}
}

// TestHandBackNotSent: a job's event that was not sent (id "") is handed
// back as no event: a new error is remembered under none, so that logged
// it folds into none; an error known under an event that was sent keeps
// it; one known under none takes a later sent event.
func TestHandBackNotSent(t *testing.T) {
	now := time.Now()
	tr := NewTrail(1)
	dropped := errors.New("dropped")
	tr.HandBack(nil, dropped, "", now)
	if id, first := tr.captureOnce([]error{dropped}, "x", now, 0); first || id != "" {
		t.Errorf("an error whose job event was dropped, logged: %q, %v; want folded into none", id, first)
	}
	sent := errors.New("sent")
	tr.captureOnce([]error{sent}, "run1", now, 0)
	tr.HandBack(nil, sent, "", now)
	if id, first := tr.captureOnce([]error{sent}, "x", now, 0); first || id != "run1" {
		t.Errorf("an error sent before, its retry's event dropped: %q, %v; want the event sent", id, first)
	}
	tr.HandBack(nil, dropped, "run2", now)
	if id, first := tr.captureOnce([]error{dropped}, "x", now, 0); first || id != "run2" {
		t.Errorf("a dropped error sent by a retry: %q, %v; want the retry's event", id, first)
	}
}

// CaptureOnceSettled (1c8d549) names a new error's entries as settle
// answers, under the trail's lock.

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
