package zerologsentry_test

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestFlushesForFatalAndPanicSentToLogs: a Fatal or Panic record that also
// goes to Sentry Logs (LogsLevel) flushes the hub before zerolog may exit
// or panic, as one that does not (TestFlushesOnlyForFatalAndPanic); other
// levels do not.
func TestFlushesForFatalAndPanicSentToLogs(t *testing.T) {
	loggers, n := flushCountingLoggers(t, zerologsentry.Options{LogsLevel: zerolog.InfoLevel})
	for name, logger := range loggers {
		for _, l := range []zerolog.Level{zerolog.InfoLevel, zerolog.WarnLevel, zerolog.ErrorLevel, zerolog.FatalLevel, zerolog.PanicLevel} {
			n.Store(0)
			logger.WithLevel(l).Str("k", "v").Msg("m")
			if got, want := n.Load() > 0, l == zerolog.FatalLevel || l == zerolog.PanicLevel; got != want {
				t.Errorf("%s, level %v: flushed %v, want %v", name, l, got, want)
			}
		}
	}
}
