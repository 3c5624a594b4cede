package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// errorLogger is one integration, made with some options: its log logs err
// at the error level, with ctx's trail (none: the fallback trail), always
// from the same call site.
type errorLogger struct {
	name string
	make func(t *testing.T, opts logcrumbs.Options) (log func(ctx context.Context, msg string, err error))
}

// errorLoggers are the integrations whose error records become events:
// slog, zap, and zerolog's hook and writer (with zerologsentry's
// ErrorMarshalFunc, so that they see the real error values, as slog and zap
// do).
var errorLoggers = []errorLogger{
	{"slog", func(_ *testing.T, opts logcrumbs.Options) func(context.Context, string, error) {
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
		return func(ctx context.Context, msg string, err error) { logger.ErrorContext(ctx, msg, "err", err) }
	}},
	{"zap", func(_ *testing.T, opts logcrumbs.Options) func(context.Context, string, error) {
		base := zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts}))
		return func(ctx context.Context, msg string, err error) {
			l := base
			if logcrumbs.FromContext(ctx) != nil {
				_, l = zapsentry.WithContext(ctx, base)
			}
			l.Error(msg, zap.Error(err))
		}
	}},
	{"zerolog hook", func(t *testing.T, opts logcrumbs.Options) func(context.Context, string, error) {
		realErrors(t)
		base := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts}))
		return func(ctx context.Context, msg string, err error) {
			l := base
			if logcrumbs.FromContext(ctx) != nil {
				_, l = zerologsentry.WithContext(ctx, base)
			}
			l.Error().Err(err).Msg(msg)
		}
	}},
	{"zerolog writer", func(t *testing.T, opts logcrumbs.Options) func(context.Context, string, error) {
		realErrors(t)
		w := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts})
		base := zerolog.New(w)
		return func(ctx context.Context, msg string, err error) {
			l := base
			if logcrumbs.FromContext(ctx) != nil {
				_, l = w.WithContext(ctx, base)
			}
			l.Error().Err(err).Msg(msg)
		}
	}},
}

// realErrors installs zerologsentry.ErrorMarshalFunc for the test.
func realErrors(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(saved)
}

// TestNewClientStartsClean: a program that makes a new client and binds it
// to the same hub (as sentry.Init does on a configuration reload) gets every
// new client's first event, though the allocator puts new clients where
// collected ones were. (Noise control was keyed by the client's address: 57
// of 60 clients sent nothing, their events taken for repeats of a dead
// client's.)
func TestNewClientStartsClean(t *testing.T) {
	for _, l := range errorLoggers {
		t.Run(l.name, func(t *testing.T) {
			tr := sentrytest.NewTransport()
			hub := sentry.NewHub(nil, sentry.NewScope())
			log := l.make(t, logcrumbs.Options{Hub: hub})
			const rounds = 60
			for i := range rounds {
				client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
				if err != nil {
					t.Fatal(err)
				}
				hub.BindClient(client)
				log(logcrumbs.NewContext(context.Background()), "reloaded", fmt.Errorf("round %d: %w", i, errors.New("failed")))
				client.Flush(time.Second)
				client.Close()
				hub.BindClient(nil)
				client = nil
				runtime.GC()
			}
			if n := len(tr.Events()); n != rounds {
				t.Errorf("%d events from %d fresh clients, one each, want %d", n, rounds, rounds)
			}
		})
	}
}

// TestPendingRepeatsGoThroughTheirClient: repeats left pending when the hub
// is bound to a new client are reported, at Flush, through the client that
// sent their event, not through the hub's new one (to another project,
// perhaps).
func TestPendingRepeatsGoThroughTheirClient(t *testing.T) {
	for _, l := range errorLoggers {
		t.Run(l.name, func(t *testing.T) {
			old, current := sentrytest.NewTransport(), sentrytest.NewTransport()
			oldClient, _ := sentry.NewClient(sentry.ClientOptions{Transport: old})
			hub := sentry.NewHub(oldClient, sentry.NewScope())
			log := l.make(t, logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute})
			for i := range 3 { // three requests, one bug
				log(logcrumbs.NewContext(context.Background()), "query failed", fmt.Errorf("req %d: %w", i, errors.New("db down")))
			}
			newClient, _ := sentry.NewClient(sentry.ClientOptions{Transport: current})
			hub.BindClient(newClient)
			logcrumbs.Flush(time.Second)
			if n := len(current.Events()); n != 0 {
				t.Errorf("the hub's new client got %d events, want none: %q", n, current.Events()[0].Message)
			}
			evs := old.Events()
			if len(evs) != 2 || repeatsOf(evs[1]) != 2 {
				t.Fatalf("the old client got %d events, want the event and a summary of 2 repeats", len(evs))
			}
			runtime.KeepAlive(oldClient)
		})
	}
}

// TestDroppedClientIsCollected: a client the program dropped is not kept
// alive by logcrumbs, though it sent an event of a record without a trail
// (capture-once on the process-wide fallback trail, kept per client, held
// the client itself) and left repeats pending.
func TestDroppedClientIsCollected(t *testing.T) {
	for _, l := range errorLoggers {
		t.Run(l.name, func(t *testing.T) {
			client, _ := sentry.NewClient(sentry.ClientOptions{Transport: sentrytest.NewTransport()})
			gone := make(chan struct{})
			runtime.AddCleanup(client, func(ch chan struct{}) { close(ch) }, gone)
			log := l.make(t, logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: time.Minute})
			err := fmt.Errorf("%s: %w", t.Name(), errors.New("dropped"))
			log(context.Background(), "no trail", err) // the fallback trail
			log(context.Background(), "no trail", err)
			log(logcrumbs.NewContext(context.Background()), "no trail", fmt.Errorf("again: %w", err)) // a pending repeat
			// Its batch processors' goroutines hold it until it is closed.
			client.Close()
			client, log = nil, nil
			for range 20 {
				runtime.GC()
				select {
				case <-gone:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
			t.Error("the dropped client was not collected")
		})
	}
}
