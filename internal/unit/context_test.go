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

// otherEmptyKey is an empty struct key type of someone else's: a context
// told keys by their types must not take it for one of its own.
type otherEmptyKey struct{}

// stringKey is a key whose values are strings.
type stringKey string

// TestContextValueByKey pins what the unit's context answers for each key:
// the unit, its trail and its hub for their keys (told apart by type, or
// by value for sentry-go's hub key), and the parent's value for every
// other key: another empty struct type's, another value of sentry-go's
// key type (RequestContextKey), a string type's, nil.
func TestContextValueByKey(t *testing.T) {
	parent := context.WithValue(context.Background(), sentry.RequestContextKey, "request")
	parent = context.WithValue(parent, otherEmptyKey{}, "other")
	parent = context.WithValue(parent, stringKey("key"), "string")
	hub := sentry.NewHub(nil, sentry.NewScope())
	for _, given := range []*buffer.Trail{nil, buffer.NewTrail(7)} {
		ctx, u := Bind(parent, hub, given, nil, false)
		for _, c := range []struct {
			key, want any
		}{
			{unitKey{}, u},
			{buffer.ContextKey{}, u.Trail()},
			{sentry.HubContextKey, hub},
			{sentry.RequestContextKey, "request"},
			{otherEmptyKey{}, "other"},
			{stringKey("key"), "string"},
			{parentKey{}, nil},
			{nil, nil},
		} {
			if got := ctx.Value(c.key); got != c.want {
				t.Errorf("trail given %v: Value(%#v) = %v, want %v", given != nil, c.key, got, c.want)
			}
		}
	}
}

// sink keeps BenchmarkContextValue's answers alive.
var sink any

// BenchmarkContextValue: a unit context's answer for each key; the trail's
// is asked on every breadcrumb logged under Middleware or RunJob.
func BenchmarkContextValue(b *testing.B) {
	ctx, _ := Bind(context.Background(), sentry.NewHub(nil, sentry.NewScope()), nil, nil, false)
	for _, k := range []struct {
		name string
		key  any
	}{
		{"trail", buffer.ContextKey{}},
		{"unit", unitKey{}},
		{"hub", sentry.HubContextKey},
		{"other", parentKey{}},
	} {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				sink = ctx.Value(k.key)
			}
		})
	}
}
