package zerologsentry_test

import (
	"errors"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestUnboundSameTextOtherLinesAreTwoEvents: two unbound records (the
// process-wide fallback trail, which mixes every request and so matches no
// error by its text) from two call sites, whose errors have one text, are
// two bugs and two events, as they were before text-only errors were
// shared: capture-once must not take the shared text-only error for the
// same error by its identity. Hook and writer.
func TestUnboundSameTextOtherLinesAreTwoEvents(t *testing.T) {
	for _, name := range []string{"hook", "writer"} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}
			var logger zerolog.Logger
			if name == "hook" {
				logger = zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(opts))
			} else {
				logger = zerolog.New(zerologsentry.NewWriter(new(syncBuffer), opts))
			}
			text := "connection refused " + t.Name()
			logger.Error().Err(errors.New(text)).Msg("fetch failed")  // one request's bug
			logger.Error().Err(errors.New(text)).Msg("notify failed") // another's, from another line
			if evs := rec.Events(); len(evs) != 2 {
				t.Errorf("%d events %q, want 2 (two call sites, unbound)", len(evs), messagesOf(rec))
			}
		})
	}
}

func messagesOf(rec *logcrumbstest.Recorder) []string {
	var out []string
	for _, ev := range rec.Events() {
		out = append(out, ev.Message)
	}
	return out
}
