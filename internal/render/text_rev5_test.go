package render

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

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

// TestTextSelfHoldingRev5: values fmt would print for ever, whichever way
// they reach Text, read as unprintable rather than overflow the stack.
func TestTextSelfHoldingRev5(t *testing.T) {
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
