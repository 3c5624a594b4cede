package zerologsentry

import (
	"context"
	"errors"
	"fmt"
	"io"
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

// tableWriter is a wrapped writer that succeeds, fails, writes short or
// panics; as a LevelWriter too when level is set.
type tableWriter struct {
	kind  string // "ok", "error", "short", "panic"
	err   error
	calls int
}

func (w *tableWriter) Write(p []byte) (int, error) {
	w.calls++
	switch w.kind {
	case "error":
		return 0, w.err
	case "short":
		return 3, nil
	case "panic":
		panic(w)
	}
	return len(p), nil
}

type tableLevelWriter struct{ *tableWriter }

func (w tableLevelWriter) WriteLevel(_ zerolog.Level, p []byte) (int, error) { return w.Write(p) }

// outcome is what a caller of Write or WriteLevel sees.
type outcome struct {
	n      int
	err    error
	panic  any
	events int
	calls  int
}

func (o outcome) String() string {
	return fmt.Sprintf("n=%d err=%v panic=%v events=%d calls=%d", o.n, o.err, o.panic, o.events, o.calls)
}

// TestWriterResultTable: every combination of the wrapped
// writer's result (ok, error, short write, panic; an io.Writer or a
// LevelWriter), of how the Writer is reached (wrapping it; wrapping
// zerolog.MultiLevelWriter of it; stand-alone inside a MultiLevelWriter
// with it), of logcrumbs' own handling panicking or not, and of Write and
// WriteLevel. The caller sees the wrapped writer's n and err (as
// MultiLevelWriter combines them when it is there), the wrapped writer's
// panic itself, never logcrumbs', and one event exactly when neither
// panicked.
func TestWriterResultTable(t *testing.T) {
	errOut := errors.New("wrapped writer's error")
	record := []byte(`{"level":"error","error":"disk full","message":"save failed"}` + "\n")
	call := func(f func() (int, error)) (o outcome) {
		defer func() { o.panic = recover() }()
		o.n, o.err = f()
		return o
	}
	for _, kind := range []string{"ok", "error", "short", "panic"} {
		for _, level := range []bool{false, true} {
			for _, shape := range []string{"wraps", "wraps multi", "inside multi"} {
				for _, armed := range []bool{false, true} {
					for _, method := range []string{"Write", "WriteLevel"} {
						name := fmt.Sprintf("%s/level=%v/%s/panics=%v/%s", kind, level, shape, armed, method)
						rec := logcrumbstest.New(t)
						out := &tableWriter{kind: kind, err: errOut}
						var wrapped io.Writer = out
						if level {
							wrapped = tableLevelWriter{out}
						}
						var arm atomic.Bool
						ctx := core.EnsureTrail(panickyContext{context.Background(), &arm})
						opts := Options{Options: logcrumbs.Options{Hub: rec.Hub()}}
						var target zerolog.LevelWriter
						switch shape {
						case "wraps":
							w := NewWriter(wrapped, opts)
							w.ctx, w.trail = ctx, core.TrailOf(ctx)
							target = w
						case "wraps multi":
							w := NewWriter(zerolog.MultiLevelWriter(wrapped), opts)
							w.ctx, w.trail = ctx, core.TrailOf(ctx)
							target = w
						case "inside multi":
							w := NewWriter(nil, opts)
							w.ctx, w.trail = ctx, core.TrailOf(ctx)
							target = zerolog.MultiLevelWriter(wrapped, w)
						}
						// What the caller would see without logcrumbs.
						model := &tableWriter{kind: kind, err: errOut}
						var modelOut io.Writer = model
						if level {
							modelOut = tableLevelWriter{model}
						}
						var without zerolog.LevelWriter
						switch shape {
						case "wraps":
							if level {
								without = modelOut.(zerolog.LevelWriter)
							} else {
								without = zerolog.LevelWriterAdapter{Writer: modelOut}
							}
						case "wraps multi":
							without = zerolog.MultiLevelWriter(modelOut)
						case "inside multi":
							without = zerolog.MultiLevelWriter(modelOut, io.Discard)
						}
						var got, want outcome
						arm.Store(armed)
						if method == "Write" {
							got = call(func() (int, error) { return target.Write(record) })
							want = call(func() (int, error) { return without.Write(record) })
						} else {
							got = call(func() (int, error) { return target.WriteLevel(zerolog.ErrorLevel, record) })
							want = call(func() (int, error) { return without.WriteLevel(zerolog.ErrorLevel, record) })
						}
						arm.Store(false)
						if want.panic == model {
							want.panic = out // the same writer's panic, not another
						}
						got.events, got.calls, want.calls = len(rec.Events()), out.calls, model.calls
						if kind != "panic" && !armed {
							want.events = 1
						}
						if got != want {
							t.Errorf("%s: %v, want %v", name, got, want)
						}
					}
				}
			}
		}
	}
}
