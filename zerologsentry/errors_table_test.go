package zerologsentry

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
	"weak"

	"github.com/rs/zerolog"
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

// TestRememberedTextsAreBounded: with ErrorMarshalFunc, the table of
// errors written lately (its 256 most recent) keeps each one's text, and
// the error: errors whose texts hold a response body (an upstream's HTML
// error page) kept hundreds of MiB alive for the life of the process,
// logged at any level, with no hook on the logger. The table keeps the
// newest errors within a budget of their texts' bytes; the newest is
// always found.
func TestRememberedTextsAreBounded(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = ErrorMarshalFunc(nil)
	l := zerolog.New(io.Discard)
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	before := m.HeapAlloc
	body := strings.Repeat("<p>Service Unavailable</p>", 1<<20/26)
	var last error
	for i := range 300 {
		last = fmt.Errorf("upstream answered %d: %s", i, body)
		l.Info().Err(last).Msg("call failed")
	}
	if recent.find(last.Error()) != last {
		t.Error("the newest error is not found by its text")
	}
	last = nil
	runtime.GC()
	runtime.ReadMemStats(&m)
	if kept := int64(m.HeapAlloc) - int64(before); kept > 32<<20 {
		t.Errorf("%d MiB kept alive after 300 records of 1 MiB error texts, want at most 32", kept>>20)
	}
	for range len(recent.entries) { // what this test put in the table goes
		l.Info().Err(fmt.Errorf("small")).Msg("reset")
	}
}

type bigErr struct{ payload []byte }

func (e *bigErr) Error() string { return fmt.Sprintf("big error of %d bytes", len(e.payload)) }

// cacheSlotOf returns the index of err's slot in rememberedCache.
func cacheSlotOf(err error) uintptr {
	words := (*[2]uintptr)(unsafe.Pointer(&err))
	return (words[0] ^ words[1]) >> 4 % uintptr(len(rememberedCache))
}

// TestRememberedErrorsAreReleased: with ErrorMarshalFunc, an error stays
// alive no longer than the recent errors table remembers it (its 256 most
// recent entries): once later records have pushed it out of the table, the
// cache of remembered values must not keep it (and all it references, such
// as a request's body) alive for the life of the process. It did: a slot of
// the cache that no later error hashed to kept its error forever, e.g. while
// an error storm of one other error filled the table.
func TestRememberedErrorsAreReleased(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = ErrorMarshalFunc(nil)
	l := zerolog.New(io.Discard)

	wp := func() weak.Pointer[bigErr] {
		x := &bigErr{payload: make([]byte, 1<<20)}
		l.Error().Err(x).Msg("once")
		if recent.find(x.Error()) != x {
			t.Fatal("the error was not remembered")
		}
		var storm error
		for i := 0; storm == nil; i++ { // an error of another cache slot
			if e := errors.New(fmt.Sprint("storm ", i)); cacheSlotOf(e) != cacheSlotOf(x) {
				storm = e
			}
		}
		for range 2 * len(recent.entries) {
			l.Error().Err(storm).Msg("storm")
		}
		return weak.Make(x)
	}()
	if recent.find("big error of 1048576 bytes") != nil {
		t.Fatal("the error is still in the table after 512 later errors")
	}
	runtime.GC()
	runtime.GC()
	if wp.Value() != nil {
		t.Fatal("an error pushed out of the recent errors table is still kept alive")
	}
}
