package logcrumbs_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

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
