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
// log/slog.
func ExampleNewHandler() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q with %d breadcrumb(s)\n", ev.Message, len(ev.Breadcrumbs))
			return nil // only print it
		},
	})
	text := xslog.NewTextHandler(os.Stdout, &xslog.HandlerOptions{
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

	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "charging card", "order", "A-17")
	logger.ErrorContext(ctx, "checkout failed", "err", errors.New("card declined"))

	// Output:
	// level=INFO msg="charging card" order=A-17
	// level=ERROR msg="checkout failed" err="card declined"
	// event "checkout failed" with 1 breadcrumb(s)
}
