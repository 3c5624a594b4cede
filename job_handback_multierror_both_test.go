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

// TestJobHandBackMultiErrorBothAnswers: a unit of work logs a record of two
// errors (one event), then runs a job twice (a retry) that logs and returns
// the second of them: each run's event is handed back. Logged alone by
// the caller, that error names the last run's event (RunJob's godoc), and
// the record of both errors logged again names its own first event, the
// only one with both, in either order, and with the caller's table of
// captured errors full or not (the entry handed back goes before or after
// the record's, see Trail.HandBackNamed). Nothing is sent again.
func TestJobHandBackMultiErrorBothAnswers(t *testing.T) {
	for _, c := range []struct {
		name        string
		fill        int
		recordFirst bool
	}{
		{"ErrorFirst", 0, false},
		{"RecordFirst", 0, true},
		{"FullErrorFirst", 30, false},
		{"FullRecordFirst", 30, true},
		{"FullPastRecord", 31, false},
		{"NotFull", 28, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			ctx := rec.Context(context.Background())
			for i := range c.fill {
				logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
			}
			errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
			logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
			first := logcrumbs.LastEventID(ctx)
			var err error
			for range 2 {
				err = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
					return errRollback
				})
			}
			evs := rec.Events()
			n := len(evs)
			if n != c.fill+3 {
				t.Fatalf("%d events, want %d (the caller's, each run's): %v", n, c.fill+3, evMessages(evs))
			}
			job := evs[n-1].EventID
			record := func() {
				logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
				if got := logcrumbs.LastEventID(ctx); got != first {
					t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, first)
				}
			}
			alone := func() {
				logger.ErrorContext(ctx, "cleanup failed", "err", err)
				if got := logcrumbs.LastEventID(ctx); got != job {
					t.Errorf("the job's error logged alone: LastEventID %q, want the last run's event %q", got, job)
				}
				logger.ErrorContext(ctx, "cleanup failed", "err", fmt.Errorf("giving up: %w", err))
				if got := logcrumbs.LastEventID(ctx); got != job {
					t.Errorf("the job's error wrapped: LastEventID %q, want the last run's event %q", got, job)
				}
			}
			if c.recordFirst {
				record()
				alone()
			} else {
				alone()
				record()
			}
			if got := len(rec.Events()); got != n {
				t.Errorf("%d events, want %d: %v", got, n, evMessages(rec.Events()[n:]))
			}
		})
	}
}
