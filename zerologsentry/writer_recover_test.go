package zerologsentry

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// panickyContext's Value panics once armed: a panic inside logcrumbs' own
// handling of a record (the event path looks the hub up on the context).
type panickyContext struct {
	context.Context
	armed *atomic.Bool
}

func (c panickyContext) Value(key any) any {
	if c.armed.Load() {
		panic("panickyContext")
	}
	return c.Context.Value(key)
}

// resultWriter returns n and err from every write, or panics.
type resultWriter struct {
	n      int
	err    error
	panics bool
	got    int // writes seen
}

func (w *resultWriter) Write(p []byte) (int, error) {
	w.got++
	if w.panics {
		panic("resultWriter")
	}
	return w.n, w.err
}

// TestWriterRecoversOnlyItsOwnPanics: a panic while the Writer handles a
// record (here the bound context's Value, which the event path calls) is
// stopped, and Write and WriteLevel return what the wrapped writer
// returned; a panic of the wrapped writer's own is not logcrumbs' to stop,
// and reaches the caller.
func TestWriterRecoversOnlyItsOwnPanics(t *testing.T) {
	rec := logcrumbstest.New(t)
	errOut := errors.New("wrapped writer's error")
	out := &resultWriter{n: 7, err: errOut}
	w := NewWriter(out, Options{Options: logcrumbs.Options{Hub: rec.Hub()}})
	var armed atomic.Bool
	ctx := core.EnsureTrail(panickyContext{context.Background(), &armed})
	bound := *w
	bound.ctx, bound.trail = ctx, core.TrailOf(ctx)
	record := []byte(`{"level":"error","error":"disk full","message":"save failed"}` + "\n")
	armed.Store(true)
	for _, write := range []struct {
		name string
		call func() (int, error)
	}{
		{"WriteLevel", func() (int, error) { return bound.WriteLevel(zerolog.ErrorLevel, record) }},
		{"Write", func() (int, error) { return bound.Write(record) }},
	} {
		before := out.got
		n, err := write.call()
		if n != 7 || err != errOut || out.got != before+1 {
			t.Errorf("%s: (%d, %v), %d writes; want the wrapped writer's (7, %v), 1 write", write.name, n, err, out.got-before, errOut)
		}
	}
	armed.Store(false)
	out.panics = true
	for _, write := range []struct {
		name string
		call func()
	}{
		{"WriteLevel", func() { _, _ = bound.WriteLevel(zerolog.ErrorLevel, record) }},
		{"Write", func() { _, _ = bound.Write(record) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != "resultWriter" {
					t.Errorf("%s: recovered %v, want the wrapped writer's panic", write.name, r)
				}
			}()
			write.call()
		}()
	}
	if n := len(rec.Events()); n != 0 {
		t.Errorf("%d events, want none (each handling panicked or never ran)", n)
	}
}
