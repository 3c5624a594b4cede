package slogsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
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

// TestRepeatAllocsAsBareLogger holds the error-storm promise (issue 20): a
// request that logs the same error value from one call site over and over
// sends one event, and every later record, which capture-once skips (and
// counts as a repeat, and keeps as an error breadcrumb), allocates nothing
// beyond what the bare JSON handler allocates for the same call: nothing.
// It allocated 7 times (the error chains and their texts, a new event ID,
// the errors' slice, the copy of the error's text into the breadcrumb).
func TestRepeatAllocsAsBareLogger(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	err := fmt.Errorf("charge order 42: %w", errors.New("card declined by the issuing bank"))
	measure := func(logger *slog.Logger, ctx context.Context) float64 {
		logOnce := func() {
			logger.ErrorContext(ctx, "charge failed", "err", err, "path", "/orders/42", "status", 502, "took", 3*time.Millisecond)
		}
		for range 2 * logcrumbs.DefaultCapacity {
			logOnce()
		}
		return testing.AllocsPerRun(1000, logOnce)
	}
	bare := measure(slog.New(slog.NewJSONHandler(io.Discard, nil)), context.Background())

	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	logger := slog.New(slogsentry.NewHandler(slog.NewJSONHandler(io.Discard, nil), slogsentry.Options{Options: rec.Options()}))
	got := measure(logger, ctx)
	if n := len(rec.Events()); n != 1 {
		t.Fatalf("%d events sent, want 1: the records after the first are repeats", n)
	}
	if got > bare {
		t.Errorf("a skipped repeat allocates %.1f times, the bare handler %.1f: want no more", got, bare)
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
