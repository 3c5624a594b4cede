package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// topJobThenLog runs, at the top of a program (ctx carries rec's hub, no
// unit of work), a job that logs err and returns it, then logs what RunJob
// returned, as a consumer's loop does.
func topJobThenLog(rec *logcrumbstest.Recorder, opts logcrumbs.Options, err error) {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	got := logcrumbs.RunJob(ctx, "consume", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "consume failed", "err", err)
		return err
	})
	logger.ErrorContext(ctx, "message failed", "err", got)
}

// TestTopJobErrorOncePerClient: RunJob at the top of a program hands the
// job's error back to the fallback trail for the job's client
// (Trail.HandBack). The fallback trail keeps each client's captures
// apart: a job of client B whose error client A's job returned before is
// B's event, and B's caller logging it must send nothing more.
func TestTopJobErrorOncePerClient(t *testing.T) {
	errDown := errors.New("broker down")
	a, b := logcrumbstest.New(t), logcrumbstest.New(t)
	topJobThenLog(a, a.Options(), errDown)
	topJobThenLog(b, b.Options(), errDown)
	if evs := a.Events(); len(evs) != 1 {
		t.Errorf("client A: %d events, want 1: %v", len(evs), evMessages(evs))
	}
	if evs := b.Events(); len(evs) != 1 {
		t.Errorf("client B: %d events, want 1 (its job's; the caller's log of the returned error is a second): %v", len(evs), evMessages(evs))
	}
}

// TestTopJobErrorOnceAfterWindow: the fallback trail counts an error as
// sent for FallbackCaptureWindow. A job at the top of a program returning
// an error another job returned longer ago than that is a new event, and
// its caller logging it must send nothing more.
func TestTopJobErrorOnceAfterWindow(t *testing.T) {
	errDown := errors.New("broker down")
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.FallbackCaptureWindow = 50 * time.Millisecond
	topJobThenLog(rec, opts, errDown)
	if evs := rec.Events(); len(evs) != 1 {
		t.Fatalf("first job: %d events, want 1: %v", len(evs), evMessages(evs))
	}
	time.Sleep(2 * opts.FallbackCaptureWindow)
	rec.Reset()
	topJobThenLog(rec, opts, errDown)
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("second job, after the window: %d events, want 1 (its job's; the caller's log of the returned error is a second): %v", len(evs), evMessages(evs))
	}
}
