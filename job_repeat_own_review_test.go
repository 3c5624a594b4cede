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

// TestJobRetryLastEventIDNamesItsJob: a unit of work runs a job twice (a
// retry), each run logs the same error value (a sentinel: io.ErrUnexpectedEOF,
// context.DeadlineExceeded) and returns it; each run's event is sent, from
// its own trail. The caller logging what the second run returned is that
// run's event, as RunJob's doc says ("LastEventID of ctx names the job's"),
// not the first run's.
func TestJobRetryLastEventIDNamesItsJob(t *testing.T) {
	errSMTP := errors.New("smtp down")
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	var jobIDs []string
	for i := range 2 {
		err := logcrumbs.RunJob(ctx, "send", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "send failed", "err", errSMTP, "try", i)
			jobIDs = append(jobIDs, string(logcrumbs.LastEventID(ctx)))
			return errSMTP
		})
		logger.ErrorContext(ctx, "job failed", "err", err)
		if evs := rec.Events(); len(evs) != i+1 {
			t.Fatalf("run %d: %d events, want %d: %v", i, len(evs), i+1, evMessages(evs))
		}
		if got := string(logcrumbs.LastEventID(ctx)); got != jobIDs[i] {
			t.Errorf("run %d: caller's LastEventID %q, want that run's event %q", i, got, jobIDs[i])
		}
	}
}
