package e2e_test

import (
	"errors"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/e2e"
)

// TestReceiverParsesWhatSentryGoSends checks the harness itself with
// sentry-go alone, so that a failure of a bridge's end-to-end test is
// never the harness's.
func TestReceiverParsesWhatSentryGoSends(t *testing.T) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	hub.AddBreadcrumb(&sentry.Breadcrumb{Message: "before", Level: sentry.LevelInfo}, nil)
	hub.CaptureException(errors.New("boom"))
	if !hub.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	reports := r.WaitReports(t, 1)
	ev := reports[0].Event
	if len(ev.Exception) != 1 || ev.Exception[0].Value != "boom" {
		t.Errorf("exception = %+v", ev.Exception)
	}
	if len(ev.Breadcrumbs) != 1 || ev.Breadcrumbs[0].Message != "before" {
		t.Errorf("breadcrumbs = %+v", ev.Breadcrumbs)
	}
	r.Reset(t)
	if n := len(r.Reports(t)); n != 0 {
		t.Errorf("after Reset: %d reports", n)
	}
}
