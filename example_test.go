package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// Give each unit of work its own trail; records logged with the context (or
// one derived from it) go there, whichever logger writes them.
func ExampleNewContext() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))

	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "job started", "job", "reindex")
	logger.DebugContext(ctx, "batch done", "n", 500)

	for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		fmt.Println(b.Level, b.Message, b.Data)
	}
	// Output:
	// info job started map[job:reindex]
	// debug batch done map[n:500]
}

// A trail's capacity is set when it is made; when full, the oldest record
// goes and is counted.
func ExampleNewTrail() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	trail := logcrumbs.NewTrail(2)
	ctx := logcrumbs.ContextWithTrail(context.Background(), trail)
	for i := range 3 {
		logger.InfoContext(ctx, "tick", "i", i)
	}
	fmt.Println(trail.Len(), "kept,", trail.Dropped(), "dropped")
	// Output:
	// 2 kept, 1 dropped
}

// Middleware gives each request a trail and a hub of its own; a panic is one
// event with the request's trail.
func ExampleMiddleware() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q after %d breadcrumb(s)\n", ev.Message, len(ev.Breadcrumbs))
			return nil // only print it
		},
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "loading cart")
		items := strings.Fields(r.URL.Query().Get("items"))
		_ = items[0] // panics: there are no items
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
		Recover: true, // answer 500 instead of panicking again
	})(app)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/cart", nil))
	fmt.Println("status", rec.Code)
	// Output:
	// event "panic in GET /cart: runtime error: index out of range [0] with length 0" after 1 breadcrumb(s)
	// status 500
}

// RunJob makes a unit of work that is not a request; Child starts its trail
// with the request's records.
func ExampleRunJob() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	request := logcrumbs.NewContext(context.Background())
	logger.InfoContext(request, "order placed", "order", "A-17")

	_ = logcrumbs.RunJob(request, "send-receipt", logcrumbs.JobOptions{Child: true}, func(ctx context.Context) error {
		logger.InfoContext(ctx, "rendering receipt")
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			fmt.Println(b.Message)
		}
		return nil
	})
	// Output:
	// order placed
	// rendering receipt
}

// The same error in a hot loop is one event; the repeats are counted, and
// Flush reports the ones still pending when the program ends, in an event of
// the same issue (same message, exception and stack).
func ExampleFlush() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q, repeats %v\n", ev.Message, ev.Contexts["logcrumbs"]["repeats"])
			return ev // without a DSN, nothing leaves the process (an event dropped here has no summary)
		},
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
	}))
	before := logcrumbs.Stats().EventsDeduplicated
	for range 1000 {
		logger.Error("queue poll failed", "err", errors.New("connection reset"))
	}
	fmt.Println("deduplicated:", logcrumbs.Stats().EventsDeduplicated-before)
	logcrumbs.Flush(time.Second) // in main, before exiting
	// Output:
	// event "queue poll failed", repeats <nil>
	// deduplicated: 999
	// event "queue poll failed", repeats 999
}

// EscalateIf sends chosen records below the event level as events too:
// here, requests answered with a 5xx status.
func ExampleOptions_escalateIf() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q at level %s\n", ev.Message, ev.Level)
			return nil // only print it
		},
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub: sentry.NewHub(client, sentry.NewScope()),
		EscalateIf: func(r logcrumbs.Record) bool {
			status, _ := r.Lookup("status")
			code, _ := status.(int64)
			return code >= 500
		},
	}}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "request served", "status", 200)
	logger.InfoContext(ctx, "request served", "status", 503)
	// Output:
	// event "request served" at level info
}

// A goroutine that goes on beside a request gets a child trail: it starts
// with the request's records, and its own stay out of the request's.
func ExampleNewChildContext() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	request := logcrumbs.NewContext(context.Background())
	logger.InfoContext(request, "order placed")

	child := logcrumbs.NewChildContext(request)
	logger.InfoContext(child, "warming cache")

	fmt.Println(logcrumbs.FromContext(request).Len(), logcrumbs.FromContext(child).Len())
	// Output: 1 2
}

// PassThroughLevel makes a request talkative once it has failed: its later
// records go to Sentry Logs too.
func ExampleOptions_passThroughLevel() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q\n", ev.Message)
			return ev // no DSN: nothing is sent
		},
		BeforeSendLog: func(l *sentry.Log) *sentry.Log {
			fmt.Printf("log %q\n", l.Body)
			return nil
		},
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub:              sentry.NewHub(client, sentry.NewScope()),
		PassThroughLevel: sentry.LevelInfo,
	}}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "fetching invoice")
	logger.ErrorContext(ctx, "fetch failed", "err", errors.New("timeout"))
	logger.InfoContext(ctx, "retrying with the replica")
	// Output:
	// event "fetch failed"
	// log "retrying with the replica"
}

// Bind gives a hub you manage the trail of a unit of work: events captured
// through it by hand carry the trail too.
func ExampleBind() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q after %d breadcrumb(s)\n", ev.Exception[0].Value, len(ev.Breadcrumbs))
			return nil // only print it
		},
	})
	hub := sentry.NewHub(client, sentry.NewScope())
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))

	ctx := logcrumbs.Bind(context.Background(), hub.Clone()) // one clone per unit of work
	logger.InfoContext(ctx, "loading profile")
	sentry.GetHubFromContext(ctx).CaptureException(errors.New("profile missing"))
	// Output:
	// event "profile missing" after 1 breadcrumb(s)
}

// A storm of distinct errors is bounded by the rate limit: past the burst,
// events are dropped (their records stay breadcrumbs) and counted.
func ExampleSetRateLimit() {
	logcrumbs.SetRateLimit(1, 2)          // 1 event a second, bursts of 2
	defer logcrumbs.SetRateLimit(10, 100) // the default
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q\n", ev.Message)
			return nil // only print it
		},
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub: sentry.NewHub(client, sentry.NewScope()), FingerprintKey: "shard",
	}}))
	before := logcrumbs.Stats().EventsRateLimited
	for shard := range 5 {
		logger.Error("shard unreachable", "shard", fmt.Sprint(shard), "err", errors.New("timeout"))
	}
	fmt.Println("rate limited:", logcrumbs.Stats().EventsRateLimited-before)
	// Output:
	// event "shard unreachable"
	// event "shard unreachable"
	// rate limited: 3
}

// Stats returns process-wide counters that only grow: export them as
// metrics, or compare two readings, as here.
func ExampleStats() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	before := logcrumbs.Stats()
	// A trail adds its counts in batches; they are exact once its unit of work ends.
	_ = logcrumbs.RunJob(context.Background(), "reindex", logcrumbs.JobOptions{}, func(ctx context.Context) error {
		for i := range 3 {
			logger.InfoContext(ctx, "step", "i", i)
		}
		return nil
	})
	after := logcrumbs.Stats()
	fmt.Println("breadcrumbs kept:", after.BreadcrumbsKept-before.BreadcrumbsKept)
	// Output:
	// breadcrumbs kept: 3
}

// Records whose context carries no trail go to the process-wide fallback
// trail, shared by every such record of the process: attach a trail per
// unit of work (Middleware, RunJob) so that events carry only their own.
func ExampleFallback() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	logger.Info("cache warmed", "entries", 1200) // no context: the fallback trail
	bs := logcrumbs.Fallback().Breadcrumbs()
	last := bs[len(bs)-1]
	fmt.Println(last.Message, last.Data)
	// Output:
	// cache warmed map[entries:1200]
}

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
