package zerologsentry_test

import (
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// flushCounter counts the flushes of its client's hub.
type flushCounter struct{ n *atomic.Int32 }

func (flushCounter) Configure(sentry.ClientOptions) {}
func (flushCounter) SendEvent(*sentry.Event)        {}
func (flushCounter) Close()                         {}
func (f flushCounter) Flush(time.Duration) bool     { f.n.Add(1); return true }
func (f flushCounter) FlushWithContext(context.Context) bool {
	f.n.Add(1)
	return true
}

// TestFlushesOnlyForFatalAndPanic: the hook and the writer flush the hub
// (core.Entry.Exits) for Fatal and Panic records, after which zerolog may
// exit or panic, and for no other level: not for a numeric level above
// Panic other than NoLevel and Disabled (WithLevel), which zerolog writes
// and goes on from, where a flush would hold up each such log.
func TestFlushesOnlyForFatalAndPanic(t *testing.T) {
	var n atomic.Int32
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://key@sentry.invalid/1", Transport: flushCounter{&n}})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}
	loggers := map[string]zerolog.Logger{
		"hook":   zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)),
		"writer": zerolog.New(zerologsentry.NewWriter(io.Discard, opts)),
	}
	for name, logger := range loggers {
		for l := zerolog.Level(-3); l <= 12; l++ {
			n.Store(0)
			logger.WithLevel(l).Str("k", "v").Msg("m")
			if got, want := n.Load() > 0, l == zerolog.FatalLevel || l == zerolog.PanicLevel; got != want {
				t.Errorf("%s, level %d: flushed %v, want %v", name, l, got, want)
			}
		}
	}
}
