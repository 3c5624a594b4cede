package slogsentry_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestConcurrentRequests: 64 requests run side by side, each logging from 8
// goroutines at once. Every request's event carries exactly its own records,
// all of them (80 fit in the default ring of 100), each goroutine's in order.
func TestConcurrentRequests(t *testing.T) {
	const requests, goroutines, perGoroutine = 64, 8, 10
	logger, tr := newLogger(t, nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}) // every request's event, though all fail on one line
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

	sentrytest.CheckRequests(t, tr.Events(), requests, goroutines*perGoroutine)
}
