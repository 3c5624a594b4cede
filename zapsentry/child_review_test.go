package zapsentry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// serve runs h once and returns the events' messages, the event ID named
// by msg, and the 500's header.
func serveOnce(t *testing.T, rec *logcrumbstest.Recorder, handler http.HandlerFunc, msg string) (msgs []string, id, header string) {
	t.Helper()
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}, Recover: true, EventIDHeader: "X-Event-Id"})(handler)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	for _, ev := range rec.Events() {
		msgs = append(msgs, ev.Message)
		if ev.Message == msg {
			id = string(ev.EventID)
		}
	}
	return msgs, id, w.Header().Get("X-Event-Id")
}

// TestGrandchildContextPanicIsOneEvent: a Panic logged with a child of a
// child context of the request, on the request's goroutine: one event,
// named by the 500.
func TestGrandchildContextPanicIsOneEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}))
	msgs, id, got := serveOnce(t, rec, func(w http.ResponseWriter, r *http.Request) {
		ctx := logcrumbs.NewChildContext(logcrumbs.NewChildContext(r.Context()))
		_, log := zapsentry.WithContext(ctx, logger)
		log.Panic("cannot continue")
	}, "cannot continue")
	if len(msgs) != 1 || got != id {
		t.Errorf("events %q, 500 names %q; want the entry's alone, %q", msgs, got, id)
	}
}

// TestChildDevelopmentDPanicWhileAWorkerPanics: as
// TestDevelopmentDPanicWhileAWorkerPanics, the DPanic logged with a child
// context of the request: two events, the 500 names the DPanic's.
func TestChildDevelopmentDPanicWhileAWorkerPanics(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}), zap.Development())
	msgs, id, got := serveOnce(t, rec, func(w http.ResponseWriter, r *http.Request) {
		_, log := zapsentry.WithContext(r.Context(), logger)
		defer func() {
			done := make(chan struct{})
			go func() {
				defer close(done)
				defer func() { _ = recover() }()
				log.Panic("worker gave up")
			}()
			<-done
		}()
		_, clog := zapsentry.WithContext(logcrumbs.NewChildContext(r.Context()), logger)
		clog.DPanic("unexpected state")
	}, "unexpected state")
	if len(msgs) != 2 || got != id {
		t.Errorf("events %q, 500 names %q; want the two entries' alone, the DPanic's %q", msgs, got, id)
	}
}

// TestConcurrentChildrenPanic: many children of one request, each on a
// goroutine of its own, log a Panic their goroutine recovers, while the
// request logs: no deadlock, no race, one event each (their messages
// differ: DedupeWindow would keep repeats of one from being sent).
func TestConcurrentChildrenPanic(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}))
	const n = 20
	msgs, _, _ := serveOnce(t, rec, func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		for i := range n {
			child := logcrumbs.NewChildContext(r.Context())
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { _ = recover() }()
				gc := logcrumbs.NewChildContext(child)
				_ = logcrumbs.RunJob(gc, "j", logcrumbs.JobOptions{Recover: true}, func(ctx context.Context) error {
					_, log := zapsentry.WithContext(ctx, logger)
					log.Panic(fmt.Sprint("worker gave up ", i))
					return nil
				})
			}()
		}
		wg.Wait()
	}, "")
	if len(msgs) != n {
		t.Errorf("%d events, want %d", len(msgs), n)
	}
}

// TestPanicAfterARecoveredPanic: a worker of the request logs a Panic it
// recovers itself; then the request's handler logs a Panic (on its own
// goroutine, or in a job it runs that does not recover it) that goes on
// up to Middleware: that Panic entry's event is the report of the panic,
// not a third event, and the 500 names it.
func TestPanicAfterARecoveredPanic(t *testing.T) {
	for _, inJob := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}))
		msgs, id, got := serveOnce(t, rec, func(w http.ResponseWriter, r *http.Request) {
			_, log := zapsentry.WithContext(r.Context(), logger)
			done := make(chan struct{})
			go func() {
				defer close(done)
				defer func() { _ = recover() }()
				log.Panic("worker gave up")
			}()
			<-done
			work := func(ctx context.Context) error {
				_, log := zapsentry.WithContext(ctx, logger)
				log.Panic("cannot continue")
				return nil
			}
			if inJob {
				_ = logcrumbs.RunJob(r.Context(), "charge", logcrumbs.JobOptions{}, work)
			} else {
				_ = work(r.Context())
			}
		}, "cannot continue")
		if len(msgs) != 2 || got != id {
			t.Errorf("in a job %v: events %q, 500 names %q; want the two entries' alone, the Panic's %q", inJob, msgs, got, id)
		}
	}
}
