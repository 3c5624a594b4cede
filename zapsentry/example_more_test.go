package zapsentry_test

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

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
