package render

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

type textPoint struct {
	X, Y int
	Tags []string
	next *textPoint
}

type textStringer struct{ self any }

func (textStringer) String() string { return "stringer" }

// TestTextAsFmt: Text prints what fmt prints, for values fmt can print.
func TestTextAsFmt(t *testing.T) {
	p := &textPoint{X: 1, Y: 2, Tags: []string{"a"}}
	p.next = p // a pointer below the top: fmt prints its address
	shared := []any{1, 2}
	for _, x := range []any{
		nil, "text", 17, errors.New("boom"), p, *p, []any{1, "a", nil},
		map[string]any{"a": []any{1, map[int]bool{2: true}}, "b": shared, "c": shared},
		[3]textPoint{}, textStringer{}, struct{ S fmt.Stringer }{textStringer{}},
	} {
		if got, want := Text(x), fmt.Sprint(x); got != want {
			t.Errorf("Text(%T) = %q, want %q", x, got, want)
		}
	}
}

// TestTextOfValuesThatHoldThemselves: a map, slice or interface that holds
// itself is named, not printed (fmt's printing of it overflows the stack,
// a fatal error); a Stringer that holds itself prints by its method.
func TestTextOfValuesThatHoldThemselves(t *testing.T) {
	m := map[string]any{"a": 1}
	m["self"] = m
	s := []any{1, nil}
	s[1] = s
	deep := map[string]any{}
	deep["x"] = []any{struct{ M map[string]any }{deep}}
	ts := &textStringer{}
	ts.self = ts
	for _, x := range []any{m, s, deep, &m} {
		if got := Text(x); !strings.HasPrefix(got, "!UNPRINTABLE ") || !strings.HasSuffix(got, ": it holds itself") {
			t.Errorf("Text(%T) = %q, want it named unprintable", x, got)
		}
	}
	if got := Text(ts); got != "stringer" {
		t.Errorf("Text(Stringer) = %q, want its String()", got)
	}
	big := make([]any, maxTextValues+1)
	if got := Text(big); !strings.HasSuffix(got, ": too large to print") {
		t.Errorf("Text of %d values = %.40q..., want too large", len(big), got)
	}
}

// TestTextOfLargeFlatValues: a value whose type holds no map, slice or
// interface that could hold the value itself (a map of counts, a slice of
// small structs) cannot make fmt recurse without end, however many values
// it holds: Text prints it as fmt does, as it printed such a panic's value
// before it walked values at all, rather than calling it too large.
func TestTextOfLargeFlatValues(t *testing.T) {
	counts := map[string]int{}
	for i := range maxTextValues {
		counts["k"+strconv.Itoa(i)] = i
	}
	type pair struct {
		A, B int
		P    *int
	}
	pairs := make([]pair, maxTextValues/2)
	for _, x := range []any{counts, pairs, &pairs} {
		if got, want := Text(x), fmt.Sprint(x); got != want {
			t.Errorf("Text(%T of %d values) = %.60q..., want fmt's %.60q...", x, maxTextValues, got, want)
		}
	}
}

// TestTextOfReflectValueThatHoldsItself: fmt prints a reflect.Value at the
// top as the value it holds, so one holding a map that holds itself
// overflows the stack as the map does; Text must name it, not hand it to
// fmt because a reflect.Value is a fmt.Stringer.
func TestTextOfReflectValueThatHoldsItself(t *testing.T) {
	m := map[string]any{}
	m["self"] = m
	if got := Text(reflect.ValueOf(m)); !strings.HasSuffix(got, ": it holds itself") {
		t.Errorf("Text(reflect.ValueOf(m)) = %q, want it named unprintable", got)
	}
	if got, want := Text(reflect.ValueOf(map[string]int{"a": 1})), "map[a:1]"; got != want {
		t.Errorf("Text(reflect.Value) = %q, want %q", got, want)
	}
}

type r5Hidden struct {
	a int
	b string
	m map[string]int
	e error
	x any
}

type r5PtrStringer struct{ n int }

func (p *r5PtrStringer) String() string { return fmt.Sprint("ptr:", p.n) }

type r5ValStringer struct{ n int }

func (v r5ValStringer) String() string { return fmt.Sprint("val:", v.n) }

type r5Err struct{ code int }

func (e *r5Err) Error() string { return fmt.Sprint("code ", e.code) }

type r5Formatter struct{}

func (r5Formatter) Format(f fmt.State, verb rune) { fmt.Fprintf(f, "F(%c)", verb) }

type r5Panicky struct{}

func (r5Panicky) String() string { panic("boom") }

type r5Node struct {
	Next *r5Node
	V    []any
}

// TestTextMatchesFmt: Text prints what fmt's %v prints for values that
// do not hold themselves.
func TestTextMatchesFmt(t *testing.T) {
	var nilPS *r5PtrStringer
	var nilErr *r5Err
	var nilMap map[string]int
	var nilSlice []any
	var nilPtr *r5Hidden
	ch := make(chan int)
	fn := func() {}
	n := &r5Node{V: []any{1, "a"}}
	n.Next = n // a pointer below the top prints as its address
	bigFlat := make([]struct{ A, B int }, 200000)
	values := []any{
		0, -1, uint8(3), 3.5, complex(1, 2), true, "s", "",
		r5Hidden{1, "x", map[string]int{"b": 2, "a": 1}, errors.New("e"), []int{1}},
		&r5Hidden{1, "x", nil, nil, nil},
		&[]any{1, "a"}, &map[int]any{2: "b", 1: "a"}, &[2]any{1, nil},
		nilMap, nilSlice, nilPtr, map[string]int{"z": 1, "a": 2, "m": 3},
		map[any]int{"a": 1, 2: 2, 1.5: 3}, [3]int{1, 2, 3}, [2]any{nil, 1},
		fn, ch, errors.New("err"), fmt.Errorf("w: %w", errors.New("in")),
		&r5PtrStringer{4}, r5PtrStringer{4}, r5ValStringer{5}, &r5ValStringer{5},
		nilPS, nilErr, &r5Err{7}, r5Err{7}, r5Formatter{}, &r5Formatter{},
		r5Panicky{}, []any{r5Panicky{}, nilPS, nilErr},
		[]any{[]any{map[string]any{"k": []any{1, &r5Err{1}}}}}, any(nil),
		struct{ A any }{A: struct{ B any }{B: []int{1}}}, n, *n,
		time.Duration(3), []time.Duration{1, 2}, []error{errors.New("a"), nil},
		reflect.ValueOf(3), reflect.ValueOf(&r5Hidden{a: 1}), reflect.ValueOf(r5Hidden{a: 1}).Field(0),
		reflect.ValueOf(nil), reflect.Value{}, reflect.ValueOf(errors.New("rv")),
		reflect.ValueOf([]any{1, 2}), reflect.ValueOf(r5Hidden{x: []any{1}}).Field(4),
		bigFlat, [][]int{{1}, {2, 3}}, map[[2]int]string{{2, 1}: "b", {1, 2}: "a"},
	}
	for i, v := range values {
		want := fmt.Sprintf("%v", v)
		if got := Text(v); got != want {
			if len(want) > 200 {
				want = want[:200] + "..."
			}
			if len(got) > 200 {
				got = got[:200] + "..."
			}
			t.Errorf("%d: Text(%T) = %q, want fmt's %q", i, v, got, want)
		}
	}
}

// TestTextSelfHoldingValues: values fmt would print for ever, whichever way
// they reach Text, read as unprintable rather than overflow the stack.
func TestTextSelfHoldingValues(t *testing.T) {
	m := map[string]any{}
	m["m"] = m
	s := []any{nil}
	s[0] = s
	type hidden struct{ x any }
	arr := [1]any{}
	arr[0] = s
	for i, v := range []any{
		m, s, reflect.ValueOf(m), reflect.ValueOf(s), hidden{m}, &hidden{s},
		reflect.ValueOf(hidden{m}).Field(0), []hidden{{s}}, arr, &arr,
		map[string]hidden{"a": {m}}, struct{ A, B any }{1, m},
	} {
		if got := Text(v); len(got) < 13 || got[:13] != "!UNPRINTABLE " {
			t.Errorf("%d: Text(%T) = %q, want !UNPRINTABLE", i, v, got)
		}
	}
}
