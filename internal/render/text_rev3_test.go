package render

import (
	"fmt"
	"strconv"
	"testing"
)

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
