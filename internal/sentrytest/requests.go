package sentrytest

import (
	"testing"

	"github.com/getsentry/sentry-go"
)

// CheckRequests checks the events of a concurrency test in which each of
// requests requests logged perRequest info records with the attributes req
// (its number), g (the goroutine) and i (the record's number within its
// goroutine), and then one error with req: one event per request, carrying
// exactly its own request's records, all of them, each goroutine's in order.
func CheckRequests(tb testing.TB, events []*sentry.Event, requests, perRequest int) {
	tb.Helper()
	if len(events) != requests {
		tb.Fatalf("got %d events, want %d", len(events), requests)
	}
	seen := map[int64]bool{}
	for _, ev := range events {
		req, ok := ev.Contexts["log"]["req"].(int64)
		if !ok || seen[req] {
			tb.Fatalf("event without req, or a second event for request %d: %v", req, ev.Contexts["log"])
		}
		seen[req] = true
		if n := len(ev.Breadcrumbs); n != perRequest {
			tb.Errorf("request %d: %d breadcrumbs, want %d", req, n, perRequest)
		}
		next := map[int64]int64{}
		for _, b := range ev.Breadcrumbs {
			if got := b.Data["req"].(int64); got != req {
				tb.Fatalf("request %d's event carries a breadcrumb of request %d", req, got)
			}
			g, i := b.Data["g"].(int64), b.Data["i"].(int64)
			if i != next[g] {
				tb.Fatalf("request %d goroutine %d: breadcrumb %d out of order, want %d", req, g, i, next[g])
			}
			next[g]++
		}
	}
}
