package zerologsentry_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
)

// messages returns the messages of t's breadcrumbs, oldest first.
func messages(t *logcrumbs.Trail) []string {
	var m []string
	for _, b := range t.Breadcrumbs() {
		m = append(m, b.Message)
	}
	return m
}

// TestBoundWriterTrails: a Writer looks up the trail of the context it is
// bound to once, when bound; each bound copy keeps its records in its own
// context's trail (one attached by WithContext, one the program attached,
// of another capacity), and the writer it was copied from, unbound, keeps
// writing to the fallback trail, before and after the bindings.
func TestBoundWriterTrails(t *testing.T) {
	w, _ := newWriter(t, new(syncBuffer))
	base := zerolog.New(w)
	// Named after the test: the fallback trail is the process's.
	a1, a2, b1, unbound := t.Name()+" a1", t.Name()+" a2", t.Name()+" b1", t.Name()+" unbound"
	base.Info().Msg(unbound + " 1")

	ctxA, logA := w.WithContext(context.Background(), base)
	own := logcrumbs.NewTrail(5)
	ctxB, logB := w.WithContext(logcrumbs.ContextWithTrail(context.Background(), own), base)
	if logcrumbs.FromContext(ctxA) == nil {
		t.Fatal("WithContext attached no trail")
	}
	logA.Info().Msg(a1)
	logB.Info().Msg(b1)
	logA.Info().Msg(a2)
	base.Info().Msg(unbound + " 2")

	if got, want := messages(logcrumbs.FromContext(ctxA)), []string{a1, a2}; !slices.Equal(got, want) {
		t.Errorf("trail of the first binding: %q, want %q", got, want)
	}
	if got, want := messages(logcrumbs.FromContext(ctxB)), []string{b1}; !slices.Equal(got, want) {
		t.Errorf("trail of the second binding: %q, want %q", got, want)
	}
	if got, want := messages(own), []string{b1}; !slices.Equal(got, want) {
		t.Errorf("the program's trail: %q, want %q", got, want)
	}
	var fallback []string
	for _, m := range messages(logcrumbs.Fallback()) {
		if m == unbound+" 1" || m == unbound+" 2" || m == a1 || m == b1 {
			fallback = append(fallback, m)
		}
	}
	if want := []string{unbound + " 1", unbound + " 2"}; !slices.Equal(fallback, want) {
		t.Errorf("fallback trail: %q, want %q", fallback, want)
	}
}
