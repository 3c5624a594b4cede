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

// printEvents returns a hub whose client prints what it would send, so that
// the examples show it; a real program calls sentry.Init with its DSN.
func printEvents() *sentry.Hub {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			exception := "<none>"
			if len(ev.Exception) > 0 {
				exception = ev.Exception[len(ev.Exception)-1].Type
			}
			fmt.Printf("event %q, exception %s, tags %v\n", ev.Message, exception, ev.Tags)
			for _, b := range ev.Breadcrumbs {
				fmt.Printf("  breadcrumb %s %s %q %v\n", b.Level, b.Category, b.Message, b.Data)
			}
			return nil
		},
	})
	return sentry.NewHub(client, sentry.NewScope())
}

// zerolog hands hooks and writers only an error's text; with
// ErrorMarshalFunc installed, the event carries the real error value (its
// type and %w chain) instead of an exception of type "error".
func ExampleErrorMarshalFunc() {
	saved := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = saved }()
	logger := zerolog.New(nil).Hook(zerologsentry.NewHook(zerologsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents(), DedupeWindow: -1},
	}))
	fail := func(err error) {
		_, log := zerologsentry.WithContext(context.Background(), logger)
		log.Error().Err(err).Msg("checkout failed")
	}

	// Without: the text only. (A text no error logged with ErrorMarshalFunc
	// had: its errors are remembered process-wide, by text.)
	zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
	fail(fmt.Errorf("charge: %w", errors.New("card expired")))
	// With: the error value.
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	fail(fmt.Errorf("charge: %w", errors.New("card declined")))

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

// Add the hook to the logger, and give each request its own logger with
// WithContext. ErrorMarshalFunc lets events carry the real error values.
// The hook runs before zerolog writes an event, so the Sentry event is
// printed before the error's log line.
func ExampleNewHook() {
	saved := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = saved }()
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	base := zerolog.New(os.Stdout).Hook(zerologsentry.NewHook(zerologsentry.Options{
		Options: logcrumbs.Options{
			Hub:     printEvents(), // usually omitted: sentry.CurrentHub()
			TagKeys: []string{"order"},
		},
	}))

	_, log := zerologsentry.WithContext(context.Background(), base)
	log.Debug().Int("items", 3).Msg("cart loaded")
	log.Info().Str("order", "A-17").Msg("charging card")
	err := fmt.Errorf("charge: %w", errors.New("card declined"))
	log.Error().Str("order", "A-17").Err(err).Msg("checkout failed")

	// Output:
	// {"level":"debug","items":3,"message":"cart loaded"}
	// {"level":"info","order":"A-17","message":"charging card"}
	// event "checkout failed", exception *fmt.wrapError, tags map[order:A-17]
	//   breadcrumb debug zerolog "cart loaded" map[items:3]
	//   breadcrumb info zerolog "charging card" map[order:A-17]
	// {"level":"error","order":"A-17","error":"charge: card declined","message":"checkout failed"}
}

// WithContext stores the request logger in the context, so that
// zerolog.Ctx finds it deeper down, and the records of each request stay in
// its own trail.
func ExampleWithContext() {
	saved := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = saved }()
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	base := zerolog.New(os.Stdout).Hook(zerologsentry.NewHook(zerologsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents()},
	}))
	load := func(ctx context.Context, user string) error {
		zerolog.Ctx(ctx).Info().Str("user_id", user).Msg("loading")
		if user == "bob" {
			return errors.New("quota exceeded")
		}
		return nil
	}
	for _, user := range []string{"alice", "bob"} {
		ctx, log := zerologsentry.WithContext(context.Background(), base)
		if err := load(ctx, user); err != nil {
			log.Error().Err(err).Msg("request failed")
		}
	}

	// Output:
	// {"level":"info","user_id":"alice","message":"loading"}
	// {"level":"info","user_id":"bob","message":"loading"}
	// event "request failed", exception *errors.errorString, tags map[]
	//   breadcrumb info zerolog "loading" map[user_id:bob]
	// {"level":"error","error":"quota exceeded","message":"request failed"}
}

// A Writer wraps the logger's output instead of hooking the logger; bind it
// to each request with Writer.WithContext.
func ExampleWriter_WithContext() {
	w := zerologsentry.NewWriter(os.Stdout, zerologsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents()},
	})
	base := zerolog.New(w)

	_, log := w.WithContext(context.Background(), base.With().Str("request", "r-1").Logger())
	log.Info().Msg("step one")
	log.Error().Msg("step two failed")

	// Output:
	// {"level":"info","request":"r-1","message":"step one"}
	// {"level":"error","request":"r-1","message":"step two failed"}
	// event "step two failed", exception <none>, tags map[]
	//   breadcrumb info zerolog "step one" map[request:r-1]
}
