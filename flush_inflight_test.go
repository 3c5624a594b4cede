package logcrumbs_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// TestFlushWaitsForAnEventBeingHandedOver: with a synchronous transport
// (sentry-go's HTTPSyncTransport, as serverless programs use), a goroutine
// of the program logs an error whose request Sentry is slow to answer; the
// program calls Flush before it exits, while that event is still being
// handed to the client. Flush waits for it: with DeliveryTransport, Sentry
// refuses it (503) and Flush is false; without, Flush returns once the
// request was answered.
func TestFlushWaitsForAnEventBeingHandedOver(t *testing.T) {
	for _, observe := range []bool{true, false} {
		name := map[bool]string{true: "DeliveryTransport", false: "plain"}[observe]
		t.Run(name, func(t *testing.T) {
			gate := make(chan struct{})
			logged := logHeldAtSentry(t, http.StatusServiceUnavailable, gate, observe)
			go func() { time.Sleep(200 * time.Millisecond); close(gate) }()
			start := time.Now()
			ok := logcrumbs.Flush(2 * time.Second)
			took := time.Since(start)
			select {
			case <-gate:
			default:
				t.Errorf("Flush returned (%v) after %v, before Sentry answered the event being handed over", ok, took.Round(time.Millisecond))
			}
			<-logged
			if observe && ok {
				t.Errorf("Flush = true after %v while the event being handed over was refused", took.Round(time.Millisecond))
			}
		})
	}
}

// TestFlushTimesOutOnAnEventBeingHandedOver: an event whose hand-over does
// not end within Flush's timeout (Sentry unreachable through a synchronous
// transport) makes Flush false, by its timeout.
func TestFlushTimesOutOnAnEventBeingHandedOver(t *testing.T) {
	gate := make(chan struct{})
	logged := logHeldAtSentry(t, http.StatusOK, gate, false)
	start := time.Now()
	ok := logcrumbs.Flush(100 * time.Millisecond)
	if took := time.Since(start); ok || took > time.Second {
		t.Errorf("Flush(100ms) = %v after %v, want false by its timeout", ok, took.Round(time.Millisecond))
	}
	close(gate)
	<-logged
	if !logcrumbs.Flush(2 * time.Second) {
		t.Error("Flush = false once the event was handed over")
	}
}

// logHeldAtSentry logs an error, on a goroutine of its own, through a
// client with a synchronous transport to a Sentry that answers status once
// gate is closed (with DeliveryTransport when observe is true), and returns
// once the event's request is at Sentry, with a channel closed when the log
// call has returned.
func logHeldAtSentry(t *testing.T, status int, gate chan struct{}, observe bool) <-chan struct{} {
	t.Helper()
	srv := newSentryServer(t, status, gate)
	opts := deliveryOptions(srv.dsn(), observe)
	opts.Transport = sentry.NewHTTPSyncTransport()
	client, err := sentry.NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	logger := deliverySlog(sentry.NewHub(unlimited(client), sentry.NewScope()))
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
	}()
	for srv.events.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	return logged
}

// TestFlushAgainWaitsForAnEventStillBeingHandedOver: a program that
// calls Flush again after one timed out (Sentry slow to answer a
// synchronous transport's request) is told false again while the event is
// still being handed over, and true once it was.
func TestFlushAgainWaitsForAnEventStillBeingHandedOver(t *testing.T) {
	gate := make(chan struct{})
	logged := logHeldAtSentry(t, http.StatusOK, gate, false)
	for i := range 3 {
		start := time.Now()
		if ok := logcrumbs.Flush(50 * time.Millisecond); ok {
			t.Errorf("Flush #%d = true after %v while the event was still being handed over", i+1, time.Since(start).Round(time.Millisecond))
		}
	}
	close(gate)
	<-logged
	if !logcrumbs.Flush(2 * time.Second) {
		t.Error("Flush = false once the event was handed over")
	}
}

// TestFlushAfterACaptureEndedItsGoroutine: a BeforeSend (or a synchronous
// transport) that ends its goroutine (runtime.Goexit: a test's t.FailNow,
// t.Fatal) ends the hand-over with it: a later Flush has nothing being
// handed over to wait for.
func TestFlushAfterACaptureEndedItsGoroutine(t *testing.T) {
	for _, observe := range []bool{true, false} {
		name := map[bool]string{true: "DeliveryTransport", false: "plain"}[observe]
		t.Run(name, func(t *testing.T) {
			srv := newSentryServer(t, http.StatusOK, nil)
			opts := deliveryOptions(srv.dsn(), observe)
			var ended atomic.Bool
			opts.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
				if ended.CompareAndSwap(false, true) {
					runtime.Goexit()
				}
				return ev
			}
			client, err := sentry.NewClient(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(client.Close)
			logger := deliverySlog(sentry.NewHub(unlimited(client), sentry.NewScope()))
			logged := make(chan struct{})
			go func() {
				defer close(logged)
				logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
			}()
			<-logged
			if !ended.Load() {
				t.Fatal("BeforeSend did not end the log call's goroutine")
			}
			if ok, took := timedFlush(); !ok || took > time.Second {
				t.Errorf("Flush = %v after %v, want true at once: nothing is being handed over", ok, took.Round(time.Millisecond))
			}
		})
	}
}
