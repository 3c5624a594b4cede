package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// Two Flushes at once (zap's Sync from two goroutines, a shutdown hook and
// a deferred Flush) both answer for the event logged before either began:
// with Sentry answering 500, neither may say true. (The second Flush found
// the client's "handed over" mark already taken by the first and returned
// true at once, while the event was still in flight; with the current
// hub's client, the first to finish reset the failure and the other said
// true.) The mechanism is Flush's, the same for every logger: slog proves it.
func TestConcurrentFlushesNoFalseTrue(t *testing.T) {
	for _, current := range []bool{false, true} {
		name := "other client"
		if current {
			name = "current hub's client"
		}
		t.Run(name, func(t *testing.T) {
			gate := make(chan struct{})
			srv := newSentryServer(t, http.StatusInternalServerError, gate)
			hub := deliveryHub(t, srv.dsn(), true)
			if current {
				prev := sentry.CurrentHub().Client()
				sentry.CurrentHub().BindClient(hub.Client())
				t.Cleanup(func() { sentry.CurrentHub().BindClient(prev) })
			}
			deliverySlog(hub).ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
			var wg sync.WaitGroup
			results := make([]bool, 2)
			for i := range results {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[i] = logcrumbs.Flush(2 * time.Second)
				}()
				time.Sleep(50 * time.Millisecond) // the first Flush has begun
			}
			time.Sleep(50 * time.Millisecond)
			close(gate) // Sentry answers 500
			wg.Wait()
			if results[0] || results[1] {
				t.Errorf("Flushes = %v, want both false: the event was refused", results)
			}
		})
	}
}

// An event whose capture panics (the user's BeforeSend, recovered by
// logcrumbs) was noted as awaited and never forgotten: after
// MaxPendingDeliveries of them between two Flushes, every later event went
// untracked and Flush was false for good, though Sentry accepted it. Now
// such an event is forgotten at once. (Capture is shared by every logger:
// slog proves it.)
func TestPanickedCapturesNotAwaited(t *testing.T) {
	srv := newSentryServer(t, http.StatusOK, nil)
	o := deliveryOptions(srv.dsn(), true)
	o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
		if ev.Message == "poison" {
			panic("BeforeSend bug")
		}
		return ev
	}
	client, err := sentry.NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	logger := deliverySlog(sentry.NewHub(unlimited(client), sentry.NewScope()))
	ctx := logcrumbs.NewContext(context.Background())
	for range logcrumbs.MaxPendingDeliveries {
		logger.ErrorContext(ctx, "poison")
	}
	before := logcrumbs.Stats()
	logger.ErrorContext(ctx, "payment failed")
	sent := sentSince(before)
	ok := logcrumbs.Flush(2 * time.Second)
	if d := delta(before, sent); !ok || d.EventsSent != 1 || d.EventsDelivered != 1 || d.EventsUntracked != 0 {
		t.Errorf("Flush = %v, Stats %+v; want true, 1 sent and delivered (the server got %d)", ok, d, srv.events.Load())
	}
}

// Flush's own summary event (for repeats that dedupe suppressed) goes
// through the user's BeforeSend like any other: one that panics there made
// logcrumbs.Flush itself panic, and left the summary awaited. Now it is
// recovered and counted failed, and Flush answers. (TakePending is shared
// by every logger: slog proves it.)
func TestFlushSummaryCapturePanics(t *testing.T) {
	srv := newSentryServer(t, http.StatusOK, nil)
	o := deliveryOptions(srv.dsn(), true)
	o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
		if ev.Tags["logcrumbs.summary"] == "true" {
			panic("BeforeSend bug")
		}
		return ev
	}
	client, err := sentry.NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: time.Minute}}))
	for range 3 {
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
	}
	before := logcrumbs.Stats()
	var ok bool
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Flush panicked: %v", p)
			}
		}()
		ok = logcrumbs.Flush(2 * time.Second)
	}()
	d := delta(before, 0)
	if !ok || d.EventsFailed != 1 || srv.events.Load() != 1 {
		t.Errorf("Flush = %v, Stats %+v, server got %d; want true, the summary failed, the first event delivered", ok, d, srv.events.Load())
	}
}
