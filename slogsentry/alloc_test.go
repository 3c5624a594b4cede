package slogsentry_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestBreadcrumbAllocatesNothing holds the hot-path promise: once a trail's
// storage has been used, keeping an info record with typed attributes, through
// a handler with WithAttrs and WithGroup state, allocates nothing.
func TestBreadcrumbAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	for _, tc := range []struct {
		name string
		next slog.Handler
	}{
		{"standalone", nil},
		{"teed-json", slog.NewJSONHandler(io.Discard, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logger := slog.New(slogsentry.NewHandler(tc.next, slogsentry.Options{})).With("svc", "api").WithGroup("req")
			ctx := logcrumbs.NewContext(context.Background())
			logOnce := func() {
				logger.InfoContext(ctx, "request served", "path", "/users/42", "status", 200, "took", 3*time.Millisecond, "cached", false)
			}
			for range 2 * logcrumbs.DefaultCapacity {
				logOnce()
			}
			if n := testing.AllocsPerRun(1000, logOnce); n != 0 {
				t.Fatalf("breadcrumb path allocates %.1f times per record, want 0", n)
			}
		})
	}
}

func BenchmarkBreadcrumb(b *testing.B) {
	for _, tc := range []struct {
		name string
		h    slog.Handler
	}{
		{"discard", slog.DiscardHandler},
		{"logcrumbs", slogsentry.NewHandler(nil, slogsentry.Options{})},
		{"json", slog.NewJSONHandler(io.Discard, nil)},
		{"json+logcrumbs", slogsentry.NewHandler(slog.NewJSONHandler(io.Discard, nil), slogsentry.Options{})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			logger := slog.New(tc.h)
			ctx := logcrumbs.NewContext(context.Background())
			b.ReportAllocs()
			for b.Loop() {
				logger.InfoContext(ctx, "request served", "path", "/users/42", "status", 200, "took", 3*time.Millisecond, "cached", false)
			}
		})
	}
}
