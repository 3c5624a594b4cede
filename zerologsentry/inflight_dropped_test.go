package zerologsentry_test

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestRepeatsOfInFlightEventDropped: while the client decides a unit's
// event (BeforeSend, held here), another goroutine of the unit logs the
// same error over and over, its repeats skipped (core.skipRepeat, and the
// full path for the first of a run, and with skipping off). The client
// then drops the event: no breadcrumb of the unit names it, nor does
// LastEventID, and the repeats logged after name no event either.
func TestRepeatsOfInFlightEventDropped(t *testing.T) {
	for _, skip := range []bool{true, false} {
		func() {
			defer core.SetSkipRepeats(true)
			core.SetSkipRepeats(skip)
			inFlight, release := make(chan struct{}), make(chan struct{})
			var once sync.Once
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(*sentry.Event, *sentry.EventHint) *sentry.Event {
					once.Do(func() { close(inFlight); <-release })
					return nil
				}
			})
			log := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()}))
			ctx := rec.Context(context.Background())
			boom := errors.New("in flight: card declined")
			logIt := func() { log.Error().Ctx(ctx).Err(boom).Msg("charge failed") }
			done := make(chan struct{})
			go func() {
				defer close(done)
				logIt()
			}()
			<-inFlight
			for range 20 {
				logIt() // repeats of the event in the client's hands
			}
			if id := logcrumbs.LastEventID(ctx); id == "" {
				t.Fatalf("skip %v: in flight, LastEventID is empty: the repeats were not folded into the event", skip)
			}
			close(release)
			<-done
			for range 5 {
				logIt()
			}
			if n := len(rec.Events()); n != 0 {
				t.Fatalf("skip %v: %d events, want none", skip, n)
			}
			named := 0
			for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if _, ok := c.Data["sentry.event_id"]; ok {
					named++
				}
			}
			if named > 0 {
				t.Errorf("skip %v: %d breadcrumbs name the dropped event", skip, named)
			}
			if id := logcrumbs.LastEventID(ctx); id != "" {
				t.Errorf("skip %v: LastEventID = %q, dropped", skip, id)
			}
		}()
	}
}
