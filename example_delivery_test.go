package logcrumbs_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// With DeliveryTransport, Flush and Stats tell what Sentry accepted, not
// only what was handed to sentry-go. Here Sentry answers 500 (an outage).
func ExampleDeliveryTransport() {
	sentryDown := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer sentryDown.Close()

	// In main: sentry.Init(sentry.ClientOptions{Dsn: ..., HTTPTransport: logcrumbs.DeliveryTransport(nil)})
	client, _ := sentry.NewClient(sentry.ClientOptions{
		Dsn:           "http://public@" + sentryDown.Listener.Addr().String() + "/1",
		HTTPTransport: logcrumbs.DeliveryTransport(nil),
	})
	defer client.Close()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
	}))

	before := logcrumbs.Stats()
	logger.Error("payment failed", "err", errors.New("card declined"))
	fmt.Println("sent:", logcrumbs.Stats().EventsSent-before.EventsSent) // handed to sentry-go
	fmt.Println("all delivered:", logcrumbs.Flush(2*time.Second))
	fmt.Println("undelivered:", logcrumbs.Stats().EventsUndelivered-before.EventsUndelivered)
	// Output:
	// sent: 1
	// all delivered: false
	// undelivered: 1
}
