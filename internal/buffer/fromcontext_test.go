package buffer

import (
	"context"
	"testing"
)

type otherKey struct{}

// TestFromContextAsValue: FromContext answers a context of
// NewContextWithTrail without calling its Value; the answer is the one
// Value gives, for that context and for those made from it or around it.
func TestFromContextAsValue(t *testing.T) {
	own := NewContextWithTrail(context.Background())
	other := NewTrail(3)
	cases := map[string]context.Context{
		"trail context":             own,
		"value over it":             context.WithValue(own, otherKey{}, 1),
		"another trail over it":     NewContext(own, other),
		"it over another trail":     NewContextWithTrail(NewContext(context.Background(), other)),
		"canceled over it":          func() context.Context { c, cancel := context.WithCancel(own); cancel(); return c }(),
		"background, with no trail": context.Background(),
	}
	for name, ctx := range cases {
		want, _ := ctx.Value(ContextKey{}).(*Trail)
		if got := FromContext(ctx); got != want {
			t.Errorf("%s: FromContext = %p, Value = %p", name, got, want)
		}
		if want == nil {
			want = Fallback()
		}
		if got := For(ctx); got != want {
			t.Errorf("%s: For = %p, want %p", name, got, want)
		}
	}
	if got, want := FromContext(own), &own.(*trailContext).trail.Trail; got != want {
		t.Errorf("FromContext of a trail context = %p, want its own trail %p", got, want)
	}
	//lint:ignore SA1012 a nil context is what is tested: it carries no trail
	if FromContext(nil) != nil {
		t.Error("FromContext(nil) is not nil")
	}
}
