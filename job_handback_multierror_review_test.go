package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobHandBackKeepsAMultiErrorRecordsEvent: a unit of work logs a
// record with two errors (one event, both its exceptions), then runs a job
// that logs and returns the second of them as it is (the job's event, with
// that error alone). The caller's record of both errors logged again is
// the caller's first event, the only one that holds both: not the job's,
// which never held the first error. The hand-back renames the caller's
// entry of the returned error, one of the two entries of that record, and
// capture-once answers a record of several errors with the event of its
// last error's entry.
func TestJobHandBackKeepsAMultiErrorRecordsEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	first := logcrumbs.LastEventID(ctx)
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events, want 2 (the caller's, the job's): %v", len(evs), evMessages(evs))
	}
	if got := logcrumbs.LastEventID(ctx); got != first {
		t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, first)
	}
}
