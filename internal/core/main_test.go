package core_test

import (
	"os"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// TestMain lifts the process-wide event rate limit, as every test package
// that sends events does.
func TestMain(m *testing.M) {
	logcrumbs.SetRateLimit(0, 0)
	os.Exit(m.Run())
}
