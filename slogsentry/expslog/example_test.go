package expslog_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/getsentry/sentry-go"
	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

// A program on golang.org/x/exp/slog wraps its handler the same way as with
// log/slog: the handler keeps writing what it wrote before, while each
// request's records become its trail and errors become events.
func ExampleNewHandler() {
	// A client that prints what it would send, so that the example shows
	// it; a real program calls sentry.Init with its DSN and leaves Hub out.
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q with %d exceptions\n", ev.Message, len(ev.Exception))
			for _, b := range ev.Breadcrumbs {
				fmt.Printf("  breadcrumb %s %q %v\n", b.Level, b.Message, b.Data)
			}
			return nil // only print it
		},
	})
	text := xslog.NewTextHandler(os.Stdout, &xslog.HandlerOptions{
		Level: xslog.LevelInfo,
		ReplaceAttr: func(groups []string, a xslog.Attr) xslog.Attr {
			if a.Key == xslog.TimeKey && len(groups) == 0 {
				return xslog.Attr{} // only to make the output repeatable
			}
			return a
		},
	})
	logger := xslog.New(expslog.NewHandler(text, slogsentry.Options{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
	}))

	ctx := logcrumbs.NewContext(context.Background()) // one trail per request
	logger.DebugContext(ctx, "cart loaded", "items", 3)
	logger.InfoContext(ctx, "charging card", "order", "A-17")
	err := fmt.Errorf("charge: %w", errors.New("card declined"))
	logger.ErrorContext(ctx, "checkout failed", "order", "A-17", "err", err)

	// Output:
	// level=INFO msg="charging card" order=A-17
	// level=ERROR msg="checkout failed" order=A-17 err="charge: card declined"
	// event "checkout failed" with 2 exceptions
	//   breadcrumb debug "cart loaded" map[items:3]
	//   breadcrumb info "charging card" map[order:A-17]
}
