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

// TestHandCaptureOfInFlightEventDropped: other code of a unit captures by
// hand, through the unit's hub, an error the unit logged, while the client
// decides the logged error's event (BeforeSend, held here): the capture is
// that event (capture-once), and LastEventID names it meanwhile. The
// client then drops the event: LastEventID names no event, as when the
// capture comes after the drop.
func TestHandCaptureOfInFlightEventDropped(t *testing.T) {
	rec, inFlight, release := heldDrop(t, "")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	boom := errors.New("hand in flight: card declined")
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger.ErrorContext(ctx, "charge failed", "err", boom)
	}()
	<-inFlight
	sentry.GetHubFromContext(ctx).CaptureException(boom)
	if id := logcrumbs.LastEventID(ctx); id == "" {
		t.Fatal("in flight, LastEventID is empty: the capture by hand was not folded into the logged event")
	}
	close(release)
	<-done
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none", n)
	}
	if id := logcrumbs.LastEventID(ctx); id != "" {
		t.Errorf("LastEventID = %q, dropped", id)
	}
}

// heldDrop returns a recorder whose client drops every event but those
// about an error of the text pass (sent; "" sends none), and holds the
// first it drops in BeforeSend until release is closed, closing inFlight
// once it holds it: the event is in flight, decided later.
func heldDrop(t *testing.T, pass string) (rec *logcrumbstest.Recorder, inFlight <-chan struct{}, release chan<- struct{}) {
	in, rel := make(chan struct{}), make(chan struct{})
	var once sync.Once
	rec = logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			if pass != "" && hint.OriginalException != nil && hint.OriginalException.Error() == pass {
				return ev
			}
			once.Do(func() { close(in); <-rel })
			return nil
		}
	})
	return rec, in, rel
}
