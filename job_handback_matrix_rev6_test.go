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

// TestJobHandBackAnswersMatrix: a unit of work logs a record of two errors
// side by side (one event), then a job returns one of them (once, or run
// twice), which it sent as its own event, on a table empty or full. Each
// log of the job's error without the record's other one beside it (alone,
// wrapped, wrapped twice, in a join with a new error, as it is or
// wrapped) names the last run's event; each log of the two together (side
// by side in either order, as a join in either order, wrapped) names the
// record's. Nothing is sent again.
func TestJobHandBackAnswersMatrix(t *testing.T) {
	for _, fill := range []int{0, 29, 30, 31} {
		for _, runs := range []int{1, 2} {
			for _, jobFirst := range []bool{true, false} {
				t.Run(fmt.Sprintf("Fill=%d/Runs=%d/JobFirst=%v", fill, runs, jobFirst), func(t *testing.T) {
					rec := logcrumbstest.New(t)
					logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
					ctx := rec.Context(context.Background())
					for i := range fill {
						logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
					}
					errJob, errOther := errors.New("sync failed"), errors.New("rollback failed")
					if jobFirst {
						logger.ErrorContext(ctx, "save failed", "err", errJob, "other", errOther)
					} else {
						logger.ErrorContext(ctx, "save failed", "other", errOther, "err", errJob)
					}
					record := logcrumbs.LastEventID(ctx)
					for range runs {
						_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
							logger.ErrorContext(ctx, "cleanup failed", "err", errJob)
							return errJob
						})
					}
					evs := rec.Events()
					n := len(evs)
					job := evs[n-1].EventID
					newErr := errors.New("close failed")
					for _, c := range []struct {
						name string
						args []any
						want string
					}{
						{"Alone", []any{"err", errJob}, "job"},
						{"Wrapped", []any{"err", fmt.Errorf("a: %w", errJob)}, "job"},
						{"WrappedTwice", []any{"err", fmt.Errorf("b: %w", fmt.Errorf("a: %w", errJob))}, "job"},
						{"JoinWithNew", []any{"err", errors.Join(newErr, errJob)}, "job"},
						{"WrappedJoinWithNew", []any{"err", fmt.Errorf("c: %w", errors.Join(errJob, newErr))}, "job"},
						{"SideBySide", []any{"err", errJob, "other", errOther}, "record"},
						{"SideBySideOtherFirst", []any{"other", errOther, "err", errJob}, "record"},
						{"SideBySideWrapped", []any{"other", errOther, "err", fmt.Errorf("a: %w", errJob)}, "record"},
						{"Join", []any{"err", errors.Join(errJob, errOther)}, "record"},
						{"JoinOtherFirst", []any{"err", errors.Join(errOther, errJob)}, "record"},
						{"WrappedJoin", []any{"err", fmt.Errorf("c: %w", errors.Join(errOther, errJob))}, "record"},
						{"Alone", []any{"err", errJob}, "job"},
					} {
						logger.ErrorContext(ctx, "again", c.args...)
						want := map[string]string{"job": string(job), "record": string(record)}[c.want]
						if got := logcrumbs.LastEventID(ctx); string(got) != want {
							t.Errorf("%s: LastEventID %q (the job's %q, the record's %q), want the %s's", c.name, got, job, record, c.want)
						}
					}
					if got := len(rec.Events()); got != n {
						t.Errorf("%d events, want %d: %v", got, n, evMessages(rec.Events()[n:]))
					}
				})
			}
		}
	}
}
