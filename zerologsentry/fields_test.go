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

// lookalikeMulti is laid out as zerolog.MultiLevelWriter's writer, a slice
// of writers first, but is another type.
type lookalikeMulti struct{ writers []zerolog.LevelWriter }

func (m lookalikeMulti) Write(p []byte) (int, error)                       { return len(p), nil }
func (m lookalikeMulti) WriteLevel(_ zerolog.Level, p []byte) (int, error) { return len(p), nil }

// TestWritesToWriterByType: writesToWriter looks into a writer's writers
// only when it is zerolog.MultiLevelWriter's (its itab, multiItab): a
// writer of another type laid out alike, holding a logcrumbs Writer, is
// not one, nor is a MultiLevelWriter of other writers; a MultiLevelWriter
// holding one among others is.
func TestWritesToWriterByType(t *testing.T) {
	w := NewWriter(nil, Options{})
	for _, c := range []struct {
		what string
		out  io.Writer
		want bool
	}{
		{"a lookalike holding a Writer", lookalikeMulti{[]zerolog.LevelWriter{w}}, false},
		{"a MultiLevelWriter without one", zerolog.MultiLevelWriter(io.Discard, io.Discard), false},
		{"a MultiLevelWriter holding one", zerolog.MultiLevelWriter(io.Discard, w), true},
		{"a Writer", w, true},
	} {
		var got []bool
		hook := zerolog.HookFunc(func(e *zerolog.Event, _ zerolog.Level, _ string) { got = append(got, writesToWriter(e)) })
		l := zerolog.New(c.out).Hook(hook)
		l.Info().Msg("m")
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: writesToWriter = %v, want %v", c.what, got, c.want)
		}
	}
}
