package expslog_test

import (
	"context"
	"errors"
	"testing"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

// TestZeroHandlerDoesNotPanic: a Handler not made by NewHandler must not
// take the program's logging down: it does nothing, as the zero
// slogsentry.Handler does, through With and WithGroup too.
func TestZeroHandlerDoesNotPanic(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("the zero Handler panicked: %v", p)
		}
	}()
	l := xslog.New(&expslog.Handler{}).With("k", "v").WithGroup("g")
	l.InfoContext(ctx, "step")
	l.ErrorContext(ctx, "failed", "err", errors.New("boom"))
	if n := len(rec.Events()); n != 0 {
		t.Errorf("%d events, want none from a Handler that has no options", n)
	}
}
