package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
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

// TestFlushReturnsByItsTimeoutThroughASyncTransport: Flush hands the
// summaries of deduplicated repeats to their client before it waits, and a
// client with sentry-go's HTTPSyncTransport (serverless programs use it)
// sends each one in CaptureEvent itself. With Sentry unreachable (here: a
// server that never answers), Flush(300ms) must still return by about its
// timeout, and false, instead of waiting for every summary's request.
//
// Past its timeout, Flush's goroutine goes on handing the summaries over:
// the test lets Sentry answer them, and waits for them, before it ends.
// (It ended at once, and the next test's logcrumbs.Flush, which waits for
// every client's hand-overs, found a summary still being handed over:
// TestFlushZeroTimeoutNothingHeldBack failed now and then in a full run.)
func TestFlushReturnsByItsTimeoutThroughASyncTransport(t *testing.T) {
	hang := make(chan struct{})
	var down atomic.Bool
	var summaries atomic.Int64 // summary requests at the server
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if body, _ := io.ReadAll(r.Body); strings.Contains(string(body), `"logcrumbs.summary":"true"`) {
			summaries.Add(1)
		}
		if !down.Load() {
			return // 200
		}
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { waitSummariesHandedOver(t, hang, &summaries, 3) })
	tr := sentry.NewHTTPSyncTransport()
	tr.Timeout = 2 * time.Second
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "http://public@" + srv.Listener.Addr().String() + "/1", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute, FingerprintKey: "fp"}}))
	// Three kinds of errors, each logged twice by requests of its own: the
	// first is sent, the second held back for Flush's summary. Then Sentry
	// stops answering.
	for i := range 3 {
		for range 2 {
			logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed",
				"err", errors.New("card declined"), "fp", fmt.Sprint("kind", i))
		}
	}
	down.Store(true)
	start := time.Now()
	ok := logcrumbs.Flush(300 * time.Millisecond)
	if took := time.Since(start); ok || took > time.Second {
		t.Errorf("Flush(300ms) = %v after %v, want false by about 300ms", ok, took.Round(time.Millisecond))
	}
}

// waitSummariesHandedOver, at the end of a test whose Flush timed out
// while its n summaries were handed to a client with a synchronous
// transport, lets Sentry answer (closes gate) and waits until the last
// summary's request has reached the server and its hand-over has ended
// (logcrumbs.Flush waits for hand-overs begun before it): the goroutine of
// the Flush that timed out must not go on handing them over during the next
// test, whose logcrumbs.Flush would wait for them, or be false.
func waitSummariesHandedOver(t *testing.T, gate chan struct{}, summaries *atomic.Int64, n int64) {
	t.Helper()
	close(gate)
	for deadline := time.Now().Add(10 * time.Second); summaries.Load() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("%d of %d summaries reached the server within 10 s", summaries.Load(), n)
			return
		}
	}
	logcrumbs.Flush(10 * time.Second) // its answer is not this test's: other clients count in it
}

// TestFlushZeroTimeoutNothingHeldBack: Flush(0) (and a negative timeout)
// with no summary held back has nothing to hand over: its answer is the
// clients' flush, true with a transport that drains at once, as it was
// before Flush handed the summaries over in a goroutine of its own. It
// must not be false because its timer fired before that goroutine, with
// nothing to do, had run (one processor makes that every time).
func TestFlushZeroTimeoutNothingHeldBack(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: time.Minute}}))
	logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
	if !logcrumbs.Flush(time.Second) {
		t.Fatal("Flush(1s) = false, want true")
	}
	falses := 0
	for i := range 100 {
		timeout := time.Duration(0)
		if i%2 == 1 {
			timeout = -time.Second
		}
		if !logcrumbs.Flush(timeout) {
			falses++
		}
	}
	if falses > 0 {
		t.Errorf("Flush(0) or Flush(-1s) with nothing held back: %d of 100 false, want every one true", falses)
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}

// TestFlushSendsLogsOfAClientWithoutEvents: Flush, "before the program
// exits, after the last log call", also takes over the Sentry Logs that an
// integration's Logs level sent through a client of its own
// (Options.Hub), when that client has sent no event: sentry-go holds Logs
// in a batch for up to 5 s, and a program that exits after Flush must not
// lose them.
func TestFlushSendsLogsOfAClientWithoutEvents(t *testing.T) {
	rec := logcrumbstest.New(t) // a client of its own, not sentry.CurrentHub()'s
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelInfo}))
	logger.InfoContext(rec.Context(context.Background()), "order shipped", "order", 42)
	if !logcrumbs.Flush(2 * time.Second) {
		t.Log("Flush returned false")
	}
	n := 0
	for _, ev := range rec.Sent() { // what reached the transport, without a flush of the Recorder's own
		if ev.Type == "log" {
			n += len(ev.Logs)
		}
	}
	if n != 1 {
		t.Errorf("%d Sentry Logs entries reached the transport after logcrumbs.Flush, want 1 (they wait in sentry-go's batch)", n)
	}
	if n := len(rec.Logs()); n != 1 { // the control: the Recorder's own flush
		t.Errorf("%d Sentry Logs entries after the client's own flush, want 1", n)
	}
}
