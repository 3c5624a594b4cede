package slogsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// printEvents returns a hub whose client prints what it would send, so that
// the examples show it; a real program calls sentry.Init with its DSN.
func printEvents() *sentry.Hub {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q with %d exceptions, tags %v\n", ev.Message, len(ev.Exception), ev.Tags)
			for _, b := range ev.Breadcrumbs {
				fmt.Printf("  breadcrumb %s %q %v\n", b.Level, b.Message, b.Data)
			}
			return nil
		},
	})
	return sentry.NewHub(client, sentry.NewScope())
}

// Wrap the program's own handler: it keeps writing what it wrote before,
// while each request's records become its trail and errors become events.
func ExampleNewHandler() {
	text := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level:       slog.LevelInfo,
		ReplaceAttr: dropTime, // only to make the output repeatable
	})
	logger := slog.New(slogsentry.NewHandler(text, slogsentry.Options{
		Options: logcrumbs.Options{
			Hub:     printEvents(), // usually omitted: sentry.CurrentHub()
			TagKeys: []string{"order"},
		},
	}))

	ctx := logcrumbs.NewContext(context.Background()) // one trail per request
	logger.DebugContext(ctx, "cart loaded", "items", 3)
	logger.InfoContext(ctx, "charging card", "order", "A-17")
	err := fmt.Errorf("charge: %w", errors.New("card declined"))
	logger.ErrorContext(ctx, "checkout failed", "order", "A-17", "err", err)

	// Output:
	// level=INFO msg="charging card" order=A-17
	// level=ERROR msg="checkout failed" order=A-17 err="charge: card declined"
	// event "checkout failed" with 2 exceptions, tags map[order:A-17]
	//   breadcrumb debug "cart loaded" map[items:3]
	//   breadcrumb info "charging card" map[order:A-17]
}

// With a nil handler, the handler stands alone: it only feeds logcrumbs.
func ExampleNewHandler_standalone() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options:    logcrumbs.Options{Hub: printEvents()},
		EventLevel: slog.LevelWarn,
	}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "retrying", "attempt", 2)
	logger.WarnContext(ctx, "giving up")

	// Output:
	// event "giving up" with 0 exceptions, tags map[]
	//   breadcrumb info "retrying" map[attempt:2]
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}
