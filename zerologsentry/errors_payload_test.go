package zerologsentry

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestRememberedPayloadsAreBounded: with ErrorMarshalFunc, the table of
// errors written lately counted their texts (maxRecentBytes), not what the
// errors reference: errors of short texts holding a large payload (a
// response body kept for a retry) stayed alive, 256 of them, for the life
// of the process, logged at any level, with no hook. Beyond its newest
// entries (strongRecent), once a collection ran, the table holds errors
// of pointer types weakly: found while the program holds them, not kept
// alive by the table.
func TestRememberedPayloadsAreBounded(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = ErrorMarshalFunc(nil)
	l := zerolog.New(io.Discard)
	heap := func() int64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	before := heap()
	const payload = 128 << 10
	held := &bigErr{payload: make([]byte, payload)} // the program keeps it
	l.Error().Err(held).Msg("held")
	var last error
	for i := range 200 {
		last = &textErr{fmt.Sprint("failed ", i), make([]byte, payload)}
		l.Error().Err(last).Msg("call failed")
	}
	if recent.find(last.Error()) != last {
		t.Error("the newest error is not found by its text")
	}
	// The entries are demoted after a collection (see demoteOld), then
	// collected at the next.
	deadline := time.Now().Add(10 * time.Second)
	for d := recent.demotions.Load(); recent.demotions.Load() == d; {
		if time.Now().After(deadline) {
			t.Fatal("no demotion of the table's old entries after 10 s of collections")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	kept := heap() - before
	if recent.find(held.Error()) != held {
		t.Error("an error the program holds is not found by its text once 200 newer errors were written")
	}
	runtime.KeepAlive(held)
	t.Logf("%d KiB live", kept>>10)
	if limit := int64(strongRecent+4) * payload; kept > limit {
		t.Errorf("%d KiB kept alive after 200 errors of %d KiB payloads and short texts, want at most %d KiB", kept>>10, payload>>10, limit>>10)
	}
	last = nil
	for range len(recent.entries) { // what this test put in the table goes
		l.Info().Err(fmt.Errorf("small")).Msg("reset")
	}
}

type textErr struct {
	text    string
	payload []byte
}

func (e *textErr) Error() string { return e.text }

// BenchmarkRememberedErrors: what ErrorMarshalFunc costs a record, for
// one error logged over and over (a storm) and for a new error each
// record (each demoted, see errorTable.demote, strongRecent records
// later).
func BenchmarkRememberedErrors(b *testing.B) {
	saved := zerolog.ErrorMarshalFunc
	b.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = ErrorMarshalFunc(nil)
	l := zerolog.New(io.Discard)
	b.Run("storm", func(b *testing.B) {
		err := fmt.Errorf("charge failed: %w", io.ErrUnexpectedEOF)
		b.ReportAllocs()
		for b.Loop() {
			l.Error().Err(err).Msg("failed")
		}
	})
	b.Run("distinct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l.Error().Err(&textErr{text: "charge failed"}).Msg("failed")
		}
	})
}
