package policy

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

type cycleErr struct{ next *cycleErr }

func (e *cycleErr) Error() string { return "cycle" }
func (e *cycleErr) Unwrap() error { return e.next }

type unwrapPanics struct{}

func (unwrapPanics) Error() string { return "quota" }
func (unwrapPanics) Unwrap() error { panic("Unwrap exploded") }

type causeErr struct{ cause error }

func (e causeErr) Error() string { return "cause" }
func (e causeErr) Cause() error  { return e.cause }

type nilPtrErr struct{ inner error }

func (e *nilPtrErr) Error() string { return "nil" }
func (e *nilPtrErr) Unwrap() error { return e.inner } // panics on a nil receiver

// TestFingerprintKeyNamesTheChain: the key names the types of the errors
// each of a record's errors wraps, so that two chains of one outer type
// differ; a cycle is cut at maxKeyChain, and an Unwrap that panics or a
// typed nil ends the chain.
func TestFingerprintKeyNamesTheChain(t *testing.T) {
	key := func(errs ...error) string {
		return string(AppendFingerprintKeyOf(nil, 1, "slog", nil, "main.go:1", errs, "m"))
	}
	a, b := fmt.Errorf("a: %w", errors.New("x")), fmt.Errorf("b: %w", valueErr{"y"})
	if key(a) == key(b) {
		t.Errorf("two chains of one outer type, one key: %s", key(a))
	}
	if key(a) != key(fmt.Errorf("other: %w", errors.New("z"))) {
		t.Error("two chains of the same types, two keys")
	}
	if k := key(errors.Join(a, b)); !strings.Contains(k, "[<*fmt.wrapError<*errors.errorString<*fmt.wrapError<policy.valueErr]") {
		t.Errorf("join: %s", k)
	}
	if k := key(causeErr{valueErr{"v"}}); !strings.HasSuffix(k, "|policy.causeErr<policy.valueErr") {
		t.Errorf("Cause: %s", k)
	}
	c := &cycleErr{}
	c.next = c
	if n := strings.Count(key(c), "*policy.cycleErr"); n != maxKeyChain {
		t.Errorf("cycle: %d links, want %d", n, maxKeyChain)
	}
	if k := key(fmt.Errorf("w: %w", unwrapPanics{})); !strings.HasSuffix(k, "|*fmt.wrapError<policy.unwrapPanics") {
		t.Errorf("Unwrap panics: %s", k)
	}
	var typedNil *nilPtrErr
	if k := key(fmt.Errorf("w: %w", typedNil)); !strings.HasSuffix(k, "|*fmt.wrapError<*policy.nilPtrErr") {
		t.Errorf("typed nil: %s", k)
	}
}
