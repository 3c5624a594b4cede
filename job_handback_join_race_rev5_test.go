package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobHandBackJoinConcurrent: goroutines of one unit of work log, at
// once, a record's two errors as a join and the job's error alone, after
// the job handed its error back: the join names the record's event, the
// job's error the job's, every time, and nothing is sent again (run with
// -race).
func TestJobHandBackJoinConcurrent(t *testing.T) {
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
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if (g+i)%2 == 0 {
					logger.ErrorContext(ctx, "save failed", "err", errors.Join(errSync, errRollback))
				} else {
					logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
				}
			}
		}()
	}
	wg.Wait()
	if got := len(rec.Events()); got != n {
		t.Errorf("%d events, want %d", got, n)
	}
	logger.ErrorContext(ctx, "done", "err", errors.New("last"))
	evs := rec.Events()
	joins, alone := 0, 0
	for _, b := range evs[len(evs)-1].Breadcrumbs() {
		want := job
		switch b.Message {
		case "save failed":
			want = record
			joins++
		case "cleanup failed":
			alone++
		default:
			continue
		}
		if got := b.Data["sentry.event_id"]; got != string(want) {
			t.Errorf("breadcrumb %q names %v, want %q (record %q, job %q)", b.Message, got, want, record, job)
		}
	}
	if joins == 0 || alone == 0 { // the trail keeps the last of them
		t.Errorf("breadcrumbs: %d joins and %d alone, want both", joins, alone)
	}
}
