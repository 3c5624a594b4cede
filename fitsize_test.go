package logcrumbs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestOversizedEventKeepsNewestBreadcrumbs: an event over Sentry's size
// limit (here the scope's breadcrumbs, 30 of 40 KiB, merged into an error
// captured by hand through a unit of work's hub) is fitted by dropping its
// oldest breadcrumbs, as the design says: what led up to the error is
// nearest the end. The newest stay, and the event says how many went.
func TestOversizedEventKeepsNewestBreadcrumbs(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	hub := sentry.GetHubFromContext(ctx)
	big := strings.Repeat("x", 40<<10)
	start := time.Now().Add(-time.Minute)
	const n = 30
	for i := range n {
		hub.AddBreadcrumb(&sentry.Breadcrumb{Message: fmt.Sprintf("scope %02d %s", i, big), Timestamp: start.Add(time.Duration(i) * time.Second)}, nil)
	}
	hub.CaptureException(errors.New("boom " + t.Name()))
	ev := rec.OnlyEvent()
	msgs := ev.BreadcrumbMessages()
	if len(msgs) == 0 || len(msgs) == n {
		t.Fatalf("%d breadcrumbs, want some of the %d dropped to fit", len(msgs), n)
	}
	if last := msgs[len(msgs)-1]; !strings.HasPrefix(last, fmt.Sprintf("scope %02d ", n-1)) {
		t.Errorf("last breadcrumb %.10q, want the newest, scope %02d", last, n-1)
	}
	if first, want := msgs[0], fmt.Sprintf("scope %02d ", n-len(msgs)); !strings.HasPrefix(first, want) {
		t.Errorf("first breadcrumb %.10q, want %q: the oldest are dropped", first, want)
	}
	if got := ev.Contexts["logcrumbs"]["dropped_breadcrumbs"]; fmt.Sprint(got) != fmt.Sprint(n-len(msgs)) {
		t.Errorf("dropped_breadcrumbs = %v, want %d", got, n-len(msgs))
	}
	if b, _ := json.Marshal(rec.Sent()[0]); len(b) > 1<<20 {
		t.Errorf("event is %d bytes, over Sentry's 1 MB", len(b))
	}
}
