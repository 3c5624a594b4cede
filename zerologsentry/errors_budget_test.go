package zerologsentry

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

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
