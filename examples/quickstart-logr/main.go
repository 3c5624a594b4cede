package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/go-logr/logr/funcr"
	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

func main() {
	opts := sentry.ClientOptions{Dsn: os.Getenv("SENTRY_DSN")}
	if opts.Dsn == "" { // no Sentry project yet: print each event instead of sending it
		opts.Transport = logcrumbs.PrintTransport(os.Stderr, logcrumbs.PrintOptions{})
	}
	if err := sentry.Init(opts); err != nil { // a malformed SENTRY_DSN: nothing would be sent
		panic(err)
	}
	defer logcrumbs.Flush(2 * time.Second) // sends what is held back, waits for sentry-go

	// Tee logcrumbs beside the logger you have (funcr, zapr, klog); its output does not change.
	base := logrsentry.Wrap(funcr.NewJSON(func(s string) { fmt.Println(s) }, funcr.Options{}),
		logrsentry.Options{})

	// Work that is not an HTTP request (a Reconcile, a message): a trail and a hub per job.
	logcrumbs.RunJob(context.Background(), "reconcile", logcrumbs.JobOptions{},
		func(ctx context.Context) error {
			_, log := logrsentry.WithContext(ctx, base) // binds the job's trail
			log.Info("reconciling", "item", "cart-2")   // a breadcrumb
			err := errors.New("quota exceeded")
			log.Error(err, "reconcile failed") // an event with the trail
			return err
		})
}
