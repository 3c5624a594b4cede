package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// Capture once under concurrency: a new event's entries are settled under
// the trail's lock (Trail.CaptureOnceSettled, 1c8d549); these are the
// concurrent cases.

// TestConcurrentFallbackClientsSettled: two clients log one error value at
// once, from many goroutines and no unit of work (the fallback trail,
// which every client shares, each client's captures kept apart). Each
// client sends one event, and counts every other record as its repeat
// (Flush's summary): none is lost, none is another event, and one client's
// capture does not silence the other's.
func TestConcurrentFallbackClientsSettled(t *testing.T) {
	const goroutines, each = 8, 25
	boom := errors.New("fallback settle: card declined") // one value, both clients
	type client struct {
		rec    *logcrumbstest.Recorder
		logger *slog.Logger
	}
	var clients []client
	for range 2 {
		rec := logcrumbstest.New(t)
		opts := rec.Options()
		opts.DedupeWindow = time.Minute
		opts.FallbackCaptureWindow = time.Minute
		clients = append(clients, client{rec, slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))})
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range clients {
		for range goroutines {
			wg.Go(func() {
				<-start
				for range each {
					c.logger.ErrorContext(context.Background(), "fallback settle", "err", boom)
				}
			})
		}
	}
	close(start)
	wg.Wait()
	logcrumbs.Flush(time.Second)
	for i, c := range clients {
		events, repeats := 0, 0
		for _, ev := range c.rec.Events() {
			if n := repeatsOf(ev); n > 0 { // the summary Flush sent
				repeats += n
			} else {
				events++
			}
		}
		if events != 1 || repeats != goroutines*each-1 {
			t.Errorf("client %d: %d events and %d repeats counted, want 1 and %d", i, events, repeats, goroutines*each-1)
		}
	}
}

// TestConcurrentRateLimitedUnitNamesNoEvent: the goroutines of a unit of
// work log one error at once while the rate limit has no token left. No
// event is sent, so no breadcrumb names one, LastEventID is empty, and
// every record is counted rate-limited (its error is not remembered, as
// a rate-limited event's never were: each record is offered again).
func TestConcurrentRateLimitedUnitNamesNoEvent(t *testing.T) {
	logcrumbs.SetRateLimit(0.0001, 1)
	t.Cleanup(func() { logcrumbs.SetRateLimit(10, 100) }) // the default
	rec := logcrumbstest.NewRateLimited(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	logger.ErrorContext(rec.Context(context.Background()), "takes the only token", "err", errors.New("first"))
	if n := len(rec.Events()); n != 1 {
		t.Fatalf("%d events, want 1 (the burst)", n)
	}
	const goroutines, each = 8, 10
	ctx := rec.Context(context.Background())
	boom := errors.New("rate limited: card declined")
	before := logcrumbs.Stats()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			<-start
			for range each {
				logger.ErrorContext(ctx, "rate limited", "err", boom)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want only the first", n)
	}
	if d := logcrumbs.Stats().EventsRateLimited - before.EventsRateLimited; d != goroutines*each {
		t.Errorf("Stats: %d rate-limited, want %d", d, goroutines*each)
	}
	checkNamesNoEvent(t, ctx)
}

// TestConcurrentHandAndLoggedCaptureOnce: in each of several units of
// work, goroutines log an error while others capture the same error by
// hand through the unit's hub. Each unit sends one event of it, whichever
// comes first; every breadcrumb of the logged records names that event,
// and so does LastEventID.
func TestConcurrentHandAndLoggedCaptureOnce(t *testing.T) {
	const units, goroutines, each = 4, 6, 8
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	for round := range 20 {
		var ctxs []context.Context
		var booms []error
		for u := range units {
			ctxs = append(ctxs, rec.Context(context.Background()))
			booms = append(booms, fmt.Errorf("hand and logged: round %d unit %d", round, u))
		}
		before := len(rec.Events())
		start := make(chan struct{})
		var wg sync.WaitGroup
		for u, ctx := range ctxs {
			for g := range goroutines {
				wg.Go(func() {
					<-start
					for range each {
						if g%2 == 0 {
							sentry.GetHubFromContext(ctx).CaptureException(booms[u])
						} else {
							logger.ErrorContext(ctx, "hand and logged", "err", booms[u])
						}
					}
				})
			}
		}
		close(start)
		wg.Wait()
		sent := map[string]string{} // error text -> event ID
		for _, ev := range rec.Events()[before:] {
			for _, ex := range ev.Exceptions() {
				if prev, ok := sent[ex.Value]; ok {
					t.Fatalf("round %d: %q sent twice (%s, %s)", round, ex.Value, prev, ev.EventID)
				}
				sent[ex.Value] = string(ev.EventID)
			}
		}
		for u, ctx := range ctxs {
			id, ok := sent[booms[u].Error()]
			if !ok {
				t.Fatalf("round %d unit %d: no event of %q", round, u, booms[u])
			}
			other := map[string]int{}
			for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if c.Message != "hand and logged" {
					continue
				}
				if got, _ := c.Data["sentry.event_id"].(string); got != id {
					other[got]++
				}
			}
			if len(other) > 0 {
				t.Errorf("round %d unit %d: breadcrumbs name another ID than the event sent (%s): %v", round, u, id, other)
			}
			if got := string(logcrumbs.LastEventID(ctx)); got != id {
				t.Errorf("round %d unit %d: LastEventID = %q, want %q", round, u, got, id)
			}
		}
	}
}

// TestConcurrentDroppedEventNamedByUnit: the client drops a unit's event
// (BeforeSend, here after a while), and meanwhile other goroutines of the
// unit log the same error. No event was sent: no breadcrumb may name one,
// and LastEventID must be empty.
func TestConcurrentDroppedEventNamedByUnit(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			time.Sleep(20 * time.Millisecond)
			return nil
		}
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	boom := errors.New("dropped: card declined")
	const goroutines, each = 4, 20
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			<-start
			for range each {
				logger.ErrorContext(ctx, "dropped", "err", boom)
				time.Sleep(time.Millisecond)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none (BeforeSend drops them)", n)
	}
	checkNamesNoEvent(t, ctx)
}

// TestConcurrentSeveralErrorsNameSentEvents: goroutines of several units
// log two error values alone and together, from three lines, with
// deduplication on, rounds of new units at once: a record with both
// errors is new while either is, and deduplicated against other units'
// events of its line. Every breadcrumb that names an event, and each
// unit's LastEventID, names one that was sent.
func TestConcurrentSeveralErrorsNameSentEvents(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	a, b := errors.New("several: a"), errors.New("several: b")
	logs := []func(ctx context.Context){
		func(ctx context.Context) { logger.ErrorContext(ctx, "several", "err", a) },
		func(ctx context.Context) { logger.ErrorContext(ctx, "several", "err", b) },
		func(ctx context.Context) { logger.ErrorContext(ctx, "several", "err", a, "cause", b) },
	}
	const units, goroutines, each = 4, 6, 9
	for round := range 30 {
		var ctxs []context.Context
		for range units {
			ctxs = append(ctxs, rec.Context(context.Background()))
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, ctx := range ctxs {
			for g := range goroutines {
				wg.Go(func() {
					<-start
					for i := range each {
						logs[(g+i)%len(logs)](ctx)
					}
				})
			}
		}
		close(start)
		wg.Wait()
		sent := map[string]bool{}
		for _, ev := range rec.Events() {
			sent[string(ev.EventID)] = true
		}
		for u, ctx := range ctxs {
			for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if id, ok := c.Data["sentry.event_id"].(string); ok && !sent[id] {
					t.Fatalf("round %d unit %d: a breadcrumb names %s, never sent", round, u, id)
				}
			}
			if id := string(logcrumbs.LastEventID(ctx)); id != "" && !sent[id] {
				t.Fatalf("round %d unit %d: LastEventID %s, never sent", round, u, id)
			}
		}
	}
}

// TestDedupedAgainstDroppedInFlightEvent: unit V logs, from the same line,
// the error unit U's event is about, while the client is deciding U's
// event, then drops it (BeforeSend). V's record is deduplicated against
// U's event, which was never sent: V's breadcrumbs must name no event, and
// its LastEventID must be empty, as when V logs after the drop
// (Verdict.EarlierDropped).
func TestDedupedAgainstDroppedInFlightEvent(t *testing.T) {
	rec, inFlight, release := heldDrop(t, "")
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	log := func(ctx context.Context, err error) { logger.ErrorContext(ctx, "in flight", "err", err) }
	u, v := rec.Context(context.Background()), rec.Context(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		log(u, errors.New("in flight: card declined"))
	}()
	<-inFlight
	boom := errors.New("in flight: card declined")
	log(v, boom) // deduplicated against U's event, in the client's hands
	close(release)
	<-done
	log(v, boom) // capture-once: a repeat of what V's first record became
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none (BeforeSend drops them)", n)
	}
	for _, c := range logcrumbs.FromContext(v).Breadcrumbs() {
		if id, ok := c.Data["sentry.event_id"].(string); ok {
			t.Errorf("a breadcrumb of V names %s, never sent", id)
		}
	}
	if id := logcrumbs.LastEventID(v); id != "" {
		t.Errorf("LastEventID of V = %q, never sent", id)
	}
}

// TestConcurrentJobHandBackAndParentCaptures: jobs of a unit of work log an
// error and return it (RunJob hands it back to the unit) while goroutines
// of the unit log the same error. The unit sends at most one event of its
// own; every breadcrumb of the unit that names an event, and its
// LastEventID, names one that was sent.
func TestConcurrentJobHandBackAndParentCaptures(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	const jobs, goroutines, each = 2, 4, 10
	for round := range 30 {
		parent := rec.Context(context.Background())
		boom := fmt.Errorf("hand back: round %d", round)
		before := len(rec.Events())
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range jobs {
			wg.Go(func() {
				<-start
				_ = logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					logger.ErrorContext(ctx, "job failed", "err", boom)
					return boom
				})
			})
		}
		for range goroutines {
			wg.Go(func() {
				<-start
				for range each {
					logger.ErrorContext(parent, "unit failed", "err", boom)
				}
			})
		}
		close(start)
		wg.Wait()
		sent := map[string]bool{}
		for _, ev := range rec.Events() {
			sent[string(ev.EventID)] = true
		}
		if n := len(rec.Events()) - before; n > jobs+1 {
			t.Fatalf("round %d: %d events, want at most %d (one a job, one the unit's own)", round, n, jobs+1)
		}
		for _, c := range logcrumbs.FromContext(parent).Breadcrumbs() {
			if id, ok := c.Data["sentry.event_id"].(string); ok && !sent[id] {
				t.Fatalf("round %d: a breadcrumb of the unit names %s, never sent", round, id)
			}
		}
		if id := string(logcrumbs.LastEventID(parent)); id != "" && !sent[id] {
			t.Fatalf("round %d: LastEventID %s, never sent", round, id)
		}
	}
}

// checkNamesNoEvent fails t when a breadcrumb of the trail of ctx, or its
// LastEventID, names an event: none was sent.
func checkNamesNoEvent(t *testing.T, ctx context.Context) {
	t.Helper()
	named := map[string]int{}
	for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		if id, ok := c.Data["sentry.event_id"].(string); ok {
			named[id]++
		}
	}
	if len(named) > 0 {
		t.Errorf("breadcrumbs name events never sent: %v", named)
	}
	if id := logcrumbs.LastEventID(ctx); id != "" {
		t.Errorf("LastEventID = %q, an event never sent", id)
	}
}
