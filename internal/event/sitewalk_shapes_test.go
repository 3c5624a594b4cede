package event

import (
	"context"
	"io"
	"log"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// progWriter is a writer of the program's: a callback, calling logcrumbs.
type progWriter struct{ w io.Writer }

//go:noinline
func (w progWriter) Write(b []byte) (int, error) { return w.w.Write(b) }

// asProgram makes this package's functions the program's, but for
// siteProbe's methods (logcrumbs' end of a log call), until the test ends:
// the shapes below need frames of the program's that are Go functions of
// their own (closures, method values, inlined ones). The walk learns what a
// return address's frame is once, for good: only this file's functions may
// be run so, never ones other tests walk.
func asProgram(t *testing.T) {
	saved := loggingPackages
	var ps []string
	for _, p := range saved[:len(saved)-len(loggerPackages)] {
		if p == "github.com/logcrumbs/logcrumbs/internal/" {
			p = "github.com/logcrumbs/logcrumbs/internal/event.(*siteProbe)."
		}
		ps = append(ps, p)
	}
	loggingPackages = append(ps, loggerPackages...)
	t.Cleanup(func() { loggingPackages = saved })
}

// agreeIn runs each of calls in turn, three times over, each asking p: the
// walk must find what runtime.Callers finds (siteIn), whichever shape it
// learned first, and from the second round on find one, but for the
// shapes of mayStop.
//
// mayStop: a method value's wrapper (-fm), which runtime.Callers leaves
// out, in front of a frame whose kind it decides (see elided), a
// deferred call run by runtime.deferreturn, and a callback inlined into a
// log call (see frameSite.kinds), are left to runtime.Callers.
var mayStop = map[string]bool{"program -fm": true, "logger writer -fm": true, "deferred": true, "deferred cb": true, "range over Attrs": true}

func agreeIn(t *testing.T, p *siteProbe, names []string, calls []func()) {
	t.Helper()
	asProgram(t)
	// The table as a process starts: the frames the package's other tests
	// learned fill some of its sets, whose frames are left to
	// runtime.Callers (by design), and which those are depends on where the
	// linker put which function.
	clearFrameSites()
	for round := range 3 {
		for i, c := range calls {
			*p = siteProbe{}
			c()
			if p.want == "" && !p.ok {
				t.Fatalf("%s: the probe was not asked", names[i])
			}
			if canWalkFrames && round > 0 && !p.ok && !mayStop[names[i]] {
				t.Errorf("round %d, %s: walkSite found no site, want %q", round, names[i], p.want)
			}
			if p.ok && p.walked != p.want {
				t.Errorf("round %d, %s: walkSite found %q, runtime.Callers %q", round, names[i], p.walked, p.want)
			}
		}
	}
}

//go:noinline
func callFunc(f func([]byte) (int, error)) { f([]byte("x")) }

// TestShapeMethodValues: a logger's method value called by a closure, and
// the program's method value (its -fm wrapper, left out by
// runtime.Callers), in both orders.
func TestShapeMethodValues(t *testing.T) {
	p := &siteProbe{}
	l := log.New(p, "", 0)
	pw := progWriter{p}
	agreeIn(t, p, []string{"logger -fm", "program -fm"}, []func(){
		func() { callFunc(func(b []byte) (int, error) { f := l.Print; f("x"); return 0, nil }) },
		func() { callFunc(pw.Write) },
	})
	agreeIn(t, p, []string{"program -fm", "logger -fm"}, []func(){
		func() { callFunc(pw.Write) },
		func() { callFunc(func(b []byte) (int, error) { f := l.Print; f("x"); return 0, nil }) },
	})
}

//go:noinline
func callWrite(f func([]byte) (int, error)) { f([]byte("x")) }

// TestShapeFuncValueBoth: one return address in callWrite reaches a logger's method value on one
// stack and the program's on another.
func TestShapeFuncValueBoth(t *testing.T) {
	for _, first := range []int{0, 1} {
		p := &siteProbe{}
		l := log.New(p, "", 0)
		lw := slog.NewLogLogger(p, slog.LevelError).Writer()
		pw := progWriter{p}
		calls := []func(){func() { callWrite(lw.Write) }, func() { callWrite(pw.Write) }, func() { callWrite(func(b []byte) (int, error) { l.Print("x"); return 0, nil }) }}
		names := []string{"logger writer -fm", "program -fm", "closure logs"}
		if first == 1 {
			calls[0], calls[1] = calls[1], calls[0]
			names[0], names[1] = names[1], names[0]
		}
		agreeIn(t, p, names, calls)
	}
}

// rangeHandler is a slog.Handler of the program's that ranges over its
// record's attributes (slog.Record.Attrs, a logger's function) and calls
// logcrumbs in the loop's body: Attrs and the body are inlined into Handle,
// one physical frame whose logical frames are the body (a callback, it
// called logcrumbs), Attrs, and Handle (which called a logger: the site,
// to siteIn).
type rangeHandler struct{ w io.Writer }

func (h rangeHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h rangeHandler) Handle(ctx context.Context, r slog.Record) error {
	for range r.Attrs {
		h.w.Write(nil)
	}
	return nil
}
func (h rangeHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h rangeHandler) WithGroup(string) slog.Handler      { return h }

// TestShapeRangeOverLoggerIter: the walk finds rangeHandler.Handle's site
// as runtime.Callers does, though its physical frame's innermost logical
// frame of the program's is a callback.
func TestShapeRangeOverLoggerIter(t *testing.T) {
	p := &siteProbe{}
	l := slog.New(rangeHandler{p})
	agreeIn(t, p, []string{"range over Attrs"}, []func(){func() { l.Error("x", "k", 1) }})
}

// TestShapeRangeOverLoggerIterBoth: the loop's body of rangeHandler calls,
// through one interface call, logcrumbs (a callback: Handle is the site) on
// one stack and a logger on another (the body is the site, walked), in
// either order.
func TestShapeRangeOverLoggerIterBoth(t *testing.T) {
	p := &siteProbe{}
	toProgram := slog.New(rangeHandler{p})
	toLogger := slog.New(rangeHandler{slog.NewLogLogger(p, slog.LevelError).Writer()})
	calls := []func(){func() { toProgram.Error("x", "k", 1) }, func() { toLogger.Error("x", "k", 1) }}
	names := []string{"range over Attrs", "range over Attrs, logging"}
	agreeIn(t, p, names, calls)
	slices.Reverse(calls)
	slices.Reverse(names)
	agreeIn(t, p, names, calls)
}

//go:noinline
func recurse(l *log.Logger, n int) {
	if n > 0 {
		recurse(l, n-1)
		return
	}
	l.Print("x")
}

// TestShapeRecursion: a function of the program's that calls itself, then
// a logger, at depths up to past maxWalkFrames.
func TestShapeRecursion(t *testing.T) {
	p := &siteProbe{}
	l := log.New(p, "", 0)
	agreeIn(t, p, []string{"recurse 0", "recurse 3", "recurse 40"}, []func(){
		func() { recurse(l, 0) }, func() { recurse(l, 3) }, func() { recurse(l, 40) },
	})
}

func gen[T any](l *log.Logger, v T) { l.Print(v) }

//go:noinline
func genCB[T any](w io.Writer, v T) { w.Write([]byte("x")) }

// TestShapeGenerics: generic functions of the program's (shaped
// instantiations) that call a logger, or logcrumbs (a callback).
func TestShapeGenerics(t *testing.T) {
	p := &siteProbe{}
	l := log.New(p, "", 0)
	agreeIn(t, p, []string{"gen int", "gen string", "genCB int", "genCB str"}, []func(){
		func() { gen(l, 1) }, func() { gen(l, "s") }, func() { genCB(p, 1) }, func() { genCB(p, "s") },
	})
}

// TestShapeGoroutines: a goroutine's stack whose only frames of the
// program's are callbacks (the first one is the site, at runtime.goexit),
// one that logs, and a go statement's wrapper.
func TestShapeGoroutines(t *testing.T) {
	p := &siteProbe{}
	pw := progWriter{p}
	l := log.New(p, "", 0)
	run := func(f func()) func() {
		return func() {
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); f() }()
			wg.Wait()
		}
	}
	agreeIn(t, p, []string{"go callback only", "go log", "go stmt direct"}, []func(){
		run(func() { pw.Write(nil) }),
		run(func() { l.Print("x") }),
		func() {
			done := make(chan struct{})
			go pw.goWrite(done)
			<-done
		},
	})
}

func (w progWriter) goWrite(done chan struct{}) { w.Write(nil); close(done) }

// deferOrNot calls a logger deferred (through runtime.deferreturn) or
// directly.
//
//go:noinline
func deferOrNot(l *log.Logger, d bool) {
	if d {
		for range 1 {
			defer l.Print("x")
		}
		return
	}
	l.Print("x")
}

// TestShapeDefer: deferred log calls and callbacks, and a direct one.
func TestShapeDefer(t *testing.T) {
	p := &siteProbe{}
	l := log.New(p, "", 0)
	pw := progWriter{p}
	agreeIn(t, p, []string{"deferred", "direct", "deferred cb"}, []func(){
		func() { deferOrNot(l, true) }, func() { deferOrNot(l, false) },
		func() { defer pw.Write(nil) }})
}

// TestShapeConcurrent: goroutines learning the frames of callWrite's two
// shapes (a callback, a log call) at once.
func TestShapeConcurrent(t *testing.T) {
	asProgram(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			p := &siteProbe{}
			l := log.New(p, "", 0)
			pw := progWriter{p}
			deadline := time.Now().Add(200 * time.Millisecond)
			for time.Now().Before(deadline) {
				if g%2 == 0 {
					callWrite(pw.Write)
				} else {
					callWrite(func(b []byte) (int, error) { l.Print("x"); return 0, nil })
				}
				if p.ok && p.walked != p.want {
					t.Errorf("g %d: walked %q, want %q", g, p.walked, p.want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// valT's method has a value receiver: called on a nil *valT through an
// interface, its autogenerated wrapper (*valT).M panics
// (runtime.panicwrap), and runtime.Callers, which leaves wrappers out,
// keeps one that calls a panic.
type valT struct{ x int }

func (v valT) M() int { return v.x }

type mer interface{ M() int }

// TestShapePanicWrap: a callback deferred under a panic in a method's
// wrapper (the walk may stop there: a fault's frame).
func TestShapePanicWrap(t *testing.T) {
	asProgram(t)
	p := &siteProbe{}
	for round := range 3 {
		func() {
			defer func() { recover() }()
			defer func() { p.ask() }()
			var m mer = (*valT)(nil)
			m.M()
		}()
		if p.ok && p.walked != p.want {
			t.Errorf("round %d: walkSite found %q, runtime.Callers %q", round, p.walked, p.want)
		}
	}
}

// relay is a writer of the program's that logs what it is given to another
// logger: called by a logger (a *log.Logger's output) it is a callback,
// whatever it calls; called by the program, the log call (see isSite).
type relay struct{ l *log.Logger }

//go:noinline
func (r *relay) Write(b []byte) (int, error) {
	r.l.Print(noteLine(&relayLine))
	return len(b), nil
}

// relayLine is the line of relay.Write's log call.
var relayLine int

// noteLine sets *line to its caller's line.
func noteLine(line *int) string {
	_, _, *line, _ = runtime.Caller(1)
	return "x"
}

// relayHandler is a slog.Handler of the program's that logs each record to
// another logger: a logger calls it, so it is a callback, and the site is
// slog's caller's.
type relayHandler struct{ l *log.Logger }

func (h relayHandler) Enabled(context.Context, slog.Level) bool { return true }

//go:noinline
func (h relayHandler) Handle(ctx context.Context, r slog.Record) error {
	h.l.Print(r.Message)
	return nil
}
func (h relayHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h relayHandler) WithGroup(string) slog.Handler      { return h }

// TestShapeCalledByALogger: one return address (relay.Write's call of a
// logger) is the log call on one stack (the program calls relay.Write) and
// a callback on another (a *log.Logger writes to it, and the site is that
// logger's caller), first seen either way; a program's slog handler logging
// to another logger is a callback too.
func TestShapeCalledByALogger(t *testing.T) {
	for _, first := range []int{0, 1} {
		p := &siteProbe{}
		r := &relay{log.New(p, "", 0)}
		front := log.New(r, "", 0)
		viaSlog := slog.New(relayHandler{log.New(p, "", 0)})
		calls := []func(){func() { front.Print("x") }, func() { r.Write(nil) }, func() { viaSlog.Error("x") }}
		names := []string{"logger calls relay", "program calls relay", "slog calls relayHandler"}
		if first == 1 {
			calls[0], calls[1] = calls[1], calls[0]
			names[0], names[1] = names[1], names[0]
		}
		agreeIn(t, p, names, calls)
	}
}

// TestSiteCalledByALogger: what runtime.Callers and the walk agree on in
// TestShapeCalledByALogger is the log call: the frame that called the
// first logger, not the program's writer or handler a logger called.
func TestSiteCalledByALogger(t *testing.T) {
	asProgram(t)
	p := &siteProbe{}
	r := &relay{log.New(p, "", 0)}
	front := log.New(r, "", 0)
	viaSlog := slog.New(relayHandler{log.New(p, "", 0)})
	for round := range 3 {
		for _, c := range []struct {
			name string
			log  func() int
		}{
			{"logger calls relay", func() int { _, _, line, _ := runtime.Caller(0); front.Print("x"); return line }},
			{"program calls relay", func() int { r.Write(nil); return relayLine }},
			{"slog calls relayHandler", func() int { _, _, line, _ := runtime.Caller(0); viaSlog.Error("x"); return line }},
		} {
			*p = siteProbe{}
			line := c.log()
			if !strings.HasSuffix(p.want, "sitewalk_shapes_test.go:"+strconv.Itoa(line)) {
				t.Errorf("round %d, %s: runtime.Callers' site %q, want this file's line %d", round, c.name, p.want, line)
			}
			if p.ok && p.walked != p.want {
				t.Errorf("round %d, %s: walked %q, want %q", round, c.name, p.walked, p.want)
			}
		}
	}
}
