package policy

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// Past the cap on awaited events, events are counted untracked, not
// remembered, and Flush cannot say they were delivered.
func TestDeliveryCap(t *testing.T) {
	p := Default()
	defer func(n int) { p.delivery.max = n }(p.delivery.max)
	gate := make(chan struct{}) // no outcome before the burst is handed over
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-gate }))
	defer srv.Close()
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:                  "http://public@" + srv.Listener.Addr().String() + "/1",
		HTTPTransport:        p.NewDeliveryTransport(nil),
		DisableClientReports: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	p.delivery.mu.Lock()
	p.delivery.max = len(p.delivery.ids) + 3
	p.delivery.mu.Unlock()
	delivered, untracked := stats.EventsDelivered.Load(), stats.EventsUntracked.Load()
	for range 5 { // handed over as logcrumbs hands over its events
		ev := &sentry.Event{EventID: sentry.EventID(NewEventID()), Message: "one of a burst", Level: sentry.LevelError}
		h := p.HandingOver(client, ev.EventID)
		h.Done(client.CaptureEvent(ev, &sentry.EventHint{Data: Ours{}}, nil))
	}
	close(gate)
	if p.FlushClients(nil, time.Now().Add(2*time.Second)) {
		t.Error("FlushClients = true with untracked events")
	}
	delivered, untracked = stats.EventsDelivered.Load()-delivered, stats.EventsUntracked.Load()-untracked
	if delivered != 3 || untracked != 2 {
		t.Errorf("%d delivered, %d untracked, want 3 and 2", delivered, untracked)
	}
}
