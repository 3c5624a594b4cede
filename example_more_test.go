package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

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
