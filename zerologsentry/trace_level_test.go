package zerologsentry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestLogsTraceLevel: zerolog's Trace records go to Sentry Logs at
// Sentry's trace level, Debug ones at debug, through the hook and the
// writer alike.
func TestLogsTraceLevel(t *testing.T) {
	for _, writer := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		opts := zerologsentry.Options{Options: rec.Options(), LogsLevel: zerolog.TraceLevel, BreadcrumbLevel: zerolog.TraceLevel}
		log := boundLogger(rec.Context(context.Background()), opts, writer).Level(zerolog.TraceLevel)
		log.Trace().Msg("t")
		log.Debug().Msg("d")
		var levels []string
		for _, lg := range rec.Logs() {
			levels = append(levels, string(lg.Level))
		}
		if got := strings.Join(levels, ","); got != "trace,debug" {
			t.Errorf("writer %v: logs at %s, want trace,debug", writer, got)
		}
	}
}
