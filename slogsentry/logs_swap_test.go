package slogsentry_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestLogsClientSwap: the client of the hub a record falls back to
// (Options.Hub, the current hub) changes while records are sent to Sentry
// Logs. Once the swapping stops, a log goes through the hub's client with
// that client's own release: the logger cached for a client is never one
// built while the hub held another client, or none (a logger that drops
// every log).
func TestLogsClientSwap(t *testing.T) {
	type sink struct {
		release string
		n       atomic.Int64
		last    atomic.Value // the release of the last log
	}
	newClient := func(s *sink) *sentry.Client {
		c, err := sentry.NewClient(sentry.ClientOptions{
			Release: s.release,
			BeforeSendLog: func(l *sentry.Log) *sentry.Log {
				s.last.Store(l.Attributes["sentry.release"].AsString())
				s.n.Add(1)
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := &sink{release: "a"}, &sink{release: "b"}
	ca, cb := newClient(a), newClient(b)
	hub := sentry.NewHub(ca, sentry.NewScope())
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options:   logcrumbs.Options{Hub: hub},
		LogsLevel: slog.LevelInfo,
	}))
	deadline := time.Now().Add(time.Second) // the merged code failed within 0.2s
	for round := 0; time.Now().Before(deadline); round++ {
		var stop atomic.Bool
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				l.InfoContext(context.Background(), "m")
			}
		}()
		for i := 0; i < 200; i++ {
			hub.BindClient(cb)
			hub.BindClient(nil)
			hub.BindClient(ca)
		}
		stop.Store(true)
		wg.Wait()
		hub.BindClient(ca)
		before := a.n.Load()
		l.InfoContext(context.Background(), "after")
		if a.n.Load() != before+1 {
			t.Fatalf("round %d: the log after the swaps was not sent through client a", round)
		}
		if got := a.last.Load(); got != "a" {
			t.Fatalf("round %d: the log after the swaps has the release %q, want client a's", round, got)
		}
	}
}
