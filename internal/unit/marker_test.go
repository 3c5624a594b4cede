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
