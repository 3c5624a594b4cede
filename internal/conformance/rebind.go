package conformance

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// RunRebind runs the cases of repeats logged while the program rebinds or
// unbinds the hub's client (a configuration reload, sentry.Init again). Run
// runs them too.
func RunRebind(t *testing.T, d Driver) {
	t.Helper()
	for _, c := range []struct {
		name string
		run  func(*testing.T, Driver)
	}{
		{"RepeatsAfterRebindCountOnTheirEvent", testRepeatsAfterRebindCountOnTheirEvent},
		{"RepeatsAfterRebindCountOnTheirEventTwoRequests", testRepeatsAfterRebindCountOnTheirEventTwoRequests},
		{"RepeatsWhileUnboundCountOnTheirEvent", testRepeatsWhileUnboundCountOnTheirEvent},
		{"RepeatsWhileUnboundNameTheirEvent", testRepeatsWhileUnboundNameTheirEvent},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, d) })
	}
}

// dbDown and cacheDown are two errors of two types: noise control keys an
// event by its client, logger, call site and error types, and a driver's
// Log is one call site for every record, so two requests of one logger
// that each log their own error over and over, as from lines of their
// own, log errors of two types (with TextErrors, of two texts: a text-only
// error's key is its text).
type dbDown struct{}

func (dbDown) Error() string { return "db down" }

type cacheDown struct{}

func (cacheDown) Error() string { return "cache down" }

// rebinding returns d's logger, as a store layer logs (see newLayers),
// through a hub of its own bound to old's client, which the case may bind
// to current's, and a handler's logger (another call site: its logger
// name) through the same hub.
func rebinding(t *testing.T, d Driver, dedupe time.Duration) (old, current *logcrumbstest.Recorder, hub *sentry.Hub, l layers) {
	old, current = logcrumbstest.New(t), logcrumbstest.New(t)
	hub = sentry.NewHub(old.Hub().Client(), sentry.NewScope())
	return old, current, hub, newLayers(t, d, logcrumbs.Options{Hub: hub, DedupeWindow: dedupe})
}

// summaries flushes and returns the events rec got, and the repeats the
// summaries among them count, in order.
func summaries(rec *logcrumbstest.Recorder) ([]logcrumbstest.Event, []int) {
	logcrumbs.Flush(time.Second)
	evs := rec.Events()
	var sums []int
	for _, ev := range evs {
		if ev.Tags["logcrumbs.summary"] == "true" {
			sums = append(sums, repeatsOf(ev.Event))
		}
	}
	return evs, sums
}

// RepeatsAfterRebindCountOnTheirEvent: a request that keeps logging an
// error after the program bound its hub to a new client (a configuration
// reload) repeats the event the old client sent: its repeats are counted
// on that event, and Flush reports them all through the old client. (Keyed
// by the hub's client, the repeats after the rebind were lost: "a summary
// of 4 repeats".)
func testRepeatsAfterRebindCountOnTheirEvent(t *testing.T, d Driver) {
	old, current, hub, l := rebinding(t, d, time.Minute)
	ctx := logcrumbs.NewContext(context.Background())
	err := errors.New("db down " + t.Name())
	for i := range 10 {
		if i == 5 {
			hub.BindClient(current.Hub().Client())
		}
		l.log(ctx, "query failed", err)
	}
	evs, sums := summaries(old)
	if n := len(current.Events()); n != 0 {
		t.Errorf("the hub's new client got %d events, want none", n)
	}
	if len(evs) != 2 || len(sums) != 1 || sums[0] != 9 {
		t.Errorf("the old client got %d events, summaries of %v repeats; want the event and a summary of 9", len(evs), sums)
	}
}

// logSeparately logs errA with ctxA and errB with ctxB through l's store,
// as two requests each logging its own error from a line of its own (see
// dbDown).
func logSeparately(l layers, ctxA, ctxB context.Context, errA, errB error) {
	l.log(ctxA, "query failed", errA)
	l.log(ctxB, "lookup failed", errB)
}

// RepeatsAfterRebindCountOnTheirEventTwoRequests: two requests, each
// logging its own error over and over, go on doing so after the program
// bound its hub to a new client: the repeats of each are counted on its
// event, and Flush reports them all through the old client. The
// integration remembers one entry for the repeats it counts (one for all
// its requests): the repeats of the other request, whose key built with
// the hub's new client finds no entry, must not be lost.
func testRepeatsAfterRebindCountOnTheirEventTwoRequests(t *testing.T, d Driver) {
	old, current, hub, l := rebinding(t, d, time.Minute)
	ctxA := logcrumbs.NewContext(context.Background())
	ctxB := logcrumbs.NewContext(context.Background())
	errA, errB := error(dbDown{}), error(cacheDown{})
	for i := range 10 {
		if i == 5 {
			hub.BindClient(current.Hub().Client())
		}
		logSeparately(l, ctxA, ctxB, errA, errB)
	}
	evs, sums := summaries(old)
	if n := len(current.Events()); n != 0 {
		t.Errorf("the hub's new client got %d events, want none", n)
	}
	if len(evs) != 4 || len(sums) != 2 || sums[0] != 9 || sums[1] != 9 {
		t.Errorf("the old client got %d events, summaries of %v repeats; want 2 events and 2 summaries of 9", len(evs), sums)
	}
}

// RepeatsWhileUnboundCountOnTheirEvent: two requests each log their own
// error over and over; the program unbinds the hub's client for a while,
// then binds it again. The repeats logged while the hub had no client are
// counted on their event as the others are, whichever request the
// integration remembers last: Flush reports 9 of each. (Zerolog's skipped
// repeats, which read no client, were counted while unbound when the
// integration's memo remembered their entry; the other loggers' only
// then, zap's never: summaries of 4 or 9 repeats, by logger and request.)
func testRepeatsWhileUnboundCountOnTheirEvent(t *testing.T, d Driver) {
	rec, _, hub, l := rebinding(t, d, time.Minute)
	client := hub.Client()
	ctxA := logcrumbs.NewContext(context.Background())
	ctxB := logcrumbs.NewContext(context.Background())
	errA, errB := error(dbDown{}), error(cacheDown{})
	for i := range 10 {
		switch i {
		case 3:
			hub.BindClient(nil)
		case 8:
			hub.BindClient(client)
		}
		logSeparately(l, ctxA, ctxB, errA, errB)
	}
	evs, sums := summaries(rec)
	if len(evs) != 4 || len(sums) != 2 || sums[0] != 9 || sums[1] != 9 {
		t.Errorf("%d events, summaries of %v repeats; want 2 events and 2 summaries of 9", len(evs), sums)
	}
}

// RepeatsWhileUnboundNameTheirEvent: a request logs an error (an event),
// the program unbinds the hub's client, the request logs the error again,
// the client comes back and the request fails otherwise: the breadcrumbs
// of the repeats name the first event, those logged while the hub had no
// client too, as zerolog's skipped repeats, which read no client, name it.
// (Capture returned at once without a client: "3 of 5 repeats name the
// event".)
func testRepeatsWhileUnboundNameTheirEvent(t *testing.T, d Driver) {
	rec, _, hub, l := rebinding(t, d, 0)
	client := hub.Client()
	ctx := logcrumbs.NewContext(context.Background())
	err := errors.New("db down " + t.Name())
	for i := range 6 {
		switch i {
		case 3:
			hub.BindClient(nil)
		case 5:
			hub.BindClient(client)
		}
		l.log(ctx, "query failed", err)
	}
	l.handler.Bind(ctx).Log(Error, "gave up", Field{"err", fmt.Errorf("timeout")})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
	}
	first := string(evs[0].EventID)
	named := 0
	for _, b := range evs[1].Breadcrumbs() {
		if b.Data["sentry.event_id"] == first {
			named++
		}
	}
	if named != 6 { // the event's own breadcrumb, and its 5 repeats
		t.Errorf("%d of 5 repeats name the event", named-1)
	}
}
