package zerologsentry_test

import (
	"context"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestWriteThroughFilteredLevelWriter: Write (as a diode or io.MultiWriter
// calls it) on a Writer whose next is a FilteredLevelWriter passes the line
// to next.Write, which does not filter, as without logcrumbs.
func TestWriteThroughFilteredLevelWriter(t *testing.T) {
	line := []byte(`{"level":"debug","message":"d"}` + "\n")
	var without, with syncBuffer
	f1 := &zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: &without}, Level: zerolog.InfoLevel}
	f1.Write(line)
	hub := logcrumbstest.New(t).Hub()
	f2 := &zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: &with}, Level: zerolog.InfoLevel}
	zerologsentry.NewWriter(f2, zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}).Write(line)
	if without.String() != with.String() {
		t.Errorf("output differs: without %q, with %q", without.String(), with.String())
	}
}

// TestWriterRawJSONKeepsMessage: after invalid RawJSON, the Writer's event
// still has its message (read from the record's end), as the hook's does.
func TestWriterRawJSONKeepsMessage(t *testing.T) {
	w, rec := newWriter(t, new(syncBuffer))
	_, log := w.WithContext(context.Background(), zerolog.New(w))
	log.Error().RawJSON("payload", []byte(``)).Msg("upstream rejected")
	if ev := rec.OnlyEvent(); ev.Message != "upstream rejected" {
		t.Errorf("message = %q", ev.Message)
	}
}

// TestWriterCustomLevelNames: GCP-style levels via LevelFieldMarshalFunc and
// Write (the diode path) are read.
func TestWriterCustomLevelNames(t *testing.T) {
	saved := zerolog.LevelFieldMarshalFunc
	t.Cleanup(func() { zerolog.LevelFieldMarshalFunc = saved })
	zerolog.LevelFieldMarshalFunc = func(l zerolog.Level) string {
		switch l {
		case zerolog.WarnLevel:
			return "WARNING"
		case zerolog.FatalLevel:
			return "CRITICAL"
		}
		return map[zerolog.Level]string{zerolog.ErrorLevel: "ERROR", zerolog.InfoLevel: "INFO"}[l]
	}
	w, rec := newWriter(t, new(syncBuffer))
	l := zerolog.New(struct{ *zerologsentry.Writer }{w}) // only Write reachable
	_ = l
	w.Write([]byte(`{"level":"ERROR","message":"boom"}` + "\n"))
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events", n)
	}
}
