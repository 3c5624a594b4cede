package zerologsentry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/diode"
	"github.com/rs/zerolog/hlog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// flushCounter counts the flushes of its client's hub.
type flushCounter struct{ n *atomic.Int32 }

func (flushCounter) Configure(sentry.ClientOptions) {}

func (flushCounter) SendEvent(*sentry.Event) {}

func (flushCounter) Close() {}

func (f flushCounter) Flush(time.Duration) bool { f.n.Add(1); return true }

func (f flushCounter) FlushWithContext(context.Context) bool {
	f.n.Add(1)
	return true
}

// flushCountingLoggers returns a hook's and a writer's logger, with opts'
// Options.Hub a hub whose transport counts its flushes into the returned
// counter.
func flushCountingLoggers(t *testing.T, opts zerologsentry.Options) (map[string]zerolog.Logger, *atomic.Int32) {
	t.Helper()
	n := new(atomic.Int32)
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://key@sentry.invalid/1", Transport: flushCounter{n}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	opts.Hub = sentry.NewHub(client, sentry.NewScope())
	return map[string]zerolog.Logger{
		"hook":   zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)),
		"writer": zerolog.New(zerologsentry.NewWriter(io.Discard, opts)),
	}, n
}

// TestFlushesOnlyForFatalAndPanic: the hook and the writer flush the hub
// (core.Entry.Exits) for Fatal and Panic records, after which zerolog may
// exit or panic, and for no other level: not for a numeric level above
// Panic other than NoLevel and Disabled (WithLevel), which zerolog writes
// and goes on from, where a flush would hold up each such log.
func TestFlushesOnlyForFatalAndPanic(t *testing.T) {
	loggers, n := flushCountingLoggers(t, zerologsentry.Options{})
	for name, logger := range loggers {
		for l := zerolog.Level(-3); l <= 12; l++ {
			n.Store(0)
			logger.WithLevel(l).Str("k", "v").Msg("m")
			if got, want := n.Load() > 0, l == zerolog.FatalLevel || l == zerolog.PanicLevel; got != want {
				t.Errorf("%s, level %d: flushed %v, want %v", name, l, got, want)
			}
		}
	}
}

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

var _ = errors.New

// TestPanicLevelInMiddlewareIsOneEvent: log.Panic() inside
// logcrumbs.Middleware is one event, not one for the record and one for the
// panic zerolog raises with its message.
func TestPanicLevelInMiddlewareIsOneEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	base := zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(zerologsentry.Options{}))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(
		hlog.NewHandler(base)(zerologsentry.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hlog.FromRequest(r).Panic().Msg("invariant broken")
		}))))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if evs := rec.Events(); len(evs) != 1 {
		for _, e := range evs {
			t.Logf("event: %q level %s exc %+v", e.Message, e.Level, e.Exception)
		}
		t.Errorf("%d events for one log.Panic, want 1", len(evs))
	}
}

// TestWriterPanicLongerThanEventLimitIsOneEvent: log.Panic() through the
// Writer inside Middleware is one event even when the message is longer
// than the event limits keep and needs unescaping: the panic noted for
// the unit is zerolog's whole message, the value it panics with, not the
// record's cut copy. (A long message without escapes: conformance's
// PanicIsOneEvent/Middleware/long.)
func TestWriterPanicLongerThanEventLimitIsOneEvent(t *testing.T) {
	for _, msg := range []string{
		"say \"hi\"\n" + strings.Repeat("é", 60) + "!", // escaped, over MaxValueBytes below
	} {
		rec := logcrumbstest.New(t)
		opts := rec.Options()
		opts.EventLimits = logcrumbs.Limits{MaxValueBytes: 64}
		w := zerologsentry.NewWriter(new(syncBuffer), zerologsentry.Options{Options: opts})
		base := zerolog.New(w)
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})(
			http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				_, log := w.WithContext(r.Context(), base)
				log.Panic().Msg(msg)
			}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
		if evs := rec.Events(); len(evs) != 1 {
			for _, e := range evs {
				t.Logf("event: %q level %s", e.Message, e.Level)
			}
			t.Errorf("%d events for one log.Panic of %d bytes through the Writer, want 1", len(evs), len(msg))
		}
	}
}

// TestPanicWithInvalidUTF8IsOneEvent: log.Panic() inside Middleware is one
// event through the Hook and through the Writer alike, also when its
// message holds invalid UTF-8 (bytes a program read from outside), which
// zerolog writes as \ufffd, one for each invalid byte: the panic noted for
// the unit must be the value zerolog panics with, so that Middleware, which
// recovers it, knows it was sent. So is log.Panic() with no message and a
// last field named "message", the record's message with either binding
// (zerolog writes it as it writes a message) while zerolog panics with "".
func TestPanicWithInvalidUTF8IsOneEvent(t *testing.T) {
	for _, msg := range []string{
		"bad input \xff\xfe from peer",
		"cut rune \xe2\x82 here",
		"say \"hi\"\n\xc3\x28 twice",
		"", // Str("message", "boom").Send()
	} {
		for _, writer := range []bool{false, true} {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			zopts := zerologsentry.Options{Options: opts}
			var base zerolog.Logger
			var w *zerologsentry.Writer
			if writer {
				w = zerologsentry.NewWriter(new(syncBuffer), zopts)
				base = zerolog.New(w)
			} else {
				base = zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(zopts))
			}
			h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})(
				http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
					var log zerolog.Logger
					if writer {
						_, log = w.WithContext(r.Context(), base)
					} else {
						_, log = zerologsentry.WithContext(r.Context(), base)
					}
					if msg == "" {
						log.Panic().Str(zerolog.MessageFieldName, "boom").Send()
					}
					log.Panic().Msg(msg)
				}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
			if evs := rec.Events(); len(evs) != 1 {
				for _, e := range evs {
					t.Logf("event: %q level %s", e.Message, e.Level)
				}
				t.Errorf("writer %v: %d events for one log.Panic of %q, want 1", writer, len(evs), msg)
			}
		}
	}
}

// TestSkippedFatalRepeatFlushes: a Fatal record that capture-once skips as
// a repeat of the event its error was sent in (logged at one site over and
// over; WithLevel, so that zerolog does not exit) flushes the hub as every
// Fatal record does: zerolog exits next, and the event it repeats may
// still be on its way. The hook and the writer.
func TestSkippedFatalRepeatFlushes(t *testing.T) {
	loggers, n := flushCountingLoggers(t, zerologsentry.Options{})
	for name, base := range loggers {
		_, l := zerologsentry.WithContext(logcrumbs.NewContext(context.Background()), base)
		boom := errors.New("boom " + name)
		for i := range 6 {
			n.Store(0)
			l.WithLevel(zerolog.FatalLevel).Err(boom).Msg("fatal")
			if n.Load() == 0 {
				t.Errorf("%s, record %d: not flushed", name, i+1)
			}
		}
	}
}
