package slogsentry_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestConcurrentRequests: 64 requests run side by side, each logging from 8
// goroutines at once. Every request's event carries exactly its own records,
// all of them (80 fit in the default ring of 100), each goroutine's in order.
func TestConcurrentRequests(t *testing.T) {
	const requests, goroutines, perGoroutine = 64, 8, 10
	logger, tr := newLogger(t, nil, slogsentry.Options{})
	var wg sync.WaitGroup
	for r := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := logcrumbs.NewContext(context.Background())
			var inner sync.WaitGroup
			for g := range goroutines {
				inner.Add(1)
				go func() {
					defer inner.Done()
					for i := range perGoroutine {
						logger.InfoContext(ctx, "step", "req", r, "g", g, "i", i)
					}
				}()
			}
			inner.Wait()
			logger.ErrorContext(ctx, "failed", "req", r, "err", errors.New("boom"))
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
				t.Fatalf("request %d goroutine %d: breadcrumb %d out of order, want %d", req, g, i, next[g])
			}
			next[g]++
		}
	}
}
