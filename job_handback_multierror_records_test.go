package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobHandBackRecordBesideOthers: a unit of work logs a record of two
// errors (one event), and around it one of those errors is in another
// record of two errors too (SharedWithAnEarlierRecord), or both errors are
// returned by jobs that sent each as their own event (BothHandedBack). The
// record logged again names its own event, the only one with both errors,
// as it does when one of them alone was handed back
// (TestJobHandBackMultiErrorBothAnswers); the job's error logged alone
// names the job's event. Nothing is sent again.
func TestJobHandBackRecordBesideOthers(t *testing.T) {
	for _, c := range []struct {
		name         string
		earlier      bool // errSync in an earlier record of two errors
		syncHandBack bool // a job returns errSync too
	}{
		{"SharedWithAnEarlierRecord", true, false},
		{"BothHandedBack", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			ctx := rec.Context(context.Background())
			errSync, errRollback, errAudit := errors.New("sync failed"), errors.New("rollback failed"), errors.New("audit failed")
			if c.earlier {
				logger.ErrorContext(ctx, "audit failed", "err", errSync, "audit", errAudit)
			}
			logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
			record := logcrumbs.LastEventID(ctx)
			job := func(err error) sentry.EventID {
				var id sentry.EventID
				_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					logger.ErrorContext(ctx, "cleanup failed", "err", err)
					id = logcrumbs.LastEventID(ctx)
					return err
				})
				return id
			}
			if c.syncHandBack {
				job(errSync)
			}
			rollbackJob := job(errRollback)
			n := len(rec.Events())
			logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
			if got := logcrumbs.LastEventID(ctx); got != record {
				t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, record)
			}
			logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
			if got := logcrumbs.LastEventID(ctx); got != rollbackJob {
				t.Errorf("the job's error logged alone: LastEventID %q, want the job's event %q", got, rollbackJob)
			}
			if got := len(rec.Events()); got != n {
				t.Errorf("%d events, want %d: %v", got, n, evMessages(rec.Events()[n:]))
			}
		})
	}
}
