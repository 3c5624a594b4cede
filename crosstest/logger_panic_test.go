package crosstest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestJobLoggerPanicLoggedByCaller: a job whose logger's Panic record sent
// the event (zap's Panic, zerolog's Panic) and that RunJob recovers
// (Recover) returns an error that is that event to the caller: logged
// again by each logger, it sends nothing more, and the caller's
// LastEventID names the Panic record's event.
func TestJobLoggerPanicLoggedByCaller(t *testing.T) {
	for name, doPanic := range loggerPanics {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			ctx := rec.Context(context.Background())
			err := logcrumbs.RunJob(ctx, "sync", logcrumbs.JobOptions{Recover: true, Options: rec.Options()},
				func(ctx context.Context) error { doPanic(rec, ctx); return nil })
			if err == nil {
				t.Fatal("RunJob returned nil")
			}
			for logger, logErr := range errorLoggers(rec) {
				logErr(ctx, "job failed ("+logger+")", err)
			}
			ev := rec.OnlyEvent()
			if got := logcrumbs.LastEventID(ctx); got != ev.EventID {
				t.Errorf("LastEventID %q, want the Panic record's event %q (%s)", got, ev.EventID, ev.Message)
			}
		})
	}
}

// loggerPanics log "cannot go on" at the Panic level of zap and of
// zerolog (a hook), each bound to ctx, with rec's options: the logger
// panics with the message after its record's event.
var loggerPanics = map[string]func(rec *logcrumbstest.Recorder, ctx context.Context){
	"zap": func(rec *logcrumbstest.Recorder, ctx context.Context) {
		_, l := zapsentry.WithContext(ctx, zap.New(zapsentry.NewCore(zapsentry.Options{Options: rec.Options()})))
		l.Panic("cannot go on")
	},
	"zerolog hook": func(rec *logcrumbstest.Recorder, ctx context.Context) {
		hook := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()}))
		_, l := zerologsentry.WithContext(ctx, hook)
		l.Panic().Msg("cannot go on")
	},
}

// TestNestedJobLoggerPanicGoesUpAsItsEvent: a consumer (RunJob, Recover)
// runs a job without Recover whose logger's Panic record sent the event
// (zap's Panic, zerolog's Panic): the panic goes on up through the
// consumer, which must not send it again ("panic in job consumer"), and
// whose caller names the Panic record's event.
func TestNestedJobLoggerPanicGoesUpAsItsEvent(t *testing.T) {
	for name, doPanic := range loggerPanics {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			ctx := rec.Context(context.Background())
			err := logcrumbs.RunJob(ctx, "consumer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
				return logcrumbs.RunJob(ctx, "sync", logcrumbs.JobOptions{Options: rec.Options()},
					func(ctx context.Context) error { doPanic(rec, ctx); return nil })
			})
			if err == nil {
				t.Fatal("RunJob returned nil")
			}
			for logger, logErr := range errorLoggers(rec) {
				logErr(ctx, "consumer failed ("+logger+")", err)
			}
			ev := rec.OnlyEvent()
			if got := logcrumbs.LastEventID(ctx); got != ev.EventID {
				t.Errorf("LastEventID %q, want the Panic record's event %q (%s)", got, ev.EventID, ev.Message)
			}
		})
	}
}

// contextlessPanic returns a function that logs msg at the panic level of
// the named logger, used without the request's context (a global logger),
// which then panics with msg.
func contextlessPanic(name string, o logcrumbs.Options) func(msg string) {
	if name == "zap" {
		zl := zap.New(zapsentry.NewCore(zapsentry.Options{Options: o}))
		return func(msg string) { zl.Panic(msg) }
	}
	if name == "zerolog-writer" {
		zw := zerolog.New(zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: o}))
		return func(msg string) { zw.Panic().Msg(msg) }
	}
	zr := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: o}))
	return func(msg string) { zr.Panic().Msg(msg) }
}

// TestContextlessLoggerPanicIsOneEvent: a zap or zerolog logger used
// without the request's context (a global logger) logs at its panic level
// inside Middleware, and panics with the message: one event, as the same
// logger with the request's context gives, not the record's and then
// Middleware's for one panic ("Either way the panic is one event"), and
// the 500's EventIDHeader names it. A
// record noted so on one goroutine names no panic recovered later by
// another unit there: the same text panicked by the next request on that
// goroutine (a keep-alive connection's) is its own event.
func TestContextlessLoggerPanicIsOneEvent(t *testing.T) {
	for _, name := range []string{"zap", "zerolog", "zerolog-writer"} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			o := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			logPanic := contextlessPanic(name, o)
			h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: o, Recover: true, EventIDHeader: "X-Sentry-Event-ID"})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logPanic(name + " boom")
			}))
			resp, _ := serve(h, "/")
			if resp.Code != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", resp.Code)
			}
			evs := rec.Events()
			if len(evs) != 1 {
				var msgs []string
				for _, ev := range evs {
					msgs = append(msgs, ev.Message)
				}
				t.Fatalf("%d events %q for one panic, want 1", len(evs), msgs)
			}
			// The 500 names the panic's event, as it names Middleware's.
			if got := resp.Header().Get("X-Sentry-Event-ID"); got != string(evs[0].EventID) {
				t.Errorf("X-Sentry-Event-ID %q, want the panic's event %q", got, evs[0].EventID)
			}

			// The program's own recover takes the next one; then a
			// request on this goroutine panics with the same text.
			rec.Reset()
			func() {
				defer func() { _ = recover() }()
				logPanic(name + " again")
			}()
			h = logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: o, Recover: true})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				panic(name + " again")
			}))
			serve(h, "/")
			if evs := rec.Events(); len(evs) != 2 {
				t.Errorf("%d events, want 2: the record's, and the later request's own panic", len(evs))
			}
		})
	}
}

// TestContextlessLoggerPanicsOfConcurrentRequests: requests that panic at
// once through one context-less logger with one message are an event
// each, each 500 naming its own: a note is its goroutine's.
func TestContextlessLoggerPanicsOfConcurrentRequests(t *testing.T) {
	rec := logcrumbstest.New(t)
	o := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	logPanic := contextlessPanic("zap", o)
	start := make(chan struct{})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: o, Recover: true, EventIDHeader: "X-Id"})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-start
		logPanic("same")
	}))
	const n = 40
	var wg sync.WaitGroup
	hdrs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := httptest.NewRecorder()
			h.ServeHTTP(resp, httptest.NewRequest("GET", "/", nil))
			hdrs[i] = resp.Header().Get("X-Id")
		}()
	}
	close(start)
	wg.Wait()
	evs := rec.Events()
	seen := map[string]bool{}
	for _, h := range hdrs {
		seen[h] = true
	}
	if len(evs) != n || len(seen) != n {
		t.Errorf("%d events, %d distinct X-Id headers; want %d each", len(evs), len(seen), n)
	}
}

// TestContextlessLoggerPanicThroughNestedMiddleware: a context-less
// logger's Panic record inside two logcrumbs Middlewares (the inner one
// re-panics) is one event: the inner unit takes the record's note, and
// the outer one must learn from it that the panic going on up through it
// was reported, as it learns of a panic the inner one sends (its event
// passes the outer unit's processor) or one a RunJob hands up
// (ReportedNested).
func TestContextlessLoggerPanicThroughNestedMiddleware(t *testing.T) {
	for _, name := range []string{"zap", "zerolog", "zerolog-writer"} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			o := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			logPanic := contextlessPanic(name, o)
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: o})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logPanic(name + " boom")
			}))
			// (No EventIDHeader: the outer unit's header names no event
			// of the inner one's, whoever sends it, a plain panic too.)
			h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: o, Recover: true})(inner)
			serve(h, "/")
			if evs := rec.Events(); len(evs) != 1 {
				var msgs []string
				for _, ev := range evs {
					msgs = append(msgs, ev.Message)
				}
				t.Fatalf("%d events %q for one panic, want 1", len(evs), msgs)
			}
		})
	}
}

// TestContextlessLoggerPanicAfterARecoveredOne: a request whose code
// recovers one Panic record of a context-less logger, then logs another
// of the same message that it does not recover: the 500's EventIDHeader
// names the panic Middleware recovered, the second record's event, as the
// same logger with the request's context gives, not the first one's,
// whose panic the program's own recover took.
func TestContextlessLoggerPanicAfterARecoveredOne(t *testing.T) {
	for _, name := range []string{"zap", "zerolog", "zerolog-writer"} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			o := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			logPanic := contextlessPanic(name, o)
			h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: o, Recover: true, EventIDHeader: "X-Sentry-Event-ID"})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				func() {
					defer func() { _ = recover() }()
					logPanic(name + " boom")
				}()
				logPanic(name + " boom")
			}))
			resp, _ := serve(h, "/")
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2: one for each Panic record", len(evs))
			}
			if got := resp.Header().Get("X-Sentry-Event-ID"); got != string(evs[1].EventID) {
				t.Errorf("X-Sentry-Event-ID %q, want the recovered panic's event %q (the first record's is %q)", got, evs[1].EventID, evs[0].EventID)
			}
		})
	}
}
