package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestFallbackTrailKeepsLargeErrorsBounded: errors of 1 MiB each, logged
// outside any unit of work (the process-wide fallback trail), are not all
// kept alive for capture-once: the fallback trail's captured errors are
// bounded in bytes, not only in count.
func TestFallbackTrailKeepsLargeErrorsBounded(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates on its own; memory is checked without -race")
	}
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	before := heapAfter()
	for i := range 20 {
		err := fmt.Errorf("%02d %s", i, strings.Repeat("x", 1<<20))
		l.ErrorContext(context.Background(), "failed", "err", err)
		// Capture-once still holds for the error last captured, however
		// large: logged again by another layer, it is no new event.
		l.ErrorContext(context.Background(), "handler failed", "err", fmt.Errorf("handler: %w", err))
	}
	if n := len(rec.Events()); n != 20 {
		t.Fatalf("%d events, want 20 (one for each error)", n)
	}
	rec.Reset()
	after := heapAfter()
	grown := int64(after) - int64(before)
	t.Logf("live heap grew %d KiB", grown>>10)
	if grown > 4<<20 {
		t.Errorf("20 errors of 1 MiB logged outside any unit of work left %d KiB live, want at most 4 MiB", grown>>10)
	}
}

// TestFallbackTrailKeepsARecordsErrorsTogether: the fallback trail's bound
// on its captured errors' texts forgets older captures, never the errors
// of the capture just made: a record of two large errors is one event, and
// either logged again by another layer is no new one.
func TestFallbackTrailKeepsARecordsErrorsTogether(t *testing.T) {
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	first := errors.New("upstream page: " + strings.Repeat("x", 600<<10))
	second := errors.New("fallback page: " + strings.Repeat("y", 600<<10))
	l.ErrorContext(context.Background(), "both upstreams failed", "err", first, "fallback", second)
	l.ErrorContext(context.Background(), "handler failed", "err", fmt.Errorf("handler: %w", first))
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1: the first of a record's two errors (1.2 MiB of texts together), logged again by another layer, was sent again", len(evs))
	}
}
