package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// TestRebindEventCostLinear: a hub bound again and again (Bind's misuse: a
// program binding one long-lived hub per request) keeps every unit's
// processor and marker, so an event through it passes them all; what it
// costs must grow with the binds, not with their square. Each unit's
// processor looked through all the event's contexts, one marker per bind,
// for the greatest: 4000 binds made 16 million comparisons, a quarter of a
// second an event (with one marker key overwritten, 50µs).
func TestRebindEventCostLinear(t *testing.T) {
	// Against the same pass through a scope with as many contexts and
	// processors that do nothing: sentry-go's own copy of the contexts into
	// the event grows worse than linearly with its size (cache misses), so
	// neither a fixed time (100ms failed under load) nor a ratio of two
	// sizes is a test of ours. Against the baseline, linear work measured
	// 2x to 12x it, with or without the race detector (the processors' own
	// work, on a loaded machine), and the square of 2000 binds (4 million
	// comparisons) 670x.
	const binds = 2000
	ours, base := eventCostAfterBinds(t, binds), eventCostBaseline(binds)
	if ratio := float64(ours) / float64(base); ratio > 50 {
		t.Errorf("an event through a hub bound %d times took %v, %.0fx the same scope's pass with %d contexts and processors that do nothing (%v): want a few times (linear in the binds)", binds, ours, ratio, binds, base)
	}
}

// eventCostBaseline is eventCostAfterBinds for a scope with n contexts, of
// keys as long as a unit's marker, and n processors that do nothing.
func eventCostBaseline(n int) time.Duration {
	scope := sentry.NewScope()
	for i := range n {
		scope.SetContext(fmt.Sprintf("other.contexts.%016x", i), nil)
		scope.AddEventProcessor(func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event { return ev })
	}
	best := time.Duration(1 << 62)
	for range 5 {
		start := time.Now()
		scope.ApplyToEvent(&sentry.Event{}, &sentry.EventHint{OriginalException: errors.New("by hand")}, nil)
		best = min(best, time.Since(start))
	}
	return best
}

// eventCostAfterBinds binds a new hub binds times and returns the best of
// five times of an event's pass through its scope, checking that no unit
// marker leaves the process.
func eventCostAfterBinds(t *testing.T, binds int) time.Duration {
	t.Helper()
	hub := sentry.NewHub(nil, sentry.NewScope())
	for range binds {
		logcrumbs.Bind(context.Background(), hub)
	}
	best := time.Duration(1 << 62)
	for range 5 {
		start := time.Now()
		ev := hub.Scope().ApplyToEvent(&sentry.Event{}, &sentry.EventHint{OriginalException: errors.New("by hand")}, nil)
		best = min(best, time.Since(start))
		if ev == nil {
			t.Fatal("the event was dropped")
		}
		for k := range ev.Contexts {
			if len(k) >= len("logcrumbs.unit") && k[:len("logcrumbs.unit")] == "logcrumbs.unit" {
				t.Fatalf("a unit marker left the process: %q", k)
			}
		}
	}
	return best
}
