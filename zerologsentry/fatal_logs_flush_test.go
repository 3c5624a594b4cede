package zerologsentry_test

import (
	"io"
	"sync/atomic"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestFlushesForFatalAndPanicSentToLogs: a Fatal or Panic record that also
// goes to Sentry Logs (LogsLevel) flushes the hub before zerolog may exit
// or panic, as one that does not (TestFlushesOnlyForFatalAndPanic); other
// levels do not.
func TestFlushesForFatalAndPanicSentToLogs(t *testing.T) {
	var n atomic.Int32
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://key@sentry.invalid/1", Transport: flushCounter{&n}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	hub := sentry.NewHub(client, sentry.NewScope())
	opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}, LogsLevel: zerolog.InfoLevel}
	loggers := map[string]zerolog.Logger{
		"hook":   zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)),
		"writer": zerolog.New(zerologsentry.NewWriter(io.Discard, opts)),
	}
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
