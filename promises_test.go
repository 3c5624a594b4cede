package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestPassThroughNotOnTheFallbackTrail: Options.PassThroughLevel makes "a
// unit of work" talkative once it has sent an event. Records logged
// without one share the process-wide fallback trail, which is no unit
// (LogsOnEvent sends nothing of it either): an event sent from it must not
// make every later record of the process that has no unit of work, from
// any goroutine, a Sentry Log for the rest of the process's life.
func TestPassThroughNotOnTheFallbackTrail(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.PassThroughLevel = sentry.LevelInfo
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	logger.Error("cache refresh failed", "err", errors.New("timeout")) // no unit: the fallback trail
	logger.Info("cache warmed")                                        // another goroutine's, maybe
	ctx := rec.Context(context.Background())
	logger.ErrorContext(ctx, "checkout failed", "err", errors.New("card declined"))
	logger.InfoContext(ctx, "retrying")
	var bodies []string
	for _, l := range rec.Logs() {
		bodies = append(bodies, l.Body)
	}
	if len(rec.Events()) != 2 || len(bodies) != 1 || bodies[0] != "retrying" {
		t.Errorf("%d events, Sentry Logs %q; want 2 events and the unit's record after its event only, [\"retrying\"]", len(rec.Events()), bodies)
	}
}
