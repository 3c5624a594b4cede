package main

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

func main() {
	opts := sentry.ClientOptions{Dsn: os.Getenv("SENTRY_DSN")}
	if opts.Dsn == "" { // no Sentry project yet: print each event instead of sending it
		opts.Transport = logcrumbs.PrintTransport(os.Stderr, logcrumbs.PrintOptions{})
	}
	if err := sentry.Init(opts); err != nil { // a malformed SENTRY_DSN: nothing would be sent
		panic(err)
	}
	defer logcrumbs.Flush(2 * time.Second)      // sends what is held back, waits for sentry-go
	next := slog.NewJSONHandler(os.Stdout, nil) // your handler: wrapped, it writes what it wrote
	slog.SetDefault(slog.New(slogsentry.NewHandler(next, slogsentry.Options{})))

	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{}) // a trail and a hub per request
	http.ListenAndServe("localhost:8080", mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()                                        // carries the request's trail
		slog.InfoContext(ctx, "loading cart", "path", r.URL.Path) // a breadcrumb
		slog.DebugContext(ctx, "cart loaded", "items", 3)         // a breadcrumb, not in your output
		err := errors.New("card declined")
		slog.ErrorContext(ctx, "checkout failed", "err", err) // an event with the trail
	})))
}
