package unit

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
)

// TestMarkerKeysOrdered: marker keys are of one length, told from other
// contexts, and order as their bind numbers do, so that the greatest is
// the unit bound last.
func TestMarkerKeysOrdered(t *testing.T) {
	var a, b, c Unit
	ka, kb, kc := a.markKey(9), b.markKey(0x10), c.markKey(1<<40)
	for _, k := range []string{ka, kb, kc} {
		if !isMarker(k) || !strings.HasPrefix(k, unitMarker+".") {
			t.Errorf("%q is not a marker", k)
		}
	}
	if !(ka < kb && kb < kc) {
		t.Errorf("keys %q, %q, %q do not order as 9 < 16 < 1<<40", ka, kb, kc)
	}
	for _, k := range []string{unitMarker, "trace", unitMarker + ".x", strings.Repeat("a", markerLen)} {
		if isMarker(k) {
			t.Errorf("%q taken for a marker", k)
		}
	}
}

// TestMarkerOwnerIsLastBound: an event captured through a hub is claimed
// by the unit bound to it last, on the hub and on a clone a second unit
// binds, not by the units whose processors the clone inherited; it leaves
// the units' processors with no marker in its contexts. After the scope is
// cleared (no marker), every unit acts, as before.
func TestMarkerOwnerIsLastBound(t *testing.T) {
	hub := sentry.NewHub(nil, sentry.NewScope())
	_, first := Bind(context.Background(), hub, nil, nil, false)
	clone := hub.Clone()
	_, second := Bind(context.Background(), clone, nil, nil, false)
	_, third := Bind(context.Background(), clone, nil, nil, false)

	capture := func(h *sentry.Hub, id string) {
		t.Helper()
		err := errors.New("by hand " + id)
		ev := &sentry.Event{EventID: sentry.EventID(id)}
		ev = h.Scope().ApplyToEvent(ev, &sentry.EventHint{OriginalException: err}, nil)
		if ev == nil {
			t.Fatalf("event %s dropped", id)
		}
		for k := range ev.Contexts {
			if strings.HasPrefix(k, unitMarker) {
				t.Errorf("event %s keeps the marker %q", id, k)
			}
		}
	}
	capture(hub, "a")
	capture(clone, "b")
	if got := first.Trail().LastEvent(); got != "a" {
		t.Errorf("the hub's unit noted %q, want a", got)
	}
	if got := second.Trail().LastEvent(); got != "" {
		t.Errorf("the unit bound to the clone first noted %q, want nothing: it was bound over", got)
	}
	if got := third.Trail().LastEvent(); got != "b" {
		t.Errorf("the clone's last unit noted %q, want b", got)
	}

	clone.Scope().Clear()
	capture(clone, "c")
	for i, u := range []*Unit{first, second, third} {
		if got := u.Trail().LastEvent(); got != "c" {
			t.Errorf("unit %d noted %q after the scope was cleared, want c (every unit acts)", i+1, got)
		}
	}
}

// TestManyMarkersOwnerIsLastBound: past smallMarkers, the units before
// the owner leave the event a map of its own contexts with the owner's
// marker only; the owner still claims the event, the others do not, and
// no marker is left on it.
func TestManyMarkersOwnerIsLastBound(t *testing.T) {
	hub := sentry.NewHub(nil, sentry.NewScope())
	hub.Scope().SetContext("app", sentry.Context{"k": "v"})
	var units []*Unit
	for range 3 * smallMarkers {
		_, u := Bind(context.Background(), hub, nil, nil, false)
		units = append(units, u)
	}
	ev := &sentry.Event{EventID: "e"}
	ev = hub.Scope().ApplyToEvent(ev, &sentry.EventHint{OriginalException: errors.New("by hand")}, nil)
	if ev == nil {
		t.Fatal("the event was dropped")
	}
	for k := range ev.Contexts {
		if strings.HasPrefix(k, unitMarker) {
			t.Errorf("the event keeps the marker %q", k)
		}
	}
	if ev.Contexts["app"]["k"] != "v" {
		t.Errorf("the event lost the scope's own context: %v", ev.Contexts)
	}
	for i, u := range units {
		want := ""
		if i == len(units)-1 {
			want = "e"
		}
		if got := u.Trail().LastEvent(); got != want {
			t.Errorf("unit %d of %d noted %q, want %q", i+1, len(units), got, want)
		}
	}
}

// TestManyMarkersLeaveNoneInTheGivenMap: an event captured with contexts
// of the program's (a map it may use again) keeps no marker in that map,
// with few markers or many.
func TestManyMarkersLeaveNoneInTheGivenMap(t *testing.T) {
	for _, binds := range []int{1, 3 * smallMarkers} {
		hub := sentry.NewHub(nil, sentry.NewScope())
		for range binds {
			Bind(context.Background(), hub, nil, nil, false)
		}
		given := map[string]sentry.Context{"app": {"k": "v"}}
		if hub.Scope().ApplyToEvent(&sentry.Event{Contexts: given}, nil, nil) == nil {
			t.Fatal("the event was dropped")
		}
		for k := range given {
			if strings.HasPrefix(k, unitMarker) {
				t.Errorf("%d binds: the program's map keeps the marker %q", binds, k)
			}
		}
	}
}
