package slogsentry_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestZeroHandlerDoesNotPanic: a Handler not made by NewHandler
// (slog.New(&slogsentry.Handler{}), a newcomer's guess) must not take the
// program's logging down: it does nothing, as the zero zerolog and logrus
// hooks do, at every level and through WithAttrs and WithGroup, whether
// slog.Logger calls it or a handler that calls Handle without asking
// Enabled.
func TestZeroHandlerDoesNotPanic(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("the zero Handler panicked: %v", p)
		}
	}()
	var h slog.Handler = &slogsentry.Handler{}
	l := slog.New(h).With("k", "v").WithGroup("g")
	l.InfoContext(ctx, "step")
	l.ErrorContext(ctx, "failed", "err", errors.New("boom"))
	if h.Enabled(ctx, slog.LevelError) {
		t.Error("the zero Handler is enabled for errors, want it to do nothing")
	}
	r := slog.NewRecord(time.Now(), slog.LevelError, "direct", 0)
	if err := h.WithAttrs([]slog.Attr{slog.String("a", "b")}).WithGroup("x").Handle(ctx, r); err != nil {
		t.Errorf("Handle: %v", err)
	}
	if n := len(rec.Events()); n != 0 {
		t.Errorf("%d events, want none from a Handler that has no options", n)
	}
}
