package bench

import (
	"os"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// TestMain lifts logcrumbs' process-wide rate limit: the event benchmarks
// send thousands of events a second on purpose, and must build every one
// (events/op shows it).
func TestMain(m *testing.M) {
	logcrumbs.SetRateLimit(0, 0)
	os.Exit(m.Run())
}
