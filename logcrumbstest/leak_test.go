package logcrumbstest_test

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// sentryGoroutines counts the goroutines that sentry-go's clients run
// (the Sentry Logs and metrics batchers of a client with a custom
// transport).
func sentryGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "getsentry/sentry-go.(*batchProcessor") {
			n++
		}
	}
	return n
}

// TestRecorderLeavesNoGoroutines: a test that uses a Recorder leaves no
// goroutine behind when it ends (goleak in a TestMain checks this), and no
// client: a suite of a thousand tests must not keep a thousand clients and
// their batchers running.
func TestRecorderLeavesNoGoroutines(t *testing.T) {
	before := sentryGoroutines()
	for range 5 {
		t.Run("test", func(t *testing.T) {
			for _, rec := range []*logcrumbstest.Recorder{logcrumbstest.New(t), logcrumbstest.NewRateLimited(t)} {
				rec.Hub().CaptureMessage("x")
				_ = rec.Logs()
			}
		})
	}
	deadline := time.Now().Add(time.Second)
	for sentryGoroutines() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := sentryGoroutines(); after > before {
		t.Errorf("%d sentry-go goroutines left running after 5 tests with 2 Recorders each (%d before): each test's clients must be closed when it ends", after-before, before)
	}
}

// TestFlushAfterRecorderTestsEnded: a program's test that calls
// logcrumbs.Flush (its shutdown path) after other tests' Recorders were
// closed is not held up by them: Flush answers at once, true.
func TestFlushAfterRecorderTestsEnded(t *testing.T) {
	t.Run("earlier test", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		logger.ErrorContext(rec.Context(context.Background()), "failed", "err", errors.New("boom"))
		rec.OnlyEvent()
	})
	start := time.Now()
	ok := logcrumbs.Flush(time.Second)
	if took := time.Since(start); !ok || took > 500*time.Millisecond {
		t.Errorf("Flush = %v after %v, want true at once: a closed Recorder's client must not hold it up", ok, took.Round(time.Millisecond))
	}
}

// TestFlushAfterALateLog: a test's goroutine that logs an error after its
// test ended (a server shut down in the background, a later cleanup) hands
// it to the Recorder's closed client; a later test's logcrumbs.Flush is
// not held up by that client either.
func TestFlushAfterALateLog(t *testing.T) {
	var late func()
	t.Run("earlier test", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		logger.ErrorContext(ctx, "failed", "err", errors.New("boom"))
		rec.OnlyEvent()
		late = func() { logger.ErrorContext(ctx, "failed late", "err", errors.New("late boom")) }
	})
	late()
	start := time.Now()
	ok := logcrumbs.Flush(time.Second)
	if took := time.Since(start); !ok || took > 500*time.Millisecond {
		t.Errorf("Flush = %v after %v, want true at once: a closed Recorder's client, logged to after its test ended, must not hold it up", ok, took.Round(time.Millisecond))
	}
}
