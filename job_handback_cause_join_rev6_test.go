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

// TestJobHandBackErrorWrapsRecordsOtherInAJoin: as
// TestJobHandBackErrorWrapsRecordsOther, with the job's error logged again
// in a join (of it alone, or beside a new error, as it is or wrapped): the
// record's other error is under the job's error, its cause, not beside it
// as a join's member, so the join is the job's event, as the job's error
// alone or wrapped is.
//
// Skipped: not fixed. The chain capture-once looks in (errorChain) is
// the errors in preorder, each once, so errors.Join(errSync) and
// errors.Join(errSync, errCause) have one chain, [join, errSync,
// errCause]: under the trail's lock, which calls no Unwrap, it cannot tell
// a cause under the job's error from a member beside it, and the second
// is the record logged as a join (the record's event, as
// TestJobHandBackRecordLoggedAsAJoin has it). A fix needs the chain walk
// (outside the lock) to keep which errors are under which: not small.
func TestJobHandBackErrorWrapsRecordsOtherInAJoin(t *testing.T) {
	t.Skip("known: a join's chain cannot tell the job's error's cause from a member beside it (see the comment)")
	for _, c := range []string{"JoinOfOne", "JoinBesideNew", "WrappedJoinBesideNew"} {
		t.Run(c, func(t *testing.T) {
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
			var err error
			switch c {
			case "JoinOfOne":
				err = errors.Join(errSync)
			case "JoinBesideNew":
				err = errors.Join(errSync, errors.New("close failed"))
			default:
				err = fmt.Errorf("cleanup: %w", errors.Join(errors.New("close failed"), errSync))
			}
			logger.ErrorContext(ctx, "cleanup failed", "err", err)
			if got := logcrumbs.LastEventID(ctx); got != job {
				t.Errorf("the job's error logged in a join: LastEventID %q (the record's %q), want the job's event %q", got, record, job)
			}
			if got := len(rec.Events()); got != n {
				t.Errorf("%d events, want %d", got, n)
			}
		})
	}
}

// TestJobHandBackErrorAndItsCauseLoggedAsAJoin: the record of an error and
// its cause side by side, logged again as a join of the two after a job
// returned the error, is the record's event (the only one with both), as
// the record logged again side by side is; whichever comes first.
func TestJobHandBackErrorAndItsCauseLoggedAsAJoin(t *testing.T) {
	for _, jobFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("JobErrorFirst=%v", jobFirst), func(t *testing.T) {
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
			join := errors.Join(errCause, errSync)
			if jobFirst {
				join = errors.Join(errSync, errCause)
			}
			logger.ErrorContext(ctx, "save failed", "err", join)
			if got := logcrumbs.LastEventID(ctx); got != record {
				t.Errorf("the record's errors logged as a join: LastEventID %q (the job's %q), want the record's event %q", got, job, record)
			}
			if got := len(rec.Events()); got != n {
				t.Errorf("%d events, want %d", got, n)
			}
		})
	}
}
