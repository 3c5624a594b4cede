package crosstest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"testing"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// errGone is a sentinel many unrelated errors of one request wrap.
var errGone = errors.New("gone")

// TestUnrelatedErrorsSharingASentinel: an error the handler logged and a
// different error it then panics with, or captures by hand, that only share
// a sentinel they both wrap are two bugs: two events. The panic (under
// sentryhttp, in either nesting order) or the hand capture must not be
// dropped as "already sent". The hub's event processor is the same for
// every logger, so slog proves it.
func TestUnrelatedErrorsSharingASentinel(t *testing.T) {
	for _, how := range []string{"panic/sentryhttp inside", "panic/sentryhttp outside", "hand capture"} {
		t.Run(how, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logger.ErrorContext(r.Context(), "load failed", "err", fmt.Errorf("load cart: %w", errGone))
				other := fmt.Errorf("render receipt: %w", errGone)
				if how == "hand capture" {
					sentry.GetHubFromContext(r.Context()).CaptureException(other)
					return
				}
				panic(other)
			})
			lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})
			sh := sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle
			h := lc(sh(app))
			if how == "panic/sentryhttp outside" {
				h = sh(lc(app))
			}
			serve(withHub(h, rec.Hub()), "/x")
			if evs := rec.Events(); len(evs) != 2 {
				t.Fatalf("events %q, want 2: the logged error and the other one", eventMessages(evs))
			}
		})
	}
}

// TestCaptureOnceReusedSliceError: a validator that reuses one slice for its
// errors (buf[:0], then append) returns two different errors that share the
// slice's elements; logged in one request they are two bugs, two events,
// with every logger (the zerolog ones with ErrorMarshalFunc, which hands
// them the values). The same error boxed twice is still one.
func TestCaptureOnceReusedSliceError(t *testing.T) {
	withErrorMarshalFunc(t, zerologsentry.ErrorMarshalFunc(nil))
	for name := range errorLoggers(logcrumbstest.New(t)) {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logErr := errorLoggers(rec)[name]
			ctx := rec.Context(context.Background())
			buf := make(fieldErrs, 0, 4)
			validate := func(field string) fieldErrs {
				buf = append(buf[:0], field+": required "+t.Name())
				return buf
			}
			first := validate("name")
			logErr(ctx, "name invalid", first)
			logErr(ctx, "name invalid again", fmt.Errorf("svc: %w", first)) // boxed again: the same error
			logErr(ctx, "email invalid", validate("email"))
			if got := eventMessages(rec.Events()); !slices.Equal(got, []string{"name invalid", "email invalid"}) {
				t.Errorf("events %q, want the name error once and the email error", got)
			}
		})
	}
}

// TestRunJobPerMessageInsideJob: the README's advice for a consumer inside
// a unit of work (NewContext returns the unit's context unchanged there):
// RunJob per message gives each message its own trail, so the same error
// in two messages is two events, each with its own message's breadcrumbs.
func TestRunJobPerMessageInsideJob(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	_ = logcrumbs.RunJob(context.Background(), "consume", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		for _, msg := range []string{"m1", "m2"} {
			_ = logcrumbs.RunJob(ctx, "message", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				logger.InfoContext(ctx, "handling "+msg)
				logger.ErrorContext(ctx, "failed", "err", errGone)
				return nil
			})
		}
		return nil
	})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("events %q, want one per message", eventMessages(evs))
	}
	for i, msg := range []string{"m1", "m2"} {
		if got := evs[i].BreadcrumbMessages(); !slices.Equal(got, []string{"handling " + msg}) {
			t.Errorf("message %s: breadcrumbs %q", msg, got)
		}
	}
}
