package zapsentry_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestConcurrentRequestLoggers: 64 request-scoped loggers made from one base
// logger, each used by 8 goroutines at once. Every event carries exactly its
// own request's entries, all of them, each goroutine's in order.
func TestConcurrentRequestLoggers(t *testing.T) {
	const requests, goroutines, perGoroutine = 64, 8, 10
	base, tr := newLogger(t, zapsentry.Options{}, nil)
	var wg sync.WaitGroup
	for r := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, log := zapsentry.WithContext(context.Background(), base.With(zap.Int("req", r)))
			var inner sync.WaitGroup
			for g := range goroutines {
				inner.Add(1)
				go func() {
					defer inner.Done()
					for i := range perGoroutine {
						log.Info("step", zap.Int("g", g), zap.Int("i", i))
					}
				}()
			}
			inner.Wait()
			log.Error("failed", zap.Error(errors.New("boom")))
		}()
	}
	wg.Wait()

	events := tr.Events()
	if len(events) != requests {
		t.Fatalf("got %d events, want %d", len(events), requests)
	}
	seen := map[int64]bool{}
	for _, ev := range events {
		req := ev.Contexts["log"]["req"].(int64)
		if seen[req] {
			t.Fatalf("two events for request %d", req)
		}
		seen[req] = true
		if n := len(ev.Breadcrumbs); n != goroutines*perGoroutine {
			t.Errorf("request %d: %d breadcrumbs, want %d", req, n, goroutines*perGoroutine)
		}
		next := map[int64]int64{}
		for _, b := range ev.Breadcrumbs {
			if got := b.Data["req"].(int64); got != req {
				t.Fatalf("request %d's event carries a breadcrumb of request %d", req, got)
			}
			g, i := b.Data["g"].(int64), b.Data["i"].(int64)
			if i != next[g] {
				t.Fatalf("request %d goroutine %d: breadcrumb %d after %d", req, g, i, next[g]-1)
			}
			next[g]++
		}
	}
}
