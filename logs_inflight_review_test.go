package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestLogsOnEventNameNoInFlightEventDroppedLater: with Options.LogsOnEvent,
// a record folded into an event the client is still deciding (B, held in
// BeforeSend) goes to Sentry Logs, and on the breadcrumbs of another event
// of the unit (F) sent meanwhile, naming B under sentry.event_id. The
// client then drops B: a Sentry Log (and F's breadcrumb) names an event
// never sent. eventref marks B only once dropped; what left the process
// before cannot be taken back. Fixing it would mean a third state of a
// reference (undecided), whose records Sentry Logs hold back and whose
// breadcrumbs on other events name no event (or wait).
func TestLogsOnEventNameNoInFlightEventDroppedLater(t *testing.T) {
	t.Skip("defect (judgment call, inherent to marking on drop): a Sentry Log (LogsOnEvent) and another event's breadcrumb taken while B was in its client's hands name B, which the client then drops")
	rec, inFlight, release := heldDrop(t, "other")
	opts := rec.Options()
	opts.LogsOnEvent = true
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := rec.Context(context.Background())
	boom := errors.New("logs in flight: card declined")
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger.ErrorContext(ctx, "charge failed", "err", boom)
	}()
	<-inFlight
	logger.ErrorContext(ctx, "charge failed again", "err", boom) // folded into B
	logger.ErrorContext(ctx, "other failed", "err", errors.New("other"))
	close(release)
	<-done
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want F alone", len(evs))
	}
	sent := string(evs[0].EventID)
	for _, c := range evs[0].Breadcrumbs() {
		if id, ok := c.Data["sentry.event_id"].(string); ok && id != sent {
			t.Errorf("F's breadcrumb %q names %s, never sent", c.Message, id)
		}
	}
	for _, l := range rec.Logs() {
		for k, v := range l.Attributes {
			if k == "sentry.event_id" && fmt.Sprint(v.AsInterface()) != sent {
				t.Errorf("Sentry Log %q names %v, never sent", l.Body, v.AsInterface())
			}
		}
	}
}
