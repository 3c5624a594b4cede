package unit

import (
	"context"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

type parentKey struct{}

// TestContextCarriesUnit: the context Bind returns answers the unit's,
// trail's and hub's keys as the context.WithValue it replaces did, passes
// other keys and cancellation to its parent, and prints as WithValue does.
func TestContextCarriesUnit(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), parentKey{}, "p"))
	hub := sentry.NewHub(nil, sentry.NewScope())
	for _, given := range []*buffer.Trail{nil, buffer.NewTrail(7)} {
		ctx, u := Bind(parent, hub, given, nil, false)
		if given != nil && u.Trail() != given {
			t.Errorf("trail %p, want the one given, %p", u.Trail(), given)
		}
		if u.Trail() == nil || buffer.FromContext(ctx) != u.Trail() || UnitTrail(ctx) != u.Trail() {
			t.Errorf("trail: FromContext %p, UnitTrail %p, unit's %p", buffer.FromContext(ctx), UnitTrail(ctx), u.Trail())
		}
		if sentry.GetHubFromContext(ctx) != hub || HubOf(ctx) != hub || Of(ctx) != u || !Bound(ctx, hub) {
			t.Error("the hub or the unit is not the context's")
		}
		if ctx.Value(parentKey{}) != "p" {
			t.Error("the parent's value is lost")
		}
		if s := ctx.(interface{ String() string }).String(); !strings.HasSuffix(s, ".WithValue(unit.unitKey, *unit.Unit)") || !strings.Contains(s, "WithCancel") {
			t.Errorf("String() = %q", s)
		}
	}
	ctx, _ := Bind(parent, hub, nil, nil, false)
	cancel()
	if ctx.Err() != context.Canceled {
		t.Errorf("Err() = %v after the parent's cancel", ctx.Err())
	}
}
