package logrussentry_test

import (
	"os"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// TestMain lifts the process-wide event rate limit, which the tests of this
// package, sending many events within a second, would otherwise reach; the
// limit itself is tested in the root package.
func TestMain(m *testing.M) {
	logcrumbs.SetRateLimit(0, 0)
	os.Exit(m.Run())
}
