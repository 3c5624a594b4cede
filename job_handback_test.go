package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

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
