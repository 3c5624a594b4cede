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

// TestWriterTakesZerologsMessage: with a user field named "message"
// (zerolog.MessageFieldName) before the real message, the Writer takes
// zerolog's, the last member, as the record's message.
func TestWriterTakesZerologsMessage(t *testing.T) {
	var out syncBuffer
	w, rec := newWriter(t, &out)
	_, log := w.WithContext(context.Background(), zerolog.New(w))
	log.Error().Str("message", "hello bob, your order shipped").Msg("sending sms failed")
	ev := rec.OnlyEvent()
	if ev.Message != "sending sms failed" {
		t.Errorf("event message = %q, want the log message", ev.Message)
	}
}

// TestHookKeepsUserMessageField: a user field named "message" stays in the
// data (the hook runs before zerolog adds its own).
func TestHookKeepsUserMessageField(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	_, log := zerologsentry.WithContext(context.Background(), logger)
	log.Info().Str("message", "user text").Msg("sms queued")
	log.Error().Msg("x")
	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Data["message"] != "user text" {
		t.Errorf("breadcrumb = %+v; the user's message field is lost", ev.Event.Breadcrumbs)
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
