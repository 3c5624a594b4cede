package zerologsentry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/diode"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// closeRecorder is a writer with Close, as diode, lumberjack, buffered files are.
type closeRecorder struct {
	mu     sync.Mutex
	b      bytes.Buffer
	closed bool
}

func (c *closeRecorder) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.Write(p)
}
func (c *closeRecorder) Close() error { c.mu.Lock(); defer c.mu.Unlock(); c.closed = true; return nil }

// TestFatalClosesWrappedWriter: zerolog closes the logger's writer on
// Fatal, to flush buffered output (a diode) before exiting; through a
// logcrumbs Writer, the writer it wraps is closed.
func TestFatalClosesWrappedWriter(t *testing.T) {
	old := zerolog.FatalExitFunc
	zerolog.FatalExitFunc = func() {}
	defer func() { zerolog.FatalExitFunc = old }()

	plain := &closeRecorder{}
	pl := zerolog.New(plain)
	pl.Fatal().Msg("bye")
	if !plain.closed {
		t.Fatal("precondition: zerolog closes its writer on Fatal")
	}

	hub := logcrumbstest.New(t).Hub()
	wrapped := &closeRecorder{}
	w := zerologsentry.NewWriter(wrapped, zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}})
	wl := zerolog.New(w)
	wl.Fatal().Msg("bye")
	if !wrapped.closed {
		t.Error("through zerologsentry.Writer, zerolog's Fatal no longer closes (flushes) the user's writer")
	}
}

// TestFatalDiodeKeepsLine: the same with a real diode writer: the Fatal
// line is written, as without logcrumbs.
func TestFatalDiodeKeepsLine(t *testing.T) {
	old := zerolog.FatalExitFunc
	defer func() { zerolog.FatalExitFunc = old }()
	for _, withLC := range []bool{false, true} {
		var out syncBuffer
		d := diode.NewWriter(&out, 1000, 50*time.Millisecond, nil)
		var w io.Writer = d
		if withLC {
			hub := logcrumbstest.New(t).Hub()
			w = zerologsentry.NewWriter(d, zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}})
		}
		got := ""
		zerolog.FatalExitFunc = func() { got = out.String() } // what os.Exit would leave
		wl := zerolog.New(w)
		wl.Fatal().Msg("fatal line")
		if !strings.Contains(got, "fatal line") {
			t.Errorf("with logcrumbs %v: the Fatal line is not in the output at exit: %q", withLC, got)
		}
	}
}

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

var _ = errors.New
