package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestTopJobHandBackBesideARecordAfterARepeat: at the top of a program
// (the fallback trail, whose captures count for FallbackCaptureWindow), an
// error logged alone once (its entry then expired), then again in a record
// of two errors (a second event), then alone again (folded into the
// record's event), is returned by a job that sent it as its own event: the
// caller's log of it then names the job's event (RunJob's godoc), as it
// does without the repeat before the job. Seen in the breadcrumb of the
// caller's log (sentry.event_id) on a later event from the fallback trail.
func TestTopJobHandBackBesideARecordAfterARepeat(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.FallbackCaptureWindow = 300 * time.Millisecond // the steps after the sleep take far less
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	// The fallback trail outlives the test: texts of this run alone.
	name := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	errSync, errRollback := errors.New("sync failed "+name), errors.New("rollback failed "+name)
	logger.ErrorContext(ctx, "rollback failed", "err", errRollback)
	time.Sleep(2 * opts.FallbackCaptureWindow) // that capture expired
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	logger.ErrorContext(ctx, "rollback failed again", "err", errRollback) // the record's event
	var job string
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		job = string(logcrumbs.LastEventID(ctx))
		return errRollback
	})
	evs := rec.Events()
	if len(evs) != 3 || job == "" {
		t.Fatalf("%d events, want 3 (the first log's, the record's, the job's, %q): %v", len(evs), job, evMessages(evs))
	}
	caller := "message failed " + name
	logger.ErrorContext(ctx, caller, "err", err)
	logger.ErrorContext(ctx, "marker "+name, "err", errors.New("marker "+name))
	evs = rec.Events()
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4 with the marker: %v", len(evs), evMessages(evs))
	}
	for _, b := range evs[3].Breadcrumbs() {
		if b.Message == caller {
			if got := b.Data["sentry.event_id"]; got != job {
				t.Errorf("the caller's log of the job's error names %v, want the job's event %q (the record's: %q)", got, job, evs[1].EventID)
			}
			return
		}
	}
	t.Fatalf("no breadcrumb %q on the marker event: %q", caller, evs[3].BreadcrumbMessages())
}
