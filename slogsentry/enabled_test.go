package slogsentry_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestEnabledLevels pins Enabled for every mix of fixed levels and
// slog.LevelVars: true where logcrumbs keeps or sends the level (at or
// above the lowest of BreadcrumbLevel, EventLevel and LogsLevel) or the
// wrapped handler is enabled, as the levels stand at each call. Enabled
// answers fixed levels with a comparison and asks the levels otherwise;
// both must agree with this.
func TestEnabledLevels(t *testing.T) {
	ctx := context.Background()
	lv := func(l slog.Level) *slog.LevelVar { v := new(slog.LevelVar); v.Set(l); return v }
	for _, tc := range []struct {
		name   string
		opts   slogsentry.Options
		next   slog.Handler
		lowest slog.Level // lowest level wanted by logcrumbs or next
	}{
		{name: "defaults", lowest: slog.LevelDebug},
		{name: "fixed", opts: slogsentry.Options{BreadcrumbLevel: slog.LevelWarn, EventLevel: slog.LevelError}, lowest: slog.LevelWarn},
		{name: "event below breadcrumb", opts: slogsentry.Options{BreadcrumbLevel: slog.LevelError + 4, EventLevel: slog.LevelWarn}, lowest: slog.LevelWarn},
		{name: "fixed logs lowest", opts: slogsentry.Options{BreadcrumbLevel: slog.LevelWarn, LogsLevel: slog.LevelDebug - 4}, lowest: slog.LevelDebug - 4},
		{name: "fixed logs above", opts: slogsentry.Options{BreadcrumbLevel: slog.LevelInfo, LogsLevel: slog.LevelError}, lowest: slog.LevelInfo},
		{name: "wrapped lower", opts: slogsentry.Options{BreadcrumbLevel: slog.LevelError}, next: slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}), lowest: slog.LevelInfo},
		{name: "wrapped higher", opts: slogsentry.Options{BreadcrumbLevel: slog.LevelInfo}, next: slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}), lowest: slog.LevelInfo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, ctx, slogsentry.NewHandler(tc.next, tc.opts), tc.lowest)
		})
	}

	// LevelVars are read at each call.
	t.Run("dynamic breadcrumb", func(t *testing.T) {
		v := lv(slog.LevelWarn)
		h := slogsentry.NewHandler(nil, slogsentry.Options{BreadcrumbLevel: v})
		check(t, ctx, h, slog.LevelWarn)
		v.Set(slog.LevelDebug)
		check(t, ctx, h, slog.LevelDebug)
	})
	t.Run("dynamic event", func(t *testing.T) {
		v := lv(slog.LevelError)
		h := slogsentry.NewHandler(nil, slogsentry.Options{BreadcrumbLevel: slog.LevelError + 4, EventLevel: v})
		check(t, ctx, h, slog.LevelError)
		v.Set(slog.LevelInfo)
		check(t, ctx, h, slog.LevelInfo)
	})
	t.Run("dynamic logs beside fixed levels", func(t *testing.T) {
		v := lv(slog.LevelError + 4)
		h := slogsentry.NewHandler(nil, slogsentry.Options{BreadcrumbLevel: slog.LevelWarn, LogsLevel: v})
		check(t, ctx, h, slog.LevelWarn)
		v.Set(slog.LevelDebug)
		check(t, ctx, h, slog.LevelDebug)
	})
	t.Run("fixed logs beside dynamic levels", func(t *testing.T) {
		v := lv(slog.LevelError)
		h := slogsentry.NewHandler(nil, slogsentry.Options{BreadcrumbLevel: v, LogsLevel: slog.LevelInfo})
		check(t, ctx, h, slog.LevelInfo)
		v.Set(slog.LevelDebug)
		check(t, ctx, h, slog.LevelDebug)
	})
	t.Run("dynamic breadcrumb with a wrapped handler", func(t *testing.T) {
		v := lv(slog.LevelWarn)
		next := slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError})
		h := slogsentry.NewHandler(next, slogsentry.Options{BreadcrumbLevel: v})
		check(t, ctx, h, slog.LevelWarn)
		v.Set(slog.LevelDebug)
		check(t, ctx, h, slog.LevelDebug)
	})
	t.Run("derived handlers with a wrapped handler", func(t *testing.T) {
		next := slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError})
		h := slogsentry.NewHandler(next, slogsentry.Options{BreadcrumbLevel: slog.LevelWarn}).WithAttrs([]slog.Attr{slog.Int("a", 1)}).WithGroup("g")
		check(t, ctx, h, slog.LevelWarn)
	})
	t.Run("derived handlers", func(t *testing.T) {
		v := lv(slog.LevelWarn)
		h := slogsentry.NewHandler(nil, slogsentry.Options{BreadcrumbLevel: v}).WithAttrs([]slog.Attr{slog.Int("a", 1)}).WithGroup("g")
		check(t, ctx, h, slog.LevelWarn)
		v.Set(slog.LevelInfo)
		check(t, ctx, h, slog.LevelInfo)
	})
}

func check(t *testing.T, ctx context.Context, h slog.Handler, lowest slog.Level) {
	t.Helper()
	for l := slog.LevelDebug - 8; l <= slog.LevelError+8; l++ {
		if got, want := h.Enabled(ctx, l), l >= lowest; got != want {
			t.Errorf("Enabled(%v) = %v, want %v (lowest level wanted %v)", l, got, want, lowest)
		}
	}
}
