package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobErrorLoggedByItsCallerIsOneEvent: "the same error logged at
// several layers is one event" holds across RunJob: a job logs its error
// (an event with the job's trail) and returns it, and the code that ran
// the job logs it again, as it is or wrapped; that is the job's event, not
// a second one, and LastEventID of the caller's unit names it. An error
// the job returned without logging it is the caller's event.
func TestJobErrorLoggedByItsCallerIsOneEvent(t *testing.T) {
	for _, child := range []bool{false, true} {
		for _, wrap := range []bool{false, true} {
			t.Run(fmt.Sprintf("child=%v,wrapped=%v", child, wrap), func(t *testing.T) {
				rec := logcrumbstest.New(t)
				logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
				ctx := rec.Context(context.Background())
				var jobEvent string
				err := logcrumbs.RunJob(ctx, "send-receipt", logcrumbs.JobOptions{Options: rec.Options(), Child: child},
					func(ctx context.Context) error {
						err := errors.New("smtp down")
						logger.ErrorContext(ctx, "send failed", "err", err)
						jobEvent = string(logcrumbs.LastEventID(ctx))
						return err
					})
				if wrap {
					err = fmt.Errorf("checkout: %w", err)
				}
				logger.ErrorContext(ctx, "job failed", "err", err)
				if evs := rec.Events(); len(evs) != 1 {
					t.Errorf("%d events for one error logged in the job and by its caller, want 1: %v", len(evs), evMessages(evs))
				}
				if got := string(logcrumbs.LastEventID(ctx)); got != jobEvent {
					t.Errorf("caller's LastEventID %q, want the job's event %q", got, jobEvent)
				}

				rec.Reset()
				err = logcrumbs.RunJob(ctx, "send-receipt", logcrumbs.JobOptions{Options: rec.Options(), Child: child},
					func(ctx context.Context) error { return errors.New("queue full") }) // not logged in the job
				logger.ErrorContext(ctx, "job failed", "err", err)
				if evs := rec.Events(); len(evs) != 1 || evs[0].Message != "job failed" {
					t.Errorf("events %v, want the caller's one", evMessages(evs))
				}
			})
		}
	}
}
