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

// TestJobHandBackErrorWrapsRecordsOther: a unit of work logs a record of
// an error and its cause side by side (one event), then a job returns the
// error, which it sent as its own event. The job's error logged again
// alone, or wrapped, is the job's event: its chain holds the record's
// other error as its cause, not beside it as a join's member does
// (TestJobHandBackRecordLoggedAsAJoin).
func TestJobHandBackErrorWrapsRecordsOther(t *testing.T) {
	for _, wrapped := range []bool{false, true} {
		t.Run(fmt.Sprintf("Wrapped=%v", wrapped), func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			ctx := rec.Context(context.Background())
			errCause := errors.New("connection reset")
			errSync := fmt.Errorf("sync failed: %w", errCause)
			logger.ErrorContext(ctx, "save failed", "err", errSync, "cause", errCause)
			record := logcrumbs.LastEventID(ctx)
			var job sentry.EventID
			_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
				job = logcrumbs.LastEventID(ctx)
				return errSync
			})
			n := len(rec.Events())
			var err error = errSync
			if wrapped {
				err = fmt.Errorf("cleanup: %w", errSync)
			}
			logger.ErrorContext(ctx, "cleanup failed", "err", err)
			if got := logcrumbs.LastEventID(ctx); got != job {
				t.Errorf("the job's error logged alone: LastEventID %q (the record's %q), want the job's event %q", got, record, job)
			}
			if got := len(rec.Events()); got != n {
				t.Errorf("%d events, want %d", got, n)
			}
		})
	}
}

// TestJobHandBackErrorWrapsRecordsOtherBesideAnother: as
// TestJobHandBackErrorWrapsRecordsOther, with the job's error logged last
// beside an error of another event: no other error of the record's is
// beside it (its cause is under it), so the record of the two names the
// job's event, by its last error, as it did before the job's error's
// own chain was looked in (29dd97b).
func TestJobHandBackErrorWrapsRecordsOtherBesideAnother(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errCause := errors.New("connection reset")
	errSync := fmt.Errorf("sync failed: %w", errCause)
	errOther := errors.New("quota exceeded")
	logger.ErrorContext(ctx, "quota", "err", errOther)
	other := logcrumbs.LastEventID(ctx)
	logger.ErrorContext(ctx, "save failed", "err", errSync, "cause", errCause)
	record := logcrumbs.LastEventID(ctx)
	var job sentry.EventID
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
		job = logcrumbs.LastEventID(ctx)
		return errSync
	})
	n := len(rec.Events())
	logger.ErrorContext(ctx, "both failed", "quota", errOther, "err", errSync)
	if got := logcrumbs.LastEventID(ctx); got != job {
		t.Errorf("LastEventID %q (the record's %q, the other's %q), want the job's event %q", got, record, other, job)
	}
	if got := len(rec.Events()); got != n {
		t.Errorf("%d events, want %d", got, n)
	}
}
