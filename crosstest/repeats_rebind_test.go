package crosstest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestRepeatsAfterRebindCountOnTheirEventTwoRequests: two requests of a
// server, each logging its own error over and over from its own line, go
// on doing so after the program bound its hub to a new client (a
// configuration reload): the repeats of each are counted on its event, and
// Flush reports them all through the old client, as
// TestRepeatsAfterRebindCountOnTheirEvent has it for one request. The
// integration remembers one entry for the repeats it counts (one for all
// its requests): the repeats of the other request, whose key built with
// the hub's new client finds no entry, must not be lost.
func TestRepeatsAfterRebindCountOnTheirEventTwoRequests(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			old, current := logcrumbstest.New(t), logcrumbstest.New(t)
			hub := sentry.NewHub(old.Hub().Client(), sentry.NewScope())
			f := l.make(t, logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute})
			ctxA := logcrumbs.NewContext(context.Background())
			ctxB := logcrumbs.NewContext(context.Background())
			errA, errB := errors.New("db down"), errors.New("cache down")
			for i := range 10 {
				if i == 5 {
					hub.BindClient(current.Hub().Client())
				}
				f.log(ctxA, "query failed", errA)
				f.middle(ctxB, "lookup failed", errB)
			}
			logcrumbs.Flush(time.Second)
			if n := len(current.Events()); n != 0 {
				t.Errorf("the hub's new client got %d events, want none", n)
			}
			evs := old.Events()
			var summaries []int
			for _, ev := range evs {
				if ev.Tags["logcrumbs.summary"] == "true" {
					summaries = append(summaries, repeatsOf(ev))
				}
			}
			if len(evs) != 4 || len(summaries) != 2 || summaries[0] != 9 || summaries[1] != 9 {
				t.Errorf("the old client got %d events, summaries of %v repeats; want 2 events and 2 summaries of 9", len(evs), summaries)
			}
		})
	}
}

// TestRepeatsWhileUnboundCountOnTheirEvent: two requests each log their own
// error over and over from their own line; the program unbinds the hub's
// client for a while, then binds it again. The repeats logged while the
// hub had no client are counted on their event as the others are, for
// every logger and whichever request the integration remembers last:
// Flush reports 9 of each. (Zerolog's skipped repeats, which read no
// client, were counted while unbound when the integration's memo
// remembered their entry; the other loggers' only then, zap's never:
// summaries of 4 or 9 repeats, by logger and request.)
func TestRepeatsWhileUnboundCountOnTheirEvent(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			client := rec.Hub().Client()
			hub := sentry.NewHub(client, sentry.NewScope())
			f := l.make(t, logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute})
			ctxA := logcrumbs.NewContext(context.Background())
			ctxB := logcrumbs.NewContext(context.Background())
			errA, errB := errors.New("db down"), errors.New("cache down")
			for i := range 10 {
				switch i {
				case 3:
					hub.BindClient(nil)
				case 8:
					hub.BindClient(client)
				}
				f.log(ctxA, "query failed", errA)
				f.middle(ctxB, "lookup failed", errB)
			}
			logcrumbs.Flush(time.Second)
			evs := rec.Events()
			var summaries []int
			for _, ev := range evs {
				if ev.Tags["logcrumbs.summary"] == "true" {
					summaries = append(summaries, repeatsOf(ev))
				}
			}
			if len(evs) != 4 || len(summaries) != 2 || summaries[0] != 9 || summaries[1] != 9 {
				t.Errorf("%d events, summaries of %v repeats; want 2 events and 2 summaries of 9", len(evs), summaries)
			}
		})
	}
}
