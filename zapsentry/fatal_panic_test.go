package zapsentry_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
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

// TestWriteExitsByLevel: Write flushes the hub (Entry.Exits) for Panic and
// Fatal, after which zap panics or exits, and for no other level (DPanic,
// Error, custom levels below Debug and above Fatal included: zap neither
// panics nor exits after those, and a flush would hold each log up),
// whatever the fields (all plain, addPlains alone, or not).
func TestWriteExitsByLevel(t *testing.T) {
	var n atomic.Int32
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://key@sentry.invalid/1", Transport: flushCounter{&n}})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	c := zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}})
	for _, fields := range [][]zapcore.Field{nil, {zap.Int("n", 1), zap.String("s", "x")}, {zap.Int("n", 1), zap.Stringer("st", time.Second)}} {
		for l := zapcore.Level(-4); l <= 8; l++ {
			n.Store(0)
			if err := c.Write(zapcore.Entry{Level: l, Message: "m", Time: time.Unix(1, 0)}, fields); err != nil {
				t.Fatal(err)
			}
			if got, want := n.Load() > 0, l == zapcore.PanicLevel || l == zapcore.FatalLevel; got != want {
				t.Errorf("level %d, %d fields: flushed %v, want %v", l, len(fields), got, want)
			}
		}
	}
}

// TestWriteNotesPanicOnlyForPanics: an entry of a level zap does not panic
// after (Error, and a custom level above Fatal) notes no panic for its
// unit of work: a panic that follows with the same message, recovered by
// Middleware, is an event of its own.
func TestWriteNotesPanicOnlyForPanics(t *testing.T) {
	for _, l := range []zapcore.Level{zapcore.ErrorLevel, zapcore.FatalLevel + 1, zapcore.FatalLevel + 3} {
		rec := logcrumbstest.New(t)
		hub := rec.Hub()
		logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, log := zapsentry.WithContext(r.Context(), logger)
				log.Log(l, "invariant broken")
				panic("invariant broken")
			}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
		if n := len(rec.Events()); n != 2 {
			t.Errorf("level %v: %d events for an entry and a panic, want 2", l, n)
		}
	}
}

// TestWriteExitsAsBreadcrumb: a Panic or Fatal entry below the event level
// is a breadcrumb, and Write still flushes the hub before zap panics or
// exits, whether the breadcrumb is filled in its trail (plain fields, the
// path core.Log takes for itself) or built first (fields that call the
// program's methods).
func TestWriteExitsAsBreadcrumb(t *testing.T) {
	var n atomic.Int32
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://key@sentry.invalid/1", Transport: flushCounter{&n}})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	c := zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}, EventLevel: zapcore.FatalLevel + 1})
	for _, fields := range [][]zapcore.Field{nil, {zap.Int("n", 1), zap.String("s", "x")}, {zap.Int("n", 1), zap.Stringer("st", time.Second)}} {
		for _, l := range []zapcore.Level{zapcore.InfoLevel, zapcore.DPanicLevel, zapcore.PanicLevel, zapcore.FatalLevel} {
			n.Store(0)
			if err := c.Write(zapcore.Entry{Level: l, Message: "m", Time: time.Unix(1, 0)}, fields); err != nil {
				t.Fatal(err)
			}
			if got, want := n.Load() > 0, l == zapcore.PanicLevel || l == zapcore.FatalLevel; got != want {
				t.Errorf("level %v, %d fields: flushed %v, want %v", l, len(fields), got, want)
			}
		}
	}
}

// TestDevelopmentDPanicInMiddlewareIsOneEvent: a development logger
// panics after DPanic too, with the message: inside logcrumbs.Middleware
// that is one event, not one for the entry and one for the panic. (Panic
// itself: conformance's PanicIsOneEvent.)
func TestDevelopmentDPanicInMiddlewareIsOneEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}), zap.Development())
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, log := zapsentry.WithContext(r.Context(), logger)
			log.DPanic("invariant broken")
			log.Panic("invariant broken")
		}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events for one panic, want 1", n)
	}
}

// TestFatalThatPanicsInMiddlewareIsOneEvent: a logger whose Fatal panics
// rather than exits (zap.WithFatalHook(zapcore.WriteThenPanic), as tests
// of fatal paths build it) panics with the message, as Panic does: inside
// logcrumbs.Middleware that is one event, not one for the entry and one for
// the panic.
func TestFatalThatPanicsInMiddlewareIsOneEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}), zap.WithFatalHook(zapcore.WriteThenPanic))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, log := zapsentry.WithContext(r.Context(), logger)
			log.Fatal("cannot go on")
		}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if evs := rec.Events(); len(evs) != 1 {
		var msgs []string
		for _, ev := range evs {
			msgs = append(msgs, ev.Message)
		}
		t.Errorf("%d events %q for one Fatal that panicked, want 1", len(evs), msgs)
	}
}
