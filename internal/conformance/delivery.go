package conformance

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// testDeliveryFollowed: an event logged through the integration is
// followed to Sentry's answer when logcrumbs.DeliveryTransport is
// installed: with a Sentry that answers 500 and one that answers 200, Flush
// and Stats tell undelivered from delivered. The mechanism is the root
// package's, shared by every integration; this case shows that it reaches
// each one (it was the root's TestDeliveryEveryLogger).
func testDeliveryFollowed(t *testing.T, d Driver) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusOK} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
		t.Cleanup(srv.Close)
		client, err := sentry.NewClient(sentry.ClientOptions{
			Dsn:                  "http://public@" + srv.Listener.Addr().String() + "/1",
			DisableClientReports: true,
			HTTPTransport:        logcrumbs.DeliveryTransport(nil),
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(client.Close)
		hub := sentry.NewHub(client, sentry.NewScope())
		l := d.New(t, Config{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}})

		before := logcrumbs.Stats()
		l.Log(Error, "failed", Field{"err", errors.New("boom")})
		// Sent is counted before Flush, which also sends what other
		// tests' clients held back.
		sent := logcrumbs.Stats().EventsSent - before.EventsSent
		ok := logcrumbs.Flush(2 * time.Second)
		a := logcrumbs.Stats()
		got := logcrumbs.Counters{
			EventsSent:        sent,
			EventsFailed:      a.EventsFailed - before.EventsFailed,
			EventsDelivered:   a.EventsDelivered - before.EventsDelivered,
			EventsUndelivered: a.EventsUndelivered - before.EventsUndelivered,
			EventsLost:        a.EventsLost - before.EventsLost,
			EventsUntracked:   a.EventsUntracked - before.EventsUntracked,
		}
		want := logcrumbs.Counters{EventsSent: 1, EventsDelivered: 1}
		if status != http.StatusOK {
			want = logcrumbs.Counters{EventsSent: 1, EventsUndelivered: 1}
		}
		if ok != (status == http.StatusOK) || got != want {
			t.Errorf("answer %d: Flush = %v, Stats %+v, want %+v", status, ok, got, want)
		}
	}
}
