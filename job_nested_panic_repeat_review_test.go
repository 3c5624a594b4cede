package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// offeredRecorder is a Recorder whose BeforeSend counts the events offered
// and drops those of the job named drop.
func offeredRecorder(t *testing.T, drop string) (*logcrumbstest.Recorder, func() []string) {
	var mu sync.Mutex
	var offered []string
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			mu.Lock()
			offered = append(offered, ev.Message)
			mu.Unlock()
			if drop != "" && ev.Tags["job"] == drop {
				return nil
			}
			return ev
		}
	})
	return rec, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), offered...)
	}
}

// errLoggedThenPanicked is an error a job logs, then panics with.
var errLoggedThenPanicked = errors.New("ledger out of balance")

// TestNestedJobLoggedPanicNamesItsEventAfterADroppedSibling: a consumer
// (RunJob, Recover) runs messages as jobs. Job "a" (Recover) panics with
// an error and is sent; job "b" (Recover) panics with the same error and
// BeforeSend drops its event; job "c", without Recover, logs the error
// (an event), then panics with it: the panic is that event (capture once),
// and goes up through the consumer, whose caller logs the error the
// consumer returns. The caller names job c's event, and nothing more is
// offered. The consumer's unit noted "b"'s event, which NotSentNested
// (2ce745b) blanked; job c's event (not a panic's: it never noted it)
// is not told to it: the caller names no event.
func TestNestedJobLoggedPanicNamesItsEventAfterADroppedSibling(t *testing.T) {
	rec, offered := offeredRecorder(t, "b")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	boom := func(context.Context) error { panic(errLoggedThenPanicked) }
	err := logcrumbs.RunJob(ctx, "consumer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
		_ = logcrumbs.RunJob(ctx, "a", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, boom)
		_ = logcrumbs.RunJob(ctx, "b", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, boom)
		return logcrumbs.RunJob(ctx, "c", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "posting failed", "err", errLoggedThenPanicked)
			panic(errLoggedThenPanicked)
		})
	})
	if err == nil {
		t.Fatal("RunJob returned nil")
	}
	logger.ErrorContext(ctx, "consumer failed", "err", err)
	sent := rec.Events()
	if o := offered(); len(o) != 3 || len(sent) != 2 {
		t.Fatalf("BeforeSend offered %q, %d sent: want job a's and b's panics and job c's log", o, len(sent))
	}
	if got, want := logcrumbs.LastEventID(ctx), sent[1].EventID; got != want {
		t.Errorf("caller's LastEventID %q, want job c's event %q (%s)", got, want, sent[1].Message)
	}
}

// TestNestedJobLoggedPanicNotOfferedAgainByTheUnitAbove: a consumer
// (RunJob, Recover) runs a job without Recover that logs an error (an
// event), then panics with it: the panic is that event (capture once). The
// consumer recovers the panic going on and must not offer it again as an
// event of its own ("panic in job consumer"): its caller names the job's
// event.
func TestNestedJobLoggedPanicNotOfferedAgainByTheUnitAbove(t *testing.T) {
	rec, offered := offeredRecorder(t, "")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	err := logcrumbs.RunJob(ctx, "consumer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
		return logcrumbs.RunJob(ctx, "c", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "posting failed", "err", errLoggedThenPanicked)
			panic(errLoggedThenPanicked)
		})
	})
	if err == nil {
		t.Fatal("RunJob returned nil")
	}
	logger.ErrorContext(ctx, "consumer failed", "err", err)
	sent := rec.Events()
	if o := offered(); len(o) != 1 || len(sent) != 1 {
		t.Fatalf("BeforeSend offered %q, %d sent: want job c's log's event alone", o, len(sent))
	}
	if got, want := logcrumbs.LastEventID(ctx), sent[0].EventID; got != want {
		t.Errorf("caller's LastEventID %q, want job c's event %q", got, want)
	}
}

// TestMiddlewareJobLoggedPanicNotOfferedAgain: Middleware (Recover) around
// a handler that runs a job without Recover, which logs an error (an
// event), then panics with it: the panic is that event (capture once), and
// Middleware must not offer it again.
func TestMiddlewareJobLoggedPanicNotOfferedAgain(t *testing.T) {
	rec, offered := offeredRecorder(t, "")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Recover: true, Options: rec.Options()})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = logcrumbs.RunJob(r.Context(), "c", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				logger.ErrorContext(ctx, "posting failed", "err", errLoggedThenPanicked)
				panic(errLoggedThenPanicked)
			})
		}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/post", nil))
	if o, sent := offered(), rec.Events(); len(o) != 1 || len(sent) != 1 {
		t.Errorf("BeforeSend offered %q, %d sent: want job c's log's event alone", o, len(sent))
	}
}
