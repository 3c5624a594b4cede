package logcrumbs_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// TestFlushWaitsForAnEventBeingHandedOver: with a synchronous transport
// (sentry-go's HTTPSyncTransport, as serverless programs use) and
// DeliveryTransport, a goroutine of the program logs an error whose
// request Sentry is slow to answer; the program calls Flush before it
// exits, while that event is still being handed to the client. Sentry
// refuses it (503): Flush must not be true.
func TestFlushWaitsForAnEventBeingHandedOver(t *testing.T) {
	gate := make(chan struct{})
	srv := newSentryServer(t, http.StatusServiceUnavailable, gate)
	opts := deliveryOptions(srv.dsn(), true)
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
	for srv.events.Load() == 0 { // the request is at Sentry
		time.Sleep(time.Millisecond)
	}
	go func() { time.Sleep(200 * time.Millisecond); close(gate) }()
	start := time.Now()
	ok := logcrumbs.Flush(2 * time.Second)
	took := time.Since(start)
	<-logged
	if ok {
		t.Errorf("Flush = true after %v while the event being handed over was refused", took.Round(time.Millisecond))
	}
}
