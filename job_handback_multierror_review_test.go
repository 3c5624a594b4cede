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

// TestJobHandBackKeepsAMultiErrorRecordsEvent: a unit of work logs a
// record with two errors (one event, both its exceptions), then runs a job
// that logs and returns the second of them as it is (the job's event, with
// that error alone). The caller's record of both errors logged again is
// the caller's first event, the only one that holds both: not the job's,
// which never held the first error (the hand-back renamed the caller's
// entry of the returned error, one of the two entries of that record, and
// capture-once answered a record of several errors with the event of its
// last error's entry).
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
// both errors logged again named the job's event (it goes on to the
// record's entry now: captured.recordOf).
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

// TestJobHandBackRetryOfAMultiErrorRecordsError: a unit of work logs a
// record with two errors (one event), then runs a job (a retry) that logs
// and returns the second of them. RunJob's godoc: an error the job sent as
// an event and returns is that event in the caller's unit of work too, and
// LastEventID of ctx names the job's. The caller logging that error alone
// names the job's event.
func TestJobHandBackRetryOfAMultiErrorRecordsError(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2 (the caller's, the job's): %v", len(evs), evMessages(evs))
	}
	job := evs[1].EventID
	logger.ErrorContext(ctx, "cleanup failed", "err", err)
	if got := logcrumbs.LastEventID(ctx); got != job {
		t.Errorf("the job's error logged alone: LastEventID %q, want the job's event %q (RunJob's godoc), not the record's %q", got, job, evs[0].EventID)
	}
	if n := len(rec.Events()); n != 2 {
		t.Errorf("%d events, want 2", n)
	}
}

// TestJobHandBackKeepsADroppedMultiErrorRecordsNone: as
// TestJobHandBackKeepsAMultiErrorRecordsEvent, with the caller's record of
// both errors dropped by BeforeSend: logged again, it is that dropped
// event's repeat, and names none (not the job's event, which never held
// its first error).
func TestJobHandBackKeepsADroppedMultiErrorRecordsNone(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if ev.Message == "save failed" {
				return nil
			}
			return ev
		}
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want the job's alone: %v", len(evs), evMessages(evs))
	}
	if got := logcrumbs.LastEventID(ctx); got != "" {
		t.Errorf("the dropped record of both errors logged again: LastEventID %q, want none", got)
	}
}
