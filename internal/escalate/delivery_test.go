package escalate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// Past the cap on awaited events, events are counted untracked, not
// remembered, and Flush cannot say they were delivered.
func TestDeliveryCap(t *testing.T) {
	defer func(n int) { maxPending = n }(maxPending)
	gate := make(chan struct{}) // no outcome before the burst is handed over
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-gate }))
	defer srv.Close()
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:                  "http://public@" + srv.Listener.Addr().String() + "/1",
		HTTPTransport:        NewDeliveryTransport(nil),
		DisableClientReports: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	e := New(Options{Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: -1}, "test")
	deliveries.mu.Lock()
	maxPending = len(deliveries.ids) + 3
	deliveries.mu.Unlock()
	delivered, untracked := stats.EventsDelivered.Load(), stats.EventsUntracked.Load()
	for range 5 {
		rec := buffer.Get(time.Now(), buffer.LevelError, e.EventLimits())
		rec.SetMessage("one of a burst")
		e.Capture(context.Background(), rec, nil)
	}
	close(gate)
	if FlushClients(nil, time.Now().Add(2*time.Second)) {
		t.Error("FlushClients = true with untracked events")
	}
	delivered, untracked = stats.EventsDelivered.Load()-delivered, stats.EventsUntracked.Load()-untracked
	if delivered != 3 || untracked != 2 {
		t.Errorf("%d delivered, %d untracked, want 3 and 2", delivered, untracked)
	}
}
