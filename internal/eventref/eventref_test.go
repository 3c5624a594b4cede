package eventref

import (
	"regexp"
	"testing"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

func TestRef(t *testing.T) {
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	a, b := New(), New()
	if !hex32.MatchString(a.ID()) || a.ID() == b.ID() {
		t.Fatalf("IDs %q, %q: want two different 32-digit hex IDs", a.ID(), b.ID())
	}
	if got := Of(a).Name(); got != a.ID() {
		t.Errorf("Name before Drop = %q", got)
	}
	a.Drop()
	if !a.Dropped() || Of(a).Name() != "" || Name(a.ID(), a) != "" {
		t.Error("a dropped event is named")
	}
	if b.Dropped() || Of(b).Name() != b.ID() {
		t.Error("dropping one event dropped another")
	}
	if a.ID() == "" {
		t.Error("Drop cleared the ID")
	}
	var none *Ref
	none.Drop()
	if none.ID() != "" || none.Dropped() || (Named{ID: "text"}).Name() != "text" {
		t.Error("no reference: want the ID known as text, never dropped")
	}
}

func TestNewAllocatesOnce(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates on its own")
	}
	if n := testing.AllocsPerRun(100, func() { _ = New().ID() }); n != 1 {
		t.Errorf("New: %v allocations, want 1 (the ID with it)", n)
	}
}
