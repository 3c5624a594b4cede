package buffer

import (
	"math"
	"testing"
)

// TestSlotOfByKind holds slotOf, a table by kind, to the switch it
// replaced, for every kind and numbers that box free, not, and floats
// that are not finite: newSlabFor's count of slab elements must be what
// value takes.
func TestSlotOfByKind(t *testing.T) {
	want := func(a *Attr) slotKind {
		switch a.Kind {
		case KindString, KindError, KindPanic:
			return slotString
		case KindDuration, KindTime:
			return slotRendered
		case KindFloat64:
			if _, ok := nonFinite(math.Float64frombits(a.num)); ok {
				return slotNone
			}
			fallthrough
		case KindInt64, KindUint64:
			if !boxesFree(a.num) {
				return slotNumber
			}
		}
		return slotNone
	}
	nums := []uint64{0, 1, 255, 256, 1 << 40, math.MaxUint64, math.Float64bits(1.5), math.Float64bits(math.NaN()),
		math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1))}
	for k := range kindCount {
		for _, n := range nums {
			a := Attr{Kind: k, num: n}
			if got, want := slotOf(&a), want(&a); got != want {
				t.Errorf("kind %d, num %#x: slot %d, want %d", k, n, got, want)
			}
		}
	}
}
