// Command demo serves a few requests on loopback, logs them through log/slog
// with logcrumbs, and hits one error.
//
// With SENTRY_DSN unset it prints, as indented JSON on stdout, the Sentry
// event it would send, with the breadcrumb trail of the failing request (and
// only that request). With SENTRY_DSN set it sends the event to that Sentry
// project instead. The program's own log lines go to stderr, as they would
// without logcrumbs.
//
//	go run ./examples/demo
package main

import (
	"context"
	"encoding/json"
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
	if err := run(os.Getenv("SENTRY_DSN"), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(dsn string, stdout, stderr io.Writer) error {
	opts := sentry.ClientOptions{Dsn: dsn, Environment: "demo"}
	if dsn == "" {
		opts.Transport = &printTransport{w: stdout}
	}
	if err := sentry.Init(opts); err != nil {
		return fmt.Errorf("sentry.Init: %w", err)
	}
	defer sentry.Flush(5 * time.Second)

	// The one line that adds logcrumbs: wrap the program's own handler.
	text := slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})
	slog.SetDefault(slog.New(slogsentry.NewHandler(text, slogsentry.Options{
		Options: logcrumbs.Options{TagKeys: []string{"route"}},
	})))

	srv := httptest.NewServer(withTrail(http.HandlerFunc(shop)))
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

// withTrail gives every request its own trail, so that an event carries only
// its own request's breadcrumbs.
func withTrail(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(logcrumbs.NewContext(r.Context())))
	})
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

// printTransport is a sentry.Transport that prints events instead of sending
// them.
type printTransport struct{ w io.Writer }

func (p *printTransport) SendEvent(event *sentry.Event) {
	// Keep the output short: the top frames of each stack are enough here.
	for i := range event.Exception {
		if st := event.Exception[i].Stacktrace; st != nil && len(st.Frames) > 3 {
			st.Frames = st.Frames[len(st.Frames)-3:]
		}
	}
	event.Modules, event.Sdk = nil, sentry.SdkInfo{}
	b, err := json.MarshalIndent(event, "", "  ")
	if err != nil {
		fmt.Fprintln(p.w, "demo: cannot encode event:", err)
		return
	}
	fmt.Fprintf(p.w, "%s\n", b)
}
func (p *printTransport) Configure(sentry.ClientOptions)        {}
func (p *printTransport) Flush(time.Duration) bool              { return true }
func (p *printTransport) FlushWithContext(context.Context) bool { return true }
func (p *printTransport) Close()                                {}
