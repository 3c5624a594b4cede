package logcrumbstest_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
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
