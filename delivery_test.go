package logcrumbs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// sentryServer is a loopback HTTP server standing in for Sentry: it answers
// every envelope with status (and Retry-After: 60 with a 429), after gate
// (if any) is closed, and counts the envelopes that carry an event.
type sentryServer struct {
	*httptest.Server
	events atomic.Int64
}

func newSentryServer(t *testing.T, status int, gate <-chan struct{}) *sentryServer {
	t.Helper()
	s := &sentryServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"type":"event"`) {
			s.events.Add(1)
		}
		if gate != nil {
			<-gate
		}
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "60")
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *sentryServer) dsn() string { return "http://public@" + s.Listener.Addr().String() + "/1" }

// refusingDSN is a DSN whose loopback port refuses connections (a listener's
// port, closed).
func refusingDSN(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://public@" + addr + "/1"
}

// deliveryOptions are the client options of a program that installed
// DeliveryTransport (or not), sending to dsn with sentry-go's real HTTP
// transport.
func deliveryOptions(dsn string, observe bool) sentry.ClientOptions {
	o := sentry.ClientOptions{Dsn: dsn, DisableClientReports: true}
	if observe {
		o.HTTPTransport = logcrumbs.DeliveryTransport(nil)
	}
	return o
}

func deliveryHub(t *testing.T, dsn string, observe bool) *sentry.Hub {
	t.Helper()
	client, err := sentry.NewClient(deliveryOptions(dsn, observe))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	return sentry.NewHub(unlimited(client), sentry.NewScope())
}

// unlimited exempts a test's own client from the process-wide rate limit
// (as a logcrumbstest Recorder's is), for tests that send bursts on
// purpose, and returns it.
func unlimited(client *sentry.Client) *sentry.Client {
	policy.Default().Unlimit(client)
	return client
}

func deliverySlog(hub *sentry.Hub) *slog.Logger {
	return slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}}))
}

// delta is after minus before, counter by counter, but for EventsSent: sent
// (counted before Flush, which also sends what other tests' clients held
// back).
func delta(before logcrumbs.Counters, sent uint64) logcrumbs.Counters {
	a := logcrumbs.Stats()
	return logcrumbs.Counters{
		EventsSent:        sent,
		EventsFailed:      a.EventsFailed - before.EventsFailed,
		EventsDelivered:   a.EventsDelivered - before.EventsDelivered,
		EventsUndelivered: a.EventsUndelivered - before.EventsUndelivered,
		EventsLost:        a.EventsLost - before.EventsLost,
		EventsUntracked:   a.EventsUntracked - before.EventsUntracked,
	}
}

// sentSince is how many events were handed to clients since before.
func sentSince(before logcrumbs.Counters) uint64 {
	return logcrumbs.Stats().EventsSent - before.EventsSent
}

// timedFlush is logcrumbs.Flush(2s), and how long it took.
func timedFlush() (bool, time.Duration) {
	start := time.Now()
	ok := logcrumbs.Flush(2 * time.Second)
	return ok, time.Since(start)
}

// With DeliveryTransport, Flush is false, and promptly, when Sentry did not
// get the events: the port refuses connections, or Sentry answers 500 or
// 429 (after which sentry-go drops later events without a request); Stats
// tells undelivered and lost from delivered. (Flush said true in about a
// millisecond, and Stats "sent", for all of these.)
func TestFlushFalseWhenUndelivered(t *testing.T) {
	for _, tc := range []struct {
		name string
		dsn  func(t *testing.T) (string, *sentryServer)
	}{
		{"refused", func(t *testing.T) (string, *sentryServer) { return refusingDSN(t), nil }},
		{"500", func(t *testing.T) (string, *sentryServer) {
			s := newSentryServer(t, http.StatusInternalServerError, nil)
			return s.dsn(), s
		}},
		{"429", func(t *testing.T) (string, *sentryServer) {
			s := newSentryServer(t, http.StatusTooManyRequests, nil)
			return s.dsn(), s
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn, srv := tc.dsn(t)
			logger := deliverySlog(deliveryHub(t, dsn, true))
			before := logcrumbs.Stats()
			logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
			sent := sentSince(before)
			ok, took := timedFlush()
			d := delta(before, sent)
			if ok || took > time.Second {
				t.Errorf("Flush = %v after %v, want false, promptly", ok, took)
			}
			if d.EventsSent != 1 || d.EventsUndelivered != 1 || d.EventsDelivered != 0 || d.EventsLost != 0 {
				t.Errorf("Stats: %+v, want 1 sent, 1 undelivered", d)
			}
			if tc.name != "429" {
				return
			}
			// Rate limited now: sentry-go drops the next events itself.
			before = logcrumbs.Stats()
			for range 2 {
				logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed again", "err", errors.New("card declined"))
			}
			sent = sentSince(before)
			ok, took = timedFlush()
			d = delta(before, sent)
			if ok || took > time.Second {
				t.Errorf("rate limited: Flush = %v after %v, want false, promptly", ok, took)
			}
			if d.EventsSent != 2 || d.EventsLost != 2 || d.EventsUndelivered != 0 || d.EventsDelivered != 0 {
				t.Errorf("rate limited: Stats %+v, want 2 sent, 2 lost", d)
			}
			if n := srv.events.Load(); n != 1 {
				t.Errorf("the server got %d events, want the first alone", n)
			}
		})
	}
}

// With DeliveryTransport and a healthy Sentry (the real receiver), Flush is
// true, every event arrived, and Stats counts them delivered.
func TestFlushTrueWhenDelivered(t *testing.T) {
	r := e2e.Start(t)
	logger := deliverySlog(deliveryHub(t, r.DSN(), true))
	before := logcrumbs.Stats()
	for _, msg := range []string{"payment failed", "refund failed"} {
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), msg, "err", errors.New("card declined"))
	}
	sent := sentSince(before)
	if !logcrumbs.Flush(5 * time.Second) {
		t.Fatal("Flush = false, every event delivered")
	}
	if n := len(r.Reports(t)); n != 2 { // no waiting: Flush returned true
		t.Errorf("the receiver has %d events, want 2", n)
	}
	if d := delta(before, sent); d.EventsSent != 2 || d.EventsDelivered != 2 || d.EventsUndelivered+d.EventsLost != 0 {
		t.Errorf("Stats: %+v, want 2 sent, 2 delivered", d)
	}
}

// A burst larger than sentry-go's queues (100 error events buffered, 1,000
// requests queued) while Sentry is slow to answer: sentry-go drops the
// excess. Stats shows handed over (sent) apart from delivered and lost, the
// counts match what the server got, and Flush is false. (Stats said every
// event sent, and Flush true.)
func TestStatsBurstBeyondQueue(t *testing.T) {
	gate := make(chan struct{})
	srv := newSentryServer(t, http.StatusOK, gate)
	logger := deliverySlog(deliveryHub(t, srv.dsn(), true))
	const n = 1500
	before := logcrumbs.Stats()
	for i := range n {
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), "burst", "i", i)
	}
	close(gate)
	sent := sentSince(before)
	ok := logcrumbs.Flush(10 * time.Second)
	d := delta(before, sent)
	if ok {
		t.Error("Flush = true, though sentry-go dropped events")
	}
	if d.EventsSent != n {
		t.Fatalf("%d events sent, want %d", d.EventsSent, n)
	}
	got := srv.events.Load()
	if int64(d.EventsDelivered) != got || d.EventsDelivered+d.EventsLost != n || d.EventsUndelivered != 0 {
		t.Errorf("Stats %+v; the server got %d events", d, got)
	}
	if d.EventsLost < n-1101 { // at most 1 in flight, 1,000 queued and 100 buffered get through
		t.Errorf("%d events lost, want at least %d", d.EventsLost, n-1101)
	}
}

// After sentry.Init is called again and the old client closed, with every
// event delivered, Flush is true (it was false within milliseconds: the
// closed client's Flush fails at once), with DeliveryTransport or without;
// with it, an event the closed client dropped still makes Flush false.
func TestFlushAfterReinit(t *testing.T) {
	prev := sentry.CurrentHub().Client()
	t.Cleanup(func() { sentry.CurrentHub().BindClient(prev) })
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe)) // the current hub's client
	logError := func(msg string) {
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), msg, "err", errors.New("boom"))
	}
	for _, observe := range []bool{false, true} {
		name := "plain"
		if observe {
			name = "DeliveryTransport"
		}
		t.Run(name, func(t *testing.T) {
			srv := newSentryServer(t, http.StatusOK, nil)
			var mu sync.Mutex
			reinit := func() *sentry.Client {
				mu.Lock()
				defer mu.Unlock()
				if err := sentry.Init(deliveryOptions(srv.dsn(), observe)); err != nil {
					t.Fatal(err)
				}
				return sentry.CurrentHub().Client()
			}
			old := reinit()
			logError("before the new Init")
			reinit()
			old.Close() // drains its queue first
			logError("after the new Init")
			ok, took := timedFlush()
			if !ok {
				t.Errorf("Flush = false after %v; the server got %d of 2 events", took, srv.events.Load())
			}
			if n := srv.events.Load(); n != 2 {
				t.Errorf("the server got %d events, want 2", n)
			}
			if !observe {
				return
			}
			before := logcrumbs.Stats()
			sentry.CurrentHub().BindClient(old)
			logError("to the closed client")
			reinit()
			sent := sentSince(before)
			ok, took = timedFlush()
			if d := delta(before, sent); ok || took > time.Second || d.EventsLost != 1 {
				t.Errorf("an event the closed client dropped: Flush = %v after %v, Stats %+v, want false, promptly, 1 lost", ok, took, d)
			}
		})
	}
}
