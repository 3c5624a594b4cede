package zerologsentry

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"testing"
	"unsafe"
	"weak"

	"github.com/rs/zerolog"
)

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
