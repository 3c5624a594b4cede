package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestBindNilHub: Bind(ctx, sentry.GetHubFromContext(ctx)) on a context
// that carries no hub hands Bind nil. Bind must not panic in the caller
// (logcrumbs never panics into the program): the context gets a trail of
// its own, whose records the integration's events carry.
func TestBindNilHub(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	var ctx context.Context
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Bind with a nil hub panicked: %v", p)
			}
		}()
		ctx = logcrumbs.Bind(context.Background(), sentry.GetHubFromContext(context.Background()))
	}()
	if logcrumbs.FromContext(ctx) == nil {
		t.Fatal("Bind with a nil hub gave the context no trail")
	}
	logger.InfoContext(ctx, "step")
	logger.ErrorContext(ctx, "failed", "err", errors.New("boom"))
	if got := messages(rec.OnlyEvent()); got != "step" {
		t.Errorf("breadcrumbs %q, want %q", got, "step")
	}
}
