// Command demo serves a few requests on loopback, logs them through log/slog
// with logcrumbs, and hits one error.
//
// With SENTRY_DSN unset it prints on stdout, through logcrumbs.PrintTransport,
// the Sentry event it would send: the exception chain with its full stack
// and the breadcrumb trail of the failing request (and only that request).
// With SENTRY_DSN set it sends the event to that Sentry project instead. The
// program's own log lines go to stderr, as they would without logcrumbs.
//
//	go run ./examples/demo
//	DEMO_JSON=1 go run ./examples/demo   # the whole event, as JSON
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

var errOutOfStock = errors.New("out of stock")

func main() {
	if err := run(os.Getenv("SENTRY_DSN"), os.Getenv("DEMO_JSON") != "", os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(dsn string, asJSON bool, stdout, stderr io.Writer) error {
	opts := sentry.ClientOptions{Dsn: dsn, Environment: "demo"}
	if dsn == "" { // no Sentry project: print what would be sent
		fmt.Fprintln(stdout, "SENTRY_DSN is not set: the event that would be sent to Sentry is printed below.")
		opts.Transport = logcrumbs.PrintTransport(stdout, logcrumbs.PrintOptions{JSON: asJSON, Frames: -1})
	}
	if err := sentry.Init(opts); err != nil {
		return fmt.Errorf("sentry.Init: %w", err)
	}
	defer logcrumbs.Flush(5 * time.Second) // sends what is held back, waits for sentry-go's queue

	// The one line that adds logcrumbs: wrap the program's own handler.
	text := slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})
	slog.SetDefault(slog.New(slogsentry.NewHandler(text, slogsentry.Options{
		Options: logcrumbs.Options{TagKeys: []string{"route"}},
	})))

	// Each request: its own trail and Sentry hub, and a panic reported once.
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{})
	srv := httptest.NewServer(mw(http.HandlerFunc(shop)))
	defer srv.Close()
	for _, path := range []string{"/items", "/items/42", "/checkout?item=42", "/items/7"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

func shop(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	log := slog.With("route", r.URL.Path)
	log.InfoContext(ctx, "request started", "method", r.Method)
	switch {
	case strings.HasPrefix(r.URL.Path, "/items"):
		log.DebugContext(ctx, "cache lookup", "hit", true)
		fmt.Fprintln(w, "ok")
	case r.URL.Path == "/checkout":
		item := r.URL.Query().Get("item")
		log.DebugContext(ctx, "reserving stock", "item", item, "quantity", 2)
		if err := reserve(ctx, item); err != nil {
			log.ErrorContext(ctx, "checkout failed", "err", err, "item", item,
				slog.Group("user", "id", "u-1001"))
			http.Error(w, "try again later", http.StatusServiceUnavailable)
			return
		}
	}
	log.InfoContext(ctx, "request finished", "took", 3*time.Millisecond)
}

func reserve(ctx context.Context, item string) error {
	slog.DebugContext(ctx, "warehouse query", "item", item, "warehouse", "eu-1")
	return fmt.Errorf("reserve item %s: %w", item, errOutOfStock)
}
