package zapsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// printEvents returns a hub whose client prints what it would send, so that
// the examples show it; a real program calls sentry.Init with its DSN.
func printEvents() *sentry.Hub {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q with %d exceptions, tags %v\n", ev.Message, len(ev.Exception), ev.Tags)
			for _, b := range ev.Breadcrumbs {
				fmt.Printf("  breadcrumb %s %s %q %v\n", b.Level, b.Category, b.Message, b.Data)
			}
			return nil
		},
	})
	return sentry.NewHub(client, sentry.NewScope())
}

// consoleCore writes like a program's own core would, without timestamps so
// that the output repeats.
func consoleCore() zapcore.Core {
	cfg := zap.NewDevelopmentEncoderConfig()
	cfg.TimeKey = ""
	return zapcore.NewCore(zapcore.NewConsoleEncoder(cfg), zapcore.AddSync(os.Stdout), zapcore.InfoLevel)
}

// Wrap tees the logcrumbs core beside a logger's own, here a console core;
// with zap.NewProduction it tees beside the sampler, so that sampling drops
// no breadcrumb.
func ExampleWrap() {
	logger := zap.New(consoleCore()).WithOptions(zapsentry.Wrap(zapsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents()},
	}))
	_, log := zapsentry.WithContext(context.Background(), logger)
	log.Debug("cache miss", zap.String("key", "cart:7")) // below the console's level: trail only
	log.Error("load failed", zap.Error(errors.New("timeout")))

	// Output:
	// ERROR	load failed	{"error": "timeout"}
	// event "load failed" with 1 exceptions, tags map[]
	//   breadcrumb debug zap "cache miss" map[key:cart:7]
}

// Context is the field that binds a trail to one entry or, through
// logger.With, to a logger; other cores write nothing for it.
func ExampleContext() {
	logger := zap.New(consoleCore()).WithOptions(zapsentry.Wrap(zapsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents()},
	}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.Info("job started", zapsentry.Context(ctx), zap.String("job", "reindex"))
	logger.Error("job failed", zapsentry.Context(ctx), zap.Error(errors.New("disk full")))

	// Output:
	// INFO	job started	{"job": "reindex"}
	// ERROR	job failed	{"error": "disk full"}
	// event "job failed" with 1 exceptions, tags map[]
	//   breadcrumb info zap "job started" map[job:reindex]
}

// Tee the logcrumbs core beside the program's own: the console core keeps
// writing what it wrote (Info and above), while the request's entries,
// Debug included, become its trail and the error an event.
func ExampleNewCore() {
	logger := zap.New(zapcore.NewTee(consoleCore(), zapsentry.NewCore(zapsentry.Options{
		Options: logcrumbs.Options{
			Hub:     printEvents(), // usually omitted: sentry.CurrentHub()
			TagKeys: []string{"order"},
		},
	})))

	ctx := logcrumbs.NewContext(context.Background()) // one trail per request
	log := logger.With(zapsentry.Context(ctx))
	log.Debug("cart loaded", zap.Int("items", 3))
	log.Info("charging card", zap.String("order", "A-17"))
	err := fmt.Errorf("charge: %w", errors.New("card declined"))
	log.Error("checkout failed", zap.String("order", "A-17"), zap.Error(err))

	// Output:
	// INFO	charging card	{"order": "A-17"}
	// ERROR	checkout failed	{"order": "A-17", "error": "charge: card declined"}
	// event "checkout failed" with 2 exceptions, tags map[order:A-17]
	//   breadcrumb debug zap "cart loaded" map[items:3]
	//   breadcrumb info zap "charging card" map[order:A-17]
}

// WithContext makes a request's logger and keeps its trail on the context,
// so that every logger of the request, zap or slog, adds to one trail, and
// one request's records stay out of another's events.
func ExampleWithContext() {
	base := zap.New(consoleCore()).WithOptions(zapsentry.Wrap(zapsentry.Options{
		Options: logcrumbs.Options{Hub: printEvents()},
	}))

	// A library the request calls logs with slog (slogsentry's handler),
	// through the request's context.
	lib := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))

	handle := func(ctx context.Context, user string) {
		ctx, log := zapsentry.WithContext(ctx, base.With(zap.String("user_id", user)))
		log.Info("request started")
		lib.DebugContext(ctx, "quota read", "remaining", 0)
		if user == "bob" {
			log.Error("request failed", zap.Error(errors.New("quota exceeded")))
		}
	}
	handle(context.Background(), "alice")
	handle(context.Background(), "bob")

	// Output:
	// INFO	request started	{"user_id": "alice"}
	// INFO	request started	{"user_id": "bob"}
	// ERROR	request failed	{"user_id": "bob", "error": "quota exceeded"}
	// event "request failed" with 1 exceptions, tags map[]
	//   breadcrumb info zap "request started" map[user_id:bob]
	//   breadcrumb debug slog "quota read" map[remaining:0]
}
