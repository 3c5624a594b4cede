package zapsentry_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestConcurrentRequestLoggers: 64 request-scoped loggers made from one base
// logger, each used by 8 goroutines at once. Every event carries exactly its
// own request's entries, all of them, each goroutine's in order.
func TestConcurrentRequestLoggers(t *testing.T) {
	const requests, goroutines, perGoroutine = 64, 8, 10
	base, tr := newLogger(t, zapsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}, nil) // every request's event
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

	sentrytest.CheckRequests(t, tr.Events(), requests, goroutines*perGoroutine)
}
