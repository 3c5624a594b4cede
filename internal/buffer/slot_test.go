package buffer

import (
	"math"
	"testing"
)

// TestSlabNeedsByKind holds newSlabFor's count (kindNeeds, a table by
// kind) to a switch on the kind, for every kind and numbers that box
// free, not, and floats that are not finite: the slab's elements must be
// what value takes; and its flat, what Record.flat says of each kind.
func TestSlabNeedsByKind(t *testing.T) {
	// want returns the string elements, number elements and rendered
	// bytes of a.
	want := func(a *Attr) (strs, nums, room int) {
		switch a.Kind {
		case KindString, KindError, KindPanic:
			return 1, 0, 0
		case KindDuration:
			return 1, 0, 16
		case KindTime:
			return 1, 0, maxRenderedBytes
		case KindFloat64:
			if _, ok := nonFinite(math.Float64frombits(a.num)); ok {
				return 0, 0, 0
			}
			fallthrough
		case KindInt64, KindUint64:
			if !boxesFree(a.num) {
				return 0, 1, 0
			}
		}
		return 0, 0, 0
	}
	nums := []uint64{0, 1, 255, 256, 1 << 40, math.MaxUint64, math.Float64bits(1.5), math.Float64bits(math.NaN()),
		math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1)), math.Float64bits(-math.MaxFloat64),
		0x7ff0000000000001, 0xfff8000000000000}
	for k := range kindCount {
		for _, n := range nums {
			a := Attr{Kind: k, num: n}
			r := &Record{attrs: []Attr{a, a}, data: []byte("text")}
			s, _, flat := newSlabFor([]*Record{r, r})
			if flat != r.flat() {
				t.Errorf("kind %d: newSlabFor's flat %v, Record.flat %v", k, flat, r.flat())
			}
			ws, wn, wr := want(&a)
			if len(s.strs) != 4*ws || len(s.nums) != 4*wn || cap(s.rend) != 4*wr {
				t.Errorf("kind %d, num %#x: %d strings, %d numbers, %d bytes; want %d, %d, %d",
					k, n, len(s.strs), len(s.nums), cap(s.rend), 4*ws, 4*wn, 4*wr)
			}
		}
	}
}
