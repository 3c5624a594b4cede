package logcrumbs_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

var errOutOfStock = fmt.Errorf("out of stock")

// Without a Sentry project, print what would be sent: each event with its
// exception chain and the trail of its unit of work. In a program, give it
// os.Stderr when SENTRY_DSN is unset, and keep the times (OmitTimes is here
// only to make the output the same from run to run).
func ExamplePrintTransport() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		Transport: logcrumbs.PrintTransport(os.Stdout, logcrumbs.PrintOptions{OmitTimes: true, Frames: 1}),
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope()), TagKeys: []string{"route"}},
	}))

	ctx := logcrumbs.NewContext(context.Background()) // one request's trail
	logger.InfoContext(ctx, "request started", "route", "/checkout", "method", "POST")
	logger.DebugContext(ctx, "reserving stock", "item", 42, "quantity", 2)
	err := fmt.Errorf("reserve item 42: %w", errOutOfStock)
	logger.ErrorContext(ctx, "checkout failed", "err", err, "route", "/checkout")
	// Output:
	// sentry event: error [slog] checkout failed
	//   exception: *fmt.wrapError: reserve item 42: out of stock
	//       at github.com/logcrumbs/logcrumbs_test.ExamplePrintTransport (example_print_test.go:33)
	//       ... 1 more frame
	//     caused by: *errors.errorString: out of stock
	//   tags: route=/checkout
	//   log: err="reserve item 42: out of stock" route=/checkout
	//   breadcrumbs (2, oldest first):
	//     info    slog: request started method=POST route=/checkout
	//     debug   slog: reserving stock item=42 quantity=2
}
