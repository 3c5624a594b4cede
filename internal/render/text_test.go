package render

import (
	"errors"
	"fmt"
	"strings"
	"testing"
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
