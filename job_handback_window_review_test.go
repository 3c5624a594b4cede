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

// TestTopJobRetryNamesItsEventPastTheJobsWindow: at the top of a program
// (a consumer's loop, the fallback trail), a message is retried later
// than the job's FallbackCaptureWindow (its JobOptions' own: the zero
// options give 10 seconds) but within the logger's (set longer): the
// caller's log of what the second run returned names the second run's
// event, not the first's. The hand-back took the first run's entry for
// expired, by the job's window, and added one beside it, so that the
// logger, by its own longer window, still found the first run's entry
// first. Seen in the breadcrumb of the caller's log (sentry.event_id) on a
// later event from the fallback trail.
func TestTopJobRetryNamesItsEventPastTheJobsWindow(t *testing.T) {
	rec := logcrumbstest.New(t)
	logOpts, jobOpts := rec.Options(), rec.Options()
	logOpts.FallbackCaptureWindow = time.Hour
	jobOpts.FallbackCaptureWindow = 20 * time.Millisecond
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logOpts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	// The fallback trail outlives the test: texts of this run alone, so
	// that -count=2 does not find the first run's breadcrumbs.
	name := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	errDown := errors.New("broker down " + name)
	var jobEvents []string
	for i := range 2 {
		if i > 0 {
			time.Sleep(3 * jobOpts.FallbackCaptureWindow) // a back-off
		}
		err := logcrumbs.RunJob(ctx, "consume", logcrumbs.JobOptions{Options: jobOpts}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "consume failed", "err", errDown)
			jobEvents = append(jobEvents, string(logcrumbs.LastEventID(ctx)))
			return errDown
		})
		logger.ErrorContext(ctx, fmt.Sprintf("message failed %s %d", name, i), "err", err)
	}
	if evs := rec.Events(); len(evs) != 2 {
		t.Fatalf("%d events, want the two runs': %v", len(evs), evMessages(evs))
	}
	logger.ErrorContext(ctx, "marker "+name, "err", errors.New("marker "+name))
	evs := rec.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3 with the marker: %v", len(evs), evMessages(evs))
	}
	want := fmt.Sprintf("message failed %s %d", name, 1)
	for _, b := range evs[2].Breadcrumbs() {
		if b.Message == want {
			if got := b.Data["sentry.event_id"]; got != jobEvents[1] {
				t.Errorf("the caller's log of the second run's error names %v, want that run's event %q (the first run's: %q)", got, jobEvents[1], jobEvents[0])
			}
			return
		}
	}
	t.Fatalf("no breadcrumb %q on the marker event: %q", want, evs[2].BreadcrumbMessages())
}
