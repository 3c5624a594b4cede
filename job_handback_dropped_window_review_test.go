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

// TestTopJobHandBackPastADroppedMultiErrorRecordsWindow: at the top of a
// program (the fallback trail), a record of two errors is dropped by
// BeforeSend; past the FallbackCaptureWindow, a job returns one of them,
// sending its own event, and the caller logs what it returned. That log is
// the job's event (handed back), not a second event of the same error:
// the hand-back found the dropped record's expired entry, took it for one
// of a record's several errors that stays theirs, and neither renamed it
// (counting from now) nor remembered the job's error beside it.
func TestTopJobHandBackPastADroppedMultiErrorRecordsWindow(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if len(ev.Message) >= 11 && ev.Message[:11] == "save failed" {
				return nil
			}
			return ev
		}
	})
	opts := rec.Options()
	opts.FallbackCaptureWindow = 20 * time.Millisecond
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	// The fallback trail outlives the test: texts of this run alone.
	name := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	errSync, errRollback := errors.New("sync failed "+name), errors.New("rollback failed "+name)
	logger.ErrorContext(ctx, "save failed "+name, "err", errSync, "rollback", errRollback)
	time.Sleep(3 * opts.FallbackCaptureWindow)
	var jobEvent string
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed "+name, "err", errRollback)
		jobEvent = string(logcrumbs.LastEventID(ctx))
		return errRollback
	})
	logger.ErrorContext(ctx, "message failed "+name, "err", err)
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want the job's alone (%q): %v", len(evs), jobEvent, evMessages(evs))
	}
}

// TestTopJobHandBackPastAMultiErrorRecordsWindow: as
// TestTopJobHandBackPastADroppedMultiErrorRecordsWindow, with the record of
// two errors sent: the caller's log of what the job returned is no third
// event.
func TestTopJobHandBackPastAMultiErrorRecordsWindow(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.FallbackCaptureWindow = 20 * time.Millisecond
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	name := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	errSync, errRollback := errors.New("sync failed "+name), errors.New("rollback failed "+name)
	logger.ErrorContext(ctx, "save failed "+name, "err", errSync, "rollback", errRollback)
	time.Sleep(3 * opts.FallbackCaptureWindow)
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed "+name, "err", errRollback)
		return errRollback
	})
	logger.ErrorContext(ctx, "message failed "+name, "err", err)
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events, want the record's and the job's: %v", len(evs), evMessages(evs))
	}
}
