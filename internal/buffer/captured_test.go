package buffer

import (
	"errors"
	"fmt"
	"testing"
	"time"
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
	if _, first := tr.CaptureOnce([]error{base}, "id1", now, 0); !first {
		t.Fatal("a new error counted as captured")
	}
	if id, first := tr.CaptureOnce([]error{base}, "id2", now, 0); first || id != "id1" {
		t.Errorf("the same error again: %q %v", id, first)
	}
	wrapped := fmt.Errorf("handler: %w", base)
	if id, first := tr.CaptureOnce([]error{wrapped}, "id3", now, 0); first || id != "id1" {
		t.Errorf("a wrapper of a captured error: %q %v", id, first)
	}
	joined := errors.Join(errors.New("other"), base)
	if _, first := tr.CaptureOnce([]error{joined}, "id4", now, 0); first {
		t.Error("a join holding a captured error is new (it wraps it)")
	}
	if _, first := tr.CaptureOnce([]error{base, errors.New("new")}, "id5", now, 0); !first {
		t.Error("a record with one new error among captured ones counted as captured")
	}
	if _, first := NewTrail(10).CaptureOnce([]error{base}, "x", now, 0); !first {
		t.Error("another trail shares this trail's captures")
	}
}

func TestCaptureOnceWindow(t *testing.T) {
	tr := NewTrail(10)
	now := time.Now()
	err := errors.New("e")
	tr.CaptureOnce([]error{err}, "id1", now, time.Second)
	if _, first := tr.CaptureOnce([]error{err}, "id2", now.Add(2*time.Second), time.Second); !first {
		t.Error("an error captured outside the window counted as captured")
	}
}

func TestCaptureOnceBadErrors(t *testing.T) {
	tr := NewTrail(10)
	now := time.Now()
	for _, err := range []error{sliceErr{[]string{"a"}}, &selfErr{}, panicUnwrap{}} {
		if _, first := tr.CaptureOnce([]error{err}, "id", now, 0); !first {
			t.Errorf("%T: first capture not new", err)
		}
		tr.CaptureOnce([]error{err}, "id", now, 0) // must not panic or hang
	}
	if len(Chain(&selfErr{}, nil)) != 1 {
		t.Error("a self-wrapping error is not cut at its cycle")
	}
	if c := Chain(panicUnwrap{}, nil); len(c) != 1 {
		t.Errorf("chain through a panicking Unwrap = %v", c)
	}
}

func TestCaptureOnceIsBounded(t *testing.T) {
	tr := NewTrail(10)
	now := time.Now()
	first := errors.New("first")
	tr.CaptureOnce([]error{first}, "id", now, 0)
	for i := range capturedSize {
		tr.CaptureOnce([]error{fmt.Errorf("e%d", i)}, "x", now, 0)
	}
	if _, isNew := tr.CaptureOnce([]error{first}, "again", now, 0); !isNew {
		t.Errorf("more than %d errors later, the first is still remembered", capturedSize)
	}
}

func TestChainDepth(t *testing.T) {
	err := errors.New("root")
	for i := range 200 {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	if n := len(Chain(err, nil)); n != maxChain {
		t.Errorf("chain of 201 errors gave %d, want the bound %d", n, maxChain)
	}
}
