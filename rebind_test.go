package logcrumbs_test

import (
	"context"
	"errors"
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
	hub := sentry.NewHub(nil, sentry.NewScope())
	const binds = 4000
	for range binds {
		logcrumbs.Bind(context.Background(), hub)
	}
	best := time.Duration(1 << 62)
	for range 2 {
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
	if best > 100*time.Millisecond {
		t.Errorf("an event through a hub bound %d times took %v, want well under 100ms (linear in the binds)", binds, best)
	}
}
