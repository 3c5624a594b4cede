package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobHandBackCauseConcurrent: as TestJobHandBackJoinConcurrent, for a
// record of an error and its cause side by side, on a full table, after a
// job run twice returned the error: goroutines of the unit log at once the
// job's error alone, wrapped, beside its cause (the record), and the two
// as a join the cause first (the record): each names its event every
// time, and nothing is sent again (run with -race).
func TestJobHandBackCauseConcurrent(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	for i := range 30 {
		logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
	}
	errCause := errors.New("connection reset")
	errSync := fmt.Errorf("sync failed: %w", errCause)
	logger.ErrorContext(ctx, "save failed", "err", errSync, "cause", errCause)
	record := logcrumbs.LastEventID(ctx)
	var job sentry.EventID
	for range 2 {
		_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
			job = logcrumbs.LastEventID(ctx)
			return errSync
		})
	}
	n := len(rec.Events())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				var args []any
				switch (g + i) % 4 {
				case 0:
					args = []any{"err", errSync}
				case 1:
					args = []any{"err", fmt.Errorf("cleanup: %w", errSync)}
				case 2:
					args = []any{"cause", errCause, "err", errSync}
				default:
					args = []any{"err", errors.Join(errCause, errSync)}
				}
				// The unit's LastEventID is shared by the goroutines: each
				// answer is read from the breadcrumb its record leaves.
				logger.ErrorContext(ctx, fmt.Sprintf("case %d", (g+i)%4), args...)
			}
		}()
	}
	wg.Wait()
	if got := len(rec.Events()); got != n {
		t.Errorf("%d events, want %d", got, n)
	}
	logger.ErrorContext(ctx, "done", "err", errors.New("last"))
	evs := rec.Events()
	seen := map[string]int{}
	for _, b := range evs[len(evs)-1].Breadcrumbs() {
		var want sentry.EventID
		switch b.Message {
		case "case 0", "case 1":
			want = job
		case "case 2", "case 3":
			want = record
		default:
			continue
		}
		seen[b.Message]++
		if got := b.Data["sentry.event_id"]; got != string(want) {
			t.Errorf("breadcrumb %q names %v, want %q (record %q, job %q)", b.Message, got, want, record, job)
		}
	}
	if len(seen) != 4 { // the trail keeps the last of them
		t.Errorf("breadcrumbs of cases %v, want all four", seen)
	}
}
