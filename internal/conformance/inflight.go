package conformance

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// heldDrop is a client's BeforeSend that holds the first event it is
// offered until release is called, then drops it (inFlight is closed once
// it holds it: the event is in the client's hands, decided later); it
// sends every other event.
type heldDrop struct {
	inFlight, released chan struct{}
	first, release     sync.Once
}

func newHeldDrop(t *testing.T) *heldDrop {
	h := &heldDrop{inFlight: make(chan struct{}), released: make(chan struct{})}
	t.Cleanup(h.Release) // a case that failed leaves no goroutine held
	return h
}

func (h *heldDrop) beforeSend(o *sentry.ClientOptions) {
	o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
		held := false
		h.first.Do(func() {
			held = true
			close(h.inFlight)
			<-h.released
		})
		if held {
			return nil
		}
		return ev
	}
}

// Release lets the held event go, dropped.
func (h *heldDrop) Release() { h.release.Do(func() { close(h.released) }) }

// wait fails t if ch is not closed within 5 seconds.
func wait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: not within 5 s", what)
	}
}

// hold logs through log, in a goroutine, the record whose event h
// holds, and returns once the client holds it, with a channel closed when
// the log call returns.
func (h *heldDrop) hold(t *testing.T, log func()) <-chan struct{} {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		log()
	}()
	wait(t, h.inFlight, "the event in the client's hands")
	return done
}

// namesNoEvent fails t when a breadcrumb of the unit of ctx, or its
// LastEventID, names an event: none of the unit's was sent.
func namesNoEvent(t *testing.T, ctx context.Context, unit string) {
	t.Helper()
	named := map[string]int{}
	for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		if id, ok := c.Data["sentry.event_id"].(string); ok {
			named[id]++
		}
	}
	if len(named) > 0 {
		t.Errorf("%s: breadcrumbs name events never sent: %v", unit, named)
	}
	if id := logcrumbs.LastEventID(ctx); id != "" {
		t.Errorf("%s: LastEventID = %q, an event never sent", unit, id)
	}
}

// countCrumbs returns how many breadcrumbs of the unit of ctx have message
// msg.
func countCrumbs(ctx context.Context, msg string) int {
	n := 0
	for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		if c.Message == msg {
			n++
		}
	}
	return n
}

// InFlightDroppedEventNamedByNothing: an event the client drops
// (BeforeSend, sampling) after holding it a while was never sent, and
// nothing names it once it is dropped, however the unit's goroutines
// interleave with the client:
//
//   - repeats: while the client holds a unit's event, other goroutines of
//     the unit log the same error, again and again (capture-once repeats,
//     which a logger may skip early), folded into it (LastEventID names
//     it meanwhile); once it is dropped, no breadcrumb of the unit names
//     it, nor does LastEventID, nor do the repeats logged after; every
//     record is kept as a breadcrumb (the held one too), none sent;
//   - dedupe: another unit's goroutines log the error, deduplicated
//     against the held event (noise control's verdict names it); once it
//     is dropped, that unit's breadcrumbs and LastEventID name nothing,
//     its later logs of the error are no event, and deduplicating
//     against a dropped event did not lose the error: logged by a new
//     unit past the dedupe window, it is an event, which that unit names;
//   - hand capture: the unit captures the error by hand through its hub
//     while the client holds the logged event (capture-once folds it in);
//     once dropped, LastEventID names nothing;
//   - job: a job's record is deduplicated against another unit's held
//     event, and the job returns the error (RunJob hands it back); once
//     dropped, the caller's log of it names nothing.
func testInFlightDroppedEventNamedByNothing(t *testing.T, d Driver) {
	t.Run("repeats", func(t *testing.T) {
		h := newHeldDrop(t)
		logger, rec := newLogger(t, d, nil, h.beforeSend)
		ctx := rec.Context(context.Background())
		log := logger.Bind(ctx)
		boom := errors.New("in flight: card declined " + t.Name())
		logIt := func() { log.Log(Error, "charge failed", Field{"err", boom}) }
		done := h.hold(t, logIt)
		const goroutines, each = 4, 10
		returnsWithin(t, "the unit's goroutines logging the error", func() {
			var wg sync.WaitGroup
			for range goroutines {
				wg.Go(func() {
					for range each {
						logIt() // repeats of the event in the client's hands
					}
				})
			}
			wg.Wait()
		})
		if id := logcrumbs.LastEventID(ctx); id == "" {
			t.Fatal("in flight, LastEventID is empty: the repeats were not folded into the held event")
		}
		h.Release()
		wait(t, done, "the held record's log call")
		for range 5 {
			logIt()
		}
		if evs := rec.Events(); len(evs) != 0 {
			t.Fatalf("%d events %q, want none (the client dropped the error's)", len(evs), messages(evs))
		}
		namesNoEvent(t, ctx, "the unit")
		if n, want := countCrumbs(ctx, "charge failed"), 1+goroutines*each+5; n != want {
			t.Errorf("%d breadcrumbs of the error's records, want %d", n, want)
		}
	})
	t.Run("dedupe", func(t *testing.T) {
		h := newHeldDrop(t)
		const window = time.Second
		logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.DedupeWindow = window }, h.beforeSend)
		text := "in flight: card declined " + t.Name()
		// One call site: the records share a fingerprint.
		logIt := func(ctx context.Context, err error) { logger.Bind(ctx).Log(Error, "charge failed", Field{"err", err}) }
		u, v := rec.Context(context.Background()), rec.Context(context.Background())
		start := time.Now()
		done := h.hold(t, func() { logIt(u, errors.New(text)) })
		boom := errors.New(text)
		returnsWithin(t, "the other unit's goroutines logging the error", func() {
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for range 5 {
						logIt(v, boom) // deduplicated against U's event, in the client's hands
					}
				})
			}
			wg.Wait()
		})
		// Only the other unit's records are deduplicated by the window:
		// what follows (the drop, the held log call's return, the other
		// unit's repeat of its error) is no event whenever it comes, and
		// is checked even when a slow host takes its time over it.
		if d := time.Since(start); d >= window {
			t.Skipf("the other unit's records took %v, past the dedupe window", d)
		}
		h.Release()
		wait(t, done, "the held record's log call")
		logIt(v, boom)
		if evs := rec.Events(); len(evs) != 0 {
			t.Fatalf("%d events %q, want none (deduplicated against a dropped event)", len(evs), messages(evs))
		}
		namesNoEvent(t, v, "the deduplicated unit")
		namesNoEvent(t, u, "the unit whose event was dropped")
		time.Sleep(time.Until(start.Add(window + 50*time.Millisecond)))
		w := rec.Context(context.Background())
		logIt(w, errors.New(text))
		evs := rec.Events()
		if len(evs) != 1 {
			t.Fatalf("past the window, a new unit's log of the error: %d events, want 1", len(evs))
		}
		if id := logcrumbs.LastEventID(w); id != evs[0].EventID {
			t.Errorf("past the window, LastEventID %q, want the event sent %q", id, evs[0].EventID)
		}
	})
	t.Run("hand capture", func(t *testing.T) {
		h := newHeldDrop(t)
		logger, rec := newLogger(t, d, nil, h.beforeSend)
		ctx := rec.Context(context.Background())
		boom := errors.New("hand in flight: card declined " + t.Name())
		done := h.hold(t, func() { logger.Bind(ctx).Log(Error, "charge failed", Field{"err", boom}) })
		returnsWithin(t, "the capture by hand", func() { sentry.GetHubFromContext(ctx).CaptureException(boom) })
		if id := logcrumbs.LastEventID(ctx); id == "" {
			t.Fatal("in flight, LastEventID is empty: the capture by hand was not folded into the logged event")
		}
		h.Release()
		wait(t, done, "the held record's log call")
		logger.Bind(ctx).Log(Error, "checkout failed", Field{"err", boom})
		if evs := rec.Events(); len(evs) != 0 {
			t.Fatalf("%d events %q, want none", len(evs), messages(evs))
		}
		namesNoEvent(t, ctx, "the unit")
	})
	t.Run("job", func(t *testing.T) {
		h := newHeldDrop(t)
		opts := func(o *logcrumbs.Options) { o.DedupeWindow = time.Minute }
		logger, rec := newLogger(t, d, opts, h.beforeSend)
		text := "job in flight: card declined " + t.Name()
		logIt := func(ctx context.Context, err error) { logger.Bind(ctx).Log(Error, "job in flight", Field{"err", err}) }
		u, parent := rec.Context(context.Background()), rec.Context(context.Background())
		done := h.hold(t, func() { logIt(u, errors.New(text)) })
		boom := errors.New(text)
		jobOpts := rec.Options()
		opts(&jobOpts)
		var err error
		returnsWithin(t, "RunJob", func() {
			err = logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: jobOpts}, func(ctx context.Context) error {
				logIt(ctx, boom) // deduplicated against U's event, in the client's hands
				return boom
			})
		})
		if err != boom {
			t.Fatalf("RunJob = %v", err)
		}
		h.Release()
		wait(t, done, "the held record's log call")
		logIt(parent, boom) // the job's event, handed back
		if evs := rec.Events(); len(evs) != 0 {
			t.Fatalf("%d events %q, want none", len(evs), messages(evs))
		}
		namesNoEvent(t, parent, "the caller")
	})
}
