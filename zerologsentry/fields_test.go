package zerologsentry

import (
	"bytes"
	"io"
	"testing"

	"github.com/rs/zerolog"
)

// TestEventInternalsFound pins the two reads of zerolog.Event's unexported
// fields to the zerolog in go.mod: a zerolog whose layout differs fails
// here first, instead of silently giving the Hook records without fields.
func TestEventInternalsFound(t *testing.T) {
	if !bufOK || !writerOK {
		t.Fatalf("zerolog.Event layout not found: buf %v, w %v", bufOK, writerOK)
	}
	var seen []byte
	var toWriter []bool
	hook := zerolog.HookFunc(func(e *zerolog.Event, _ zerolog.Level, _ string) {
		seen = bytes.Clone(eventBuffer(e))
		toWriter = append(toWriter, writesToWriter(e))
	})
	plain := zerolog.New(io.Discard).Hook(hook)
	plain.Info().Str("k", "v").Int("n", 3).Msg("m")
	if want := `{"level":"info","k":"v","n":3`; string(seen) != want {
		t.Errorf("eventBuffer = %q, want %q", seen, want)
	}
	w := NewWriter(nil, Options{})
	direct := zerolog.New(w).Hook(hook)
	direct.Info().Msg("m")
	multi := zerolog.New(zerolog.MultiLevelWriter(io.Discard, w)).Hook(hook)
	multi.Info().Msg("m")
	if want := []bool{false, true, true}; len(toWriter) != 3 || toWriter[0] != want[0] || toWriter[1] != want[1] || toWriter[2] != want[2] {
		t.Errorf("writesToWriter = %v, want %v", toWriter, want)
	}
	if eventBuffer(nil) != nil || writesToWriter(nil) {
		t.Error("a nil event must read as empty")
	}
}
