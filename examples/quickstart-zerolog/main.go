package main

import (
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
	"github.com/rs/zerolog"
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
	// Events then carry the real error values (types, %w chain, stacks), not only their text.
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)

	base := zerolog.New(os.Stdout).Hook(zerologsentry.NewHook(zerologsentry.Options{}))

	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{}) // a trail and a hub per request
	http.ListenAndServe("localhost:8080", mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, log := zerologsentry.WithContext(r.Context(), base) // binds the request's trail
		log.Info().Str("path", r.URL.Path).Msg("loading cart") // a breadcrumb
		err := errors.New("card declined")
		log.Error().Err(err).Msg("checkout failed") // an event with the trail
	})))
}
