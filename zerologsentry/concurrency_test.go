package zerologsentry_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestConcurrentRequestLoggers: two and more requests through one base
// logger, the case the existing zerolog bridges fail: 64 request loggers,
// each used by 8 goroutines at once. Every event carries exactly its own
// request's records, all of them, each goroutine's in order.
func TestConcurrentRequestLoggers(t *testing.T) {
	const requests, goroutines, perGoroutine = 64, 8, 10
	base, tr := newLogger(t, zerologsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}, nil) // every request's event
	var wg sync.WaitGroup
	for r := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, log := zerologsentry.WithContext(context.Background(), base.With().Int("req", r).Logger())
			var inner sync.WaitGroup
			for g := range goroutines {
				inner.Add(1)
				go func() {
					defer inner.Done()
					for i := range perGoroutine {
						log.Info().Int("g", g).Int("i", i).Msg("step")
					}
				}()
			}
			inner.Wait()
			log.Error().Err(errors.New("boom")).Msg("failed")
		}()
	}
	wg.Wait()
	sentrytest.CheckRequests(t, tr.Events(), requests, goroutines*perGoroutine)
}
