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

// TestJobHandBackKeepsAMultiErrorRecordsEventRingFull: as
// TestJobHandBackKeepsAMultiErrorRecordsEvent, with the caller's table of
// captured errors full (32 entries) when the job hands its error back: the
// entry remembered beside the record's goes in place of the oldest, at a
// lower index than the record's entries, and is found first: the record of
// both errors logged again names the job's event.
func TestJobHandBackKeepsAMultiErrorRecordsEventRingFull(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	for i := range 30 {
		logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
	}
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	first := logcrumbs.LastEventID(ctx)
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	n := len(rec.Events())
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	if evs := rec.Events(); len(evs) != n {
		t.Errorf("%d events, want %d: the record of both errors logged again sent one: %v", len(evs), n, evMessages(evs[n:]))
	}
	if got := logcrumbs.LastEventID(ctx); got != first {
		t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, first)
	}
}
