package main

import (
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrussentry"
	"github.com/sirupsen/logrus"
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

	log := logrus.New()
	log.SetLevel(logrus.DebugLevel) // debug entries reach the hook; LevelFormatter hides them
	log.SetFormatter(logrussentry.LevelFormatter{Formatter: &logrus.JSONFormatter{}, Level: logrus.InfoLevel})
	log.AddHook(logrussentry.NewHook(logrussentry.Options{})) // your output does not change

	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{}) // a trail and a hub per request
	http.ListenAndServe("localhost:8080", mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entry := log.WithContext(r.Context())                                 // the request's trail
		entry.WithField("path", r.URL.Path).Info("loading cart")              // a breadcrumb
		entry.WithField("items", 3).Debug("cart loaded")                      // a breadcrumb (not in your output)
		entry.WithError(errors.New("card declined")).Error("checkout failed") // an event with the trail
	})))
}
