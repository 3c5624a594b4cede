package render

import (
	"reflect"
	"strings"
	"testing"
)

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
