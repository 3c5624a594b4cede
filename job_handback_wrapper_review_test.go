package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobRetryNamesItsEventPastAnEarlierWrapper: a unit of work retries a
// job; the first run returns the error without logging it, and the caller
// logs it wrapped ("attempt 1: smtp down", an event of the caller's); the
// second run logs it (the job's event) and returns it. The error the
// second run returned is that run's event to the caller, whether the
// caller logs it, captures it by hand through its hub, or is itself a job
// that returns it to its own caller (nested jobs): never the caller's
// earlier event of a wrapper, which only holds the error. Logged, the
// caller already names the second run's event (capture-once goes by the
// outermost error of the logged chain); captured by hand, or returned by
// an outer job, it named the wrapper's, because the look-up behind both
// (Trail.CapturedAs, CaptureByHand) took the first entry in table order
// related to the error in any way, an entry that wraps it too.
func TestJobRetryNamesItsEventPastAnEarlierWrapper(t *testing.T) {
	errSMTP := errors.New("smtp down")
	// retry runs the job twice from ctx, logging each failure wrapped, and
	// returns what the second run returned and the event it logged.
	retry := func(ctx context.Context, rec *logcrumbstest.Recorder, logger *slog.Logger) (jobEvent string, err error) {
		for i := range 2 {
			err = logcrumbs.RunJob(ctx, "send", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				if i == 1 {
					logger.ErrorContext(ctx, "send failed", "err", errSMTP)
					jobEvent = string(logcrumbs.LastEventID(ctx))
				}
				return errSMTP
			})
			logger.ErrorContext(ctx, "attempt failed", "err", fmt.Errorf("attempt %d: %w", i+1, err))
		}
		if jobEvent == "" {
			t.Fatal("the second run sent no event")
		}
		return jobEvent, err
	}

	t.Run("captured by hand", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		jobEvent, err := retry(ctx, rec, logger)
		if got := string(logcrumbs.LastEventID(ctx)); got != jobEvent {
			t.Fatalf("logged: caller's LastEventID %q, want the second run's event %q", got, jobEvent)
		}
		sentry.GetHubFromContext(ctx).CaptureException(err)
		if evs := rec.Events(); len(evs) != 2 {
			t.Errorf("%d events, want 2 (the caller's first, the second run's): %v", len(evs), evMessages(evs))
		}
		if got := string(logcrumbs.LastEventID(ctx)); got != jobEvent {
			t.Errorf("captured by hand: caller's LastEventID %q, want the second run's event %q", got, jobEvent)
		}
	})

	t.Run("nested job", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		var outerEvent string
		err := logcrumbs.RunJob(ctx, "batch", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			_, err := retry(ctx, rec, logger)
			outerEvent = string(logcrumbs.LastEventID(ctx))
			return err
		})
		logger.ErrorContext(ctx, "batch failed", "err", err)
		if evs := rec.Events(); len(evs) != 2 {
			t.Errorf("%d events, want 2 (the outer job's first, the second run's): %v", len(evs), evMessages(evs))
		}
		if got := string(logcrumbs.LastEventID(ctx)); got != outerEvent {
			t.Errorf("caller's LastEventID %q, want the outer job's, the second run's event %q", got, outerEvent)
		}
	})
}
