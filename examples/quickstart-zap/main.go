package main

import (
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"go.uber.org/zap"
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

	base, _ := zap.NewProduction()
	base = base.WithOptions(zapsentry.Wrap(zapsentry.Options{})) // tee beside zap's own core

	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{}) // a trail and a hub per request
	http.ListenAndServe("localhost:8080", mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, log := zapsentry.WithContext(r.Context(), base)       // binds the request's trail
		log.Info("loading cart", zap.String("path", r.URL.Path)) // a breadcrumb
		log.Debug("cart loaded", zap.Int("items", 3))            // a breadcrumb (not in your output)
		err := errors.New("card declined")
		log.Error("checkout failed", zap.Error(err)) // an event with the trail
	})))
}
