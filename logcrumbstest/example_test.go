package logcrumbstest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// checkout is the code under test: it logs, and reports its failure.
func checkout(ctx context.Context, logger *slog.Logger) {
	logger.InfoContext(ctx, "reserving stock", "item", "42")
	logger.ErrorContext(ctx, "checkout failed", "err", errors.New("card declined"))
}

// A test asserts what its code sends to Sentry: the event, its trail and its
// exception.
func Example() {
	t := &testing.T{} // in a real test, the test's own t
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))

	checkout(rec.Context(context.Background()), logger)

	ev := rec.WaitEvents(1, time.Second)[0]
	fmt.Println(ev.Message, ev.BreadcrumbMessages(), ev.Exceptions()[0].Value)
	// Output: checkout failed [reserving stock] card declined
}
