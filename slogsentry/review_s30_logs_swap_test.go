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

// TestReviewS30LogsUserGateClientSwap: while the client of the hub records
// fall back to (Options.Hub, the current hub) is swapped between one that
// collects user data (DataCollection.UserInfo) and one that does not, no Sentry
// log that reaches the second carries the user's email: the user gate is
// the client's that sends the log, as it is for events (which are gated by
// and handed to the one client their Sender read).
//
// SendLog gated with the user info of the client it read from the hub at
// its start, and sentry-go's entry then emitted through the hub's client at
// that moment: a swap in between sent the first client's verdict to the
// second (before the fix, 6,949 of 18,429 logs the second client got in
// 2 s of swapping held user.email). A log that keeps user data is now
// emitted through the client that allowed it. Events are not affected.
func TestReviewS30LogsUserGateClientSwap(t *testing.T) {
	var leaked, sentB atomic.Int64
	newClient := func(pii, count bool) *sentry.Client {
		c, err := sentry.NewClient(sentry.ClientOptions{DataCollection: &sentry.DataCollection{UserInfo: sentry.Set(pii)}, BeforeSendLog: func(l *sentry.Log) *sentry.Log {
			if count {
				sentB.Add(1)
				if _, ok := l.Attributes["user.email"]; ok {
					leaked.Add(1)
				}
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	withPII, without := newClient(true, false), newClient(false, true)
	hub := sentry.NewHub(withPII, sentry.NewScope())
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}, LogsLevel: slog.LevelInfo}))
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				l.InfoContext(context.Background(), "m", "user.email", "ann@example.com", "a", 1, "b", "x")
			}
		}()
	}
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && leaked.Load() == 0; {
		hub.BindClient(without)
		hub.BindClient(withPII)
	}
	stop.Store(true)
	wg.Wait()
	if n := leaked.Load(); n > 0 {
		t.Errorf("%d of the %d logs the client without user data got held user.email", n, sentB.Load())
	}
}
