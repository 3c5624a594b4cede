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

// TestJobRetryNamesItsEventPastAnEarlierWrapper: a unit of work retries a
// job; the first run returns the error without logging it, and the caller
// logs it wrapped ("attempt 1: smtp down", an event of the caller's); the
// second run logs it (the job's event) and returns it. The error the
// second run returned is that run's event to the caller, whether the
// caller logs it, captures it by hand through its hub, or is itself a job
// that returns it to its own caller (nested jobs): never the caller's
// earlier event of a wrapper, which only holds the error. Logged, the
// caller already names the second run's event (capture-once goes by the
// outermost error of the logged chain); captured by hand, or returned by
// an outer job, it named the wrapper's, because the look-up behind both
// (Trail.CapturedAs, CaptureByHand) took the first entry in table order
// related to the error in any way, an entry that wraps it too.
func TestJobRetryNamesItsEventPastAnEarlierWrapper(t *testing.T) {
	errSMTP := errors.New("smtp down")
	// retry runs the job twice from ctx, logging each failure wrapped, and
	// returns what the second run returned and the event it logged.
	retry := func(ctx context.Context, rec *logcrumbstest.Recorder, logger *slog.Logger) (jobEvent string, err error) {
		for i := range 2 {
			err = logcrumbs.RunJob(ctx, "send", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				if i == 1 {
					logger.ErrorContext(ctx, "send failed", "err", errSMTP)
					jobEvent = string(logcrumbs.LastEventID(ctx))
				}
				return errSMTP
			})
			logger.ErrorContext(ctx, "attempt failed", "err", fmt.Errorf("attempt %d: %w", i+1, err))
		}
		if jobEvent == "" {
			t.Fatal("the second run sent no event")
		}
		return jobEvent, err
	}

	t.Run("captured by hand", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		jobEvent, err := retry(ctx, rec, logger)
		if got := string(logcrumbs.LastEventID(ctx)); got != jobEvent {
			t.Fatalf("logged: caller's LastEventID %q, want the second run's event %q", got, jobEvent)
		}
		sentry.GetHubFromContext(ctx).CaptureException(err)
		if evs := rec.Events(); len(evs) != 2 {
			t.Errorf("%d events, want 2 (the caller's first, the second run's): %v", len(evs), evMessages(evs))
		}
		if got := string(logcrumbs.LastEventID(ctx)); got != jobEvent {
			t.Errorf("captured by hand: caller's LastEventID %q, want the second run's event %q", got, jobEvent)
		}
	})

	t.Run("nested job", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		var outerEvent string
		err := logcrumbs.RunJob(ctx, "batch", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			_, err := retry(ctx, rec, logger)
			outerEvent = string(logcrumbs.LastEventID(ctx))
			return err
		})
		logger.ErrorContext(ctx, "batch failed", "err", err)
		if evs := rec.Events(); len(evs) != 2 {
			t.Errorf("%d events, want 2 (the outer job's first, the second run's): %v", len(evs), evMessages(evs))
		}
		if got := string(logcrumbs.LastEventID(ctx)); got != outerEvent {
			t.Errorf("caller's LastEventID %q, want the outer job's, the second run's event %q", got, outerEvent)
		}
	})
}

// TestJobDroppedEventNotOfferedAgainByCaller: a BeforeSend that drops a
// job's events (by the "job" tag RunJob sets) drops the job's error for
// good: the caller logging what the job returned is the layer above the
// job's, and, as an upper layer's log of an error whose event was dropped
// in one unit of work (Trail.NotSent: "so that the bug is not offered
// again when an upper layer logs it"), it is folded into no event: not
// offered to BeforeSend again, sent with the caller's tags instead, nor
// named by LastEventID. A sampled-out job event (SampleRate) would
// otherwise get a second draw through its caller. Also at the top of a
// program (the fallback trail).
func TestJobDroppedEventNotOfferedAgainByCaller(t *testing.T) {
	for _, top := range []bool{false, true} {
		name := map[bool]string{false: "unit", true: "top"}[top]
		t.Run(name, func(t *testing.T) { checkDroppedJobEvent(t, top, false) })
	}
}

// TestJobDroppedPanicEventNotOfferedAgainByCaller: as
// TestJobDroppedEventNotOfferedAgainByCaller, for a job (Recover) that
// panics with an error value: its panic event dropped by BeforeSend, the
// error RunJob returns for the panic, logged by the caller, is not offered
// again, nor named by LastEventID.
func TestJobDroppedPanicEventNotOfferedAgainByCaller(t *testing.T) {
	checkDroppedJobEvent(t, false, true)
}

// checkDroppedJobEvent runs a job "poll" whose events BeforeSend drops,
// from a unit of work or, with top, from a context without one; the job
// logs and returns an error, or with panics panics with it (Recover). The
// caller's log of what RunJob returned must not be offered to BeforeSend,
// nor be named by LastEventID.
func checkDroppedJobEvent(t *testing.T, top, panics bool) {
	rec, offered := offeredRecorder(t, "poll")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	if top {
		ctx = sentry.SetHubOnContext(context.Background(), rec.Hub())
	}
	errPoll := errors.New("poll timed out " + t.Name())
	err := logcrumbs.RunJob(ctx, "poll", logcrumbs.JobOptions{Recover: panics, Options: rec.Options()}, func(ctx context.Context) error {
		if panics {
			panic(errPoll)
		}
		logger.ErrorContext(ctx, "poll failed", "err", errPoll)
		return errPoll
	})
	logger.ErrorContext(ctx, "job failed", "err", err)
	if o, evs := offered(), rec.Events(); len(evs) != 0 || len(o) != 1 {
		t.Errorf("BeforeSend offered %q, %d sent %v; want the job's event alone offered, and dropped", o, len(evs), evMessages(evs))
	}
	if got := logcrumbs.LastEventID(ctx); got != "" {
		t.Errorf("caller's LastEventID %q, want none", got)
	}
}
