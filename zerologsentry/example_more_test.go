package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// zerolog hands hooks and writers only an error's text; with
// ErrorMarshalFunc installed, the event carries the real error value (its
// type and %w chain) instead of an exception of type "error".
func ExampleErrorMarshalFunc() {
	saved := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = saved }()
	logger := zerolog.New(nil).Hook(zerologsentry.NewHook(zerologsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents(), DedupeWindow: -1},
	}))
	fail := func() {
		_, log := zerologsentry.WithContext(context.Background(), logger)
		log.Error().Err(fmt.Errorf("charge: %w", errors.New("card declined"))).Msg("checkout failed")
	}

	zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
	fail()                                                        // without: the text only
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	fail() // with: the error value

	// Output:
	// event "checkout failed", exception error, tags map[]
	// event "checkout failed", exception *fmt.wrapError, tags map[]
}

// With hlog, put Handler right after hlog.NewHandler: every request's
// hlog.FromRequest logger is then bound to a trail of its own.
func ExampleHandler() {
	saved := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = saved }()
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(func(err error) any { return err })
	base := zerolog.New(os.Stdout).Hook(zerologsentry.NewHook(zerologsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents()},
	}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := hlog.FromRequest(r)
		log.Info().Str("path", r.URL.Path).Msg("loading cart")
		log.Error().Err(errors.New("card declined")).Msg("checkout failed")
	})
	h := hlog.NewHandler(base)(zerologsentry.Handler(app))

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cart", nil))

	// Output:
	// {"level":"info","path":"/cart","message":"loading cart"}
	// event "checkout failed", exception *errors.errorString, tags map[]
	//   breadcrumb info zerolog "loading cart" map[path:/cart]
	// {"level":"error","error":"card declined","message":"checkout failed"}
}

// NewWriter wraps the logger's output: every byte goes on to it, and each
// record is kept or sent too. Unbound, as here, its records go to the
// process-wide fallback trail, which every unbound record of the process
// shares (so this example prints only the event's message); bind it per
// request with Writer.WithContext.
func ExampleNewWriter() {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q\n", ev.Message)
			return nil // only print it
		},
	})
	w := zerologsentry.NewWriter(os.Stdout, zerologsentry.Options{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
	})
	logger := zerolog.New(w)
	logger.Warn().Str("disk", "/var").Msg("disk almost full")
	logger.Error().Str("disk", "/var").Msg("disk full")

	// Output:
	// {"level":"warn","disk":"/var","message":"disk almost full"}
	// {"level":"error","disk":"/var","message":"disk full"}
	// event "disk full"
}
