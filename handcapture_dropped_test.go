package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestHandCaptureDroppedByBeforeSendThenLogged: an error captured by hand
// through the unit's hub (hub.CaptureException), whose event the client's
// BeforeSend drops (here: it drops the events without a message, as a
// program filtering its bare captures might), and then logged, should reach
// Sentry as the logged record's event: the user never saw the first one.
// Today the unit's event processor notes the capture (capture-once) before
// BeforeSend runs, and the log is folded into it: nothing is sent.
//
// Skipped: no fix without wrapping the user's BeforeSend. logcrumbs learns
// the fate of its own events from the hub.CaptureEvent call it makes (the
// ID it returns, nil when the client dropped the event: eventref.Ref.Drop);
// a hand capture's call is the program's, and what logcrumbs sees of it is
// the unit's scope event processor, which sentry-go runs in prepareEvent,
// before the client's event processors, the global ones and BeforeSend
// (client.go, processEvent), any of which may drop it afterwards. sentry-go
// calls nothing of logcrumbs' after that: the client's options (BeforeSend,
// Transport) are the program's, copied into the client when it is made, and
// cannot be wrapped afterwards; a ClientOptions wrapper logcrumbs offered
// would change what the program's BeforeSend is (and see every event
// twice over). The one trace a drop leaves is that Hub.CaptureException does
// not set the hub's LastEventID, but only on the hub it was called on: a
// capture through a clone of the unit's hub (the pattern sentry-go advises
// for goroutines), through client.CaptureException with the hub's scope,
// or sentryhttp's recovery, leaves the unit's hub as a drop would, and
// taking those for drops would send a second event for every such error
// logged afterwards (capture-once broken where it works today), and two
// goroutines capturing at once race on it. logcrumbs' own events dropped
// by BeforeSend are not offered again either when logged again (the
// error's capture-once entry stays, under no event: RunJob's and
// LastEventID's docs): a hand capture is treated alike, and LastEventID's
// doc says a client-level BeforeSend that drops a hand capture is not
// seen.
func TestHandCaptureDroppedByBeforeSendThenLogged(t *testing.T) {
	t.Skip("needs a hook after the client's BeforeSend that sentry-go does not offer: see the comment")
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if ev.Message == "" {
				return nil // a bare capture: dropped
			}
			return ev
		}
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
	ctx := logcrumbs.Bind(logcrumbs.NewContext(context.Background()), rec.Hub().Clone())
	err := errors.New("disk full " + t.Name())
	if id := sentry.GetHubFromContext(ctx).CaptureException(err); id != nil {
		t.Fatalf("BeforeSend did not drop the hand capture: %s", *id)
	}
	logger.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", err))
	evs := rec.Events()
	if len(evs) != 1 || evs[0].Message != "save failed" {
		t.Errorf("events %d, want the logged record's (the hand capture was dropped)", len(evs))
	}
	if got := logcrumbs.LastEventID(ctx); len(evs) == 1 && got != evs[0].EventID {
		t.Errorf("LastEventID %q, want the logged record's event %s", got, evs[0].EventID)
	}
}
