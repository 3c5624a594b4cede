package logcrumbstest_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestEveryEventRecordedPastTheRateLimit: a batch job reporting each of its
// 150 failed items is 150 events: the Recorder's client is exempt from the
// rate limit (burst 100 by default).
func TestEveryEventRecordedPastTheRateLimit(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	for i := range 150 {
		logger.ErrorContext(ctx, "item failed", "item", i)
	}
	if n := len(rec.Events()); n != 150 {
		t.Errorf("recorded %d events, want the 150 the code sent", n)
	}
}

var errNotFound = errors.New("not found") // a sentinel of the code under test

// Two parallel tests, a Recorder each, whose code logs the same sentinel
// error without a trail in its context (a background goroutine, say): each
// must see its own event.
func TestParallelRecordersCaptureOnceApart(t *testing.T) {
	var start sync.WaitGroup
	start.Add(2)
	for _, name := range []string{"a", "b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			start.Done()
			start.Wait()
			if name == "b" {
				time.Sleep(50 * time.Millisecond)
			}
			logger.Error("lookup failed", "err", errNotFound)
			evs := rec.Filter(logcrumbstest.WithMessage("lookup failed"))
			if len(evs) != 1 {
				t.Errorf("test %s recorded %d events, want its own 1", name, len(evs))
			}
		})
	}
}

func lookupFails(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	logger.Error("lookup failed", "err", errNotFound) // no trail in the context
	if n := len(rec.Events()); n != 1 {
		t.Errorf("recorded %d events, want 1", n)
	}
}

// TestSequentialRecordersFirst and Second: capture-once on the process-wide
// fallback trail is kept per client, so the second test, with a Recorder of
// its own, records its event too (and so does a -count=2 run).
func TestSequentialRecordersFirst(t *testing.T)  { lookupFails(t) }
func TestSequentialRecordersSecond(t *testing.T) { lookupFails(t) }
