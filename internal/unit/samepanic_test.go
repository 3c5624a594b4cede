package unit

import (
	"errors"
	"math"
	"testing"
	"time"
	"unsafe"
)

// TestSamePanicNeverPanics: samePanic compares any two panic values a
// program may recover, whatever their types (interfaces holding
// incomparable values, unexported fields, NaN, unsafe pointers, large
// arrays, values reaching themselves through a pointer): it answers, and
// never panics in a recovery.
func TestSamePanicNeverPanics(t *testing.T) {
	type inner struct {
		s  []int
		f  float64
		fn func()
	}
	type node struct {
		next *node
		v    any
	}
	cyc := &node{}
	cyc.next = cyc
	cyc.v = cyc
	big := new([1 << 16]any)
	for i := range big {
		big[i] = []int{i}
	}
	s := []int{1, 2}
	m := map[string]int{}
	fn := func() {}
	var x int
	ch := make(chan int)
	for _, c := range []struct {
		name string
		a, b any
		same bool
	}{
		{"nil and nil", nil, nil, true},
		{"nil and a value", nil, []int{1}, false},
		{"a value and nil", struct{ s []int }{}, nil, false},
		{"one slice", s, s, true},
		{"a slice's prefix", s, s[:1], false},
		{"two slices", []int{1}, []int{1}, false},
		{"one map", m, m, true},
		{"one func", fn, fn, true},
		{"unexported fields", inner{s: s, f: math.NaN(), fn: fn}, inner{s: s, f: math.NaN(), fn: fn}, true},
		{"unexported fields differing", inner{s: s, f: 1}, inner{s: s, f: 2}, false},
		{"interface holding a slice", struct{ v any }{s}, struct{ v any }{s}, true},
		{"interfaces holding different types", struct{ v any }{s}, struct{ v any }{m}, false},
		{"nil and non-nil interface", struct{ v any }{nil}, struct{ v any }{s}, false},
		{"an error in an array", [2]any{errors.New("a"), s}, [2]any{errors.New("a"), s}, false},
		{"one chan", struct {
			c chan int
			s []int
		}{ch, s}, struct {
			c chan int
			s []int
		}{ch, s}, true},
		{"unsafe pointer", struct {
			p unsafe.Pointer
			s []int
		}{unsafe.Pointer(&x), s}, struct {
			p unsafe.Pointer
			s []int
		}{unsafe.Pointer(&x), s}, true},
		{"cyclic through pointers", *cyc, *cyc, true},
		{"large array copied", *big, *big, true},
		{"NaN and a number", math.NaN(), 1.0, false},
		{"-0 and 0", math.Copysign(0, -1), 0.0, true},
		{"float32 NaN", float32(math.NaN()), float32(math.NaN()), true},
		{"different types", 1, int64(1), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := samePanic(c.a, c.b); got != c.same {
				t.Errorf("samePanic(%v, %v) = %v, want %v", c.a, c.b, got, c.same)
			}
		})
	}
}

// withUndo is a panic value holding a closure: an incomparable struct.
type withUndo struct{ undo func() int }

//go:noinline
func undoOf(n int) withUndo { return withUndo{undo: func() int { return n }} }

// TestSamePanicTellsClosuresApart is a judgement call left open: reflect
// gives a func's code pointer, not its closure's, so two panic values
// holding closures of one function literal over different variables are
// taken for one panic, and the second, going on up through a unit that
// reported the first, is no event. Telling them apart needs the closure's
// address, through unsafe on a value reflect reached through unexported
// fields; taking every func for another would report the one panic twice
// each time it goes on up through a nested unit. Panic values holding
// funcs are rare enough that the simpler answer stays.
func TestSamePanicTellsClosuresApart(t *testing.T) {
	t.Skip("judgement call: closures of one function literal in a panic value are taken for one (see the comment)")
	if samePanic(undoOf(1), undoOf(2)) {
		t.Error("two panics holding closures of one literal over different values taken for one")
	}
}

// TestSamePanicOfHugeValuesCostsAComparison: two different panic values
// of one comparable type that cannot hold a NaN (a large array of ints, a
// struct of strings) are told apart by ==, as before NaN was looked for:
// not by a walk of their every element through reflect, ten times its
// cost on a 32 MiB array. The best of a few runs of each, against a
// bound well above their noise.
func TestSamePanicOfHugeValuesCostsAComparison(t *testing.T) {
	a, b := new([1 << 22]int), new([1 << 22]int)
	b[len(b)-1] = 1
	va, vb := any(*a), any(*b)
	best := func(f func()) time.Duration {
		d := time.Duration(math.MaxInt64)
		for range 5 {
			t0 := time.Now()
			f()
			d = min(d, time.Since(t0))
		}
		return d
	}
	var same bool
	eq := best(func() { same = va == vb })
	sp := best(func() { same = samePanic(va, vb) })
	if same {
		t.Fatal("two different arrays taken for one panic")
	}
	if sp > 4*eq+time.Millisecond {
		t.Errorf("samePanic of two different [%d]int took %v, == %v: want about the comparison's cost", len(a), sp, eq)
	}
}
