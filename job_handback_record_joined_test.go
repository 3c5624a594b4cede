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

// TestJobHandBackRecordLoggedAsAJoin: a unit of work logs a record of two
// errors side by side (one event), then a job returns one of them, which
// it sent as its own event. The two errors logged again as one value, a
// join (errors.Join, or wrapped by fmt.Errorf), are the record's event,
// the only one with both, as the record logged again side by side is
// (TestJobHandBackRecordBesideOthers), whichever member the job returned
// and whichever comes first in the join; the job's error alone stays the
// job's event. Nothing is sent again.
func TestJobHandBackRecordLoggedAsAJoin(t *testing.T) {
	for _, jobFirst := range []bool{true, false} {
		for _, wrapped := range []bool{false, true} {
			t.Run(fmt.Sprintf("JobErrorFirst=%v/Wrapped=%v", jobFirst, wrapped), func(t *testing.T) {
				rec := logcrumbstest.New(t)
				logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
				ctx := rec.Context(context.Background())
				errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
				logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
				record := logcrumbs.LastEventID(ctx)
				var job sentry.EventID
				_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
					job = logcrumbs.LastEventID(ctx)
					return errSync
				})
				n := len(rec.Events())
				join := errors.Join(errRollback, errSync)
				if jobFirst {
					join = errors.Join(errSync, errRollback)
				}
				if wrapped {
					join = fmt.Errorf("save: %w", join)
				}
				logger.ErrorContext(ctx, "save failed", "err", join)
				if got := logcrumbs.LastEventID(ctx); got != record {
					t.Errorf("the record's errors logged as a join: LastEventID %q (the job's %q), want the record's event %q (the only one with both)", got, job, record)
				}
				logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
				if got := logcrumbs.LastEventID(ctx); got != job {
					t.Errorf("the job's error logged alone: LastEventID %q, want the job's event %q", got, job)
				}
				if got := len(rec.Events()); got != n {
					t.Errorf("%d events, want %d", got, n)
				}
			})
		}
	}
}
