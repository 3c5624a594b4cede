package zerologsentry_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestWriterMessageOutlivesZerologsBuffer: zerolog reuses its event
// buffers, so a message the Writer read from one must not change when more
// records are logged: breadcrumbs, the event, Sentry Logs and what
// EscalateIf saw keep their own text.
func TestWriterMessageOutlivesZerologsBuffer(t *testing.T) {
	rec := logcrumbstest.New(t)
	var seen []string
	w := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{
		LogsLevel: zerolog.InfoLevel,
		Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1, EscalateIf: func(r logcrumbs.Record) bool {
			seen = append(seen, r.Message())
			return false
		}},
	})
	_, l := w.WithContext(context.Background(), zerolog.New(w))
	for i := range 20 {
		l.Info().Msg(fmt.Sprintf("breadcrumb number %02d", i))
	}
	for i := range 50 {
		l.Warn().Str("k", "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv").Msg(fmt.Sprintf("XXXXXXXXXXXXXXXXXXXXXX %02d", i))
	}
	l.Error().Msg("the event")
	ev := rec.OnlyEvent()
	if ev.Message != "the event" {
		t.Errorf("event message %q", ev.Message)
	}
	msgs := ev.BreadcrumbMessages()
	for i := range 20 {
		if want := fmt.Sprintf("breadcrumb number %02d", i); msgs[i] != want {
			t.Errorf("breadcrumb %d: %q, want %q", i, msgs[i], want)
		}
	}
	for i, s := range seen[:20] {
		if want := fmt.Sprintf("breadcrumb number %02d", i); s != want {
			t.Errorf("EscalateIf's record %d: %q, want %q", i, s, want)
		}
	}
	for i, lg := range rec.Logs()[:20] {
		if want := fmt.Sprintf("breadcrumb number %02d", i); lg.Body != want {
			t.Errorf("log %d: %q, want %q", i, lg.Body, want)
		}
	}
}
