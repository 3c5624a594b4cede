package buffer

import (
	"errors"
	"testing"
	"time"
)

// Repeated is set by the first record capture-once finds sent already, and
// not by new errors.
func TestTrailRepeated(t *testing.T) {
	tr := NewTrail(4)
	err := errors.New("card declined")
	now := time.Unix(1, 0)
	if _, first := tr.captureOnce([]error{err}, "a", now, 0); !first || tr.Repeated() {
		t.Fatalf("a new error: first %v, repeated %v", first, tr.Repeated())
	}
	if _, first := tr.captureOnce([]error{errors.New("out of stock")}, "b", now, 0); !first || tr.Repeated() {
		t.Fatalf("a second new error: first %v, repeated %v", first, tr.Repeated())
	}
	if _, first := tr.captureOnce([]error{err}, "c", now, 0); first || !tr.Repeated() {
		t.Fatalf("a repeat: first %v, repeated %v", first, tr.Repeated())
	}
}
