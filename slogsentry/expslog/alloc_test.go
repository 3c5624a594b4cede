package expslog_test

import (
	"context"
	"io"
	"testing"
	"time"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

// TestBreadcrumbAllocatesNothing: as through log/slog, once a trail's
// storage has been used, keeping an info record of up to five typed
// attributes, without groups, through a handler with WithAttrs and
// WithGroup state, allocates nothing; copying the x/exp record costs
// nothing then. (More attributes, or a group, cost an allocation each, as
// the package doc says.)
func TestBreadcrumbAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	for _, tc := range []struct {
		name string
		next xslog.Handler
	}{
		{"standalone", nil},
		{"teed-json", xslog.NewJSONHandler(io.Discard, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logger := xslog.New(expslog.NewHandler(tc.next, slogsentry.Options{})).With("svc", "api").WithGroup("req")
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
		h    xslog.Handler
	}{
		{"json", xslog.NewJSONHandler(io.Discard, nil)},
		{"logcrumbs", expslog.NewHandler(nil, slogsentry.Options{})},
		{"json+logcrumbs", expslog.NewHandler(xslog.NewJSONHandler(io.Discard, nil), slogsentry.Options{})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			logger := xslog.New(tc.h)
			ctx := logcrumbs.NewContext(context.Background())
			b.ReportAllocs()
			for b.Loop() {
				logger.InfoContext(ctx, "request served", "path", "/users/42", "status", 200, "took", 3*time.Millisecond, "cached", false)
			}
		})
	}
}
