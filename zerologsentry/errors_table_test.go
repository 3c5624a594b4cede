package zerologsentry

import (
	"errors"
	"strconv"
	"testing"
	"unsafe"
)

// TestErrorTableIndex: the index answers as the scan of the ring it
// replaced: the newest error of a text, none once every entry of that text
// is replaced, and a newer entry of a text survives an older one's
// replacement.
func TestErrorTableIndex(t *testing.T) {
	var tab errorTable
	if tab.find("a") != nil {
		t.Fatal("empty table found an error")
	}
	a1, a2 := errors.New("a"), errors.New("a")
	tab.add("a", &remembered{err: a1})
	tab.add("a", &remembered{err: a2})
	if got := tab.find("a"); got != a2 {
		t.Fatalf("find(a) = %p, want the newest %p", got, a2)
	}
	n := len(tab.entries)
	for i := range n - 1 { // replaces a1, the oldest, not a2
		tab.add(strconv.Itoa(i), &remembered{err: errors.New(strconv.Itoa(i))})
	}
	if got := tab.find("a"); got != a2 {
		t.Fatalf("after a1 was replaced, find(a) = %v, want a2", got)
	}
	tab.add("last", &remembered{err: errors.New("last")}) // replaces a2
	if got := tab.find("a"); got != nil {
		t.Fatalf("after every entry of a was replaced, find(a) = %v, want nil", got)
	}
	if got := tab.find("0"); got == nil || got.Error() != "0" {
		t.Fatalf("find(0) = %v", got)
	}
	if len(tab.newest) != n {
		t.Fatalf("index holds %d texts, want %d", len(tab.newest), n)
	}
}

type valueErr struct{ s []string } // incomparable, boxed when made an error

func (v valueErr) Error() string { return v.s[0] }

// TestRememberedOf: an error logged again gets its remembered value again,
// and every error, of any type, a value that wraps that very error, never
// another's (slots shared by many errors, incomparable values of equal
// content).
func TestRememberedOf(t *testing.T) {
	a := errors.New("a")
	r := rememberedOf(a)
	_ = r.Error() // zerolog writes it: it is remembered
	if r != rememberedOf(a) || r.err != a {
		t.Fatal("the same error got a new remembered value")
	}
	for i := range 1000 {
		errs := []error{errors.New("x"), valueErr{[]string{"x"}}, valueErr{[]string{"x"}}}
		for _, err := range errs {
			r := rememberedOf(err)
			_ = r.Error() // cached: the slot's next error is compared with it
			if words, got := *(*[2]uintptr)(unsafe.Pointer(&err)), *(*[2]uintptr)(unsafe.Pointer(&r.err)); words != got {
				t.Fatalf("round %d: remembered value of %T wraps another error", i, err)
			}
		}
	}
}
