package logrsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// secret is a logr.Marshaler that hides its value, as logr's own example
// of MarshalLog does.
type secret string

func (secret) MarshalLog() any { return "(hidden)" }

// logHelper logs through WithCallDepth, as a logging helper should.
func logHelper(log logr.Logger, msg string) { log.WithCallDepth(1).Info(msg, "via", "depth") }

// stackHelper logs through WithCallStackHelper.
func stackHelper(log logr.Logger, msg string) {
	helper, log := log.WithCallStackHelper()
	helper()
	log.Info(msg, "via", "helper")
}

// script is what a program logs through one logger: names, With values, V
// levels, odd and non-string keys, nil and real errors, a Marshaler, call
// depth. Both loggers log from the same lines, so that call sites match.
func script(log logr.Logger) {
	log = log.WithName("ctrl").WithValues("ns", "default", "n", 3)
	log.Info("reconciling", "attempt", 2, "took", 1500*time.Millisecond, "pw", secret("hunter2"))
	log.V(1).Info("cache miss", "key", "pods/x")
	log.V(2).Info("very verbose", "bytes", 512)
	log.WithName("sub").Info("odd list", "a", 1, "dangling")
	log.Info("non-string key", 42, "v", "k", "w")
	logHelper(log, "from a depth helper")
	stackHelper(log, "from a stack helper")
	log.Error(nil, "nil error", "k", "v")
	log.Error(fmt.Errorf("save: %w", errors.New("disk full")), "save failed", "pod", "x")
}

// TestUserSinkOutputUnchanged: funcr, logging its callers (file, line and
// function), writes byte for byte the same through Wrap, bound to a
// request or not, as without logcrumbs: names, values, V levels, odd lists,
// errors, and the call sites of helpers that use WithCallDepth and
// WithCallStackHelper.
func TestUserSinkOutputUnchanged(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		log := funcr.NewJSON(func(obj string) { out.WriteString(obj + "\n") },
			funcr.Options{Verbosity: 1, LogCaller: funcr.All, LogCallerFunc: true})
		if wrap {
			rec := logcrumbstest.New(t)
			log = logrsentry.Wrap(log, logrsentry.Options{Options: rec.Options()})
			script(log)
			_, bound := logrsentry.WithContext(rec.Context(context.Background()), log)
			script(bound)
			if n := len(rec.Events()); n != 4 { // two per script: the nil error's message event and "save failed"
				t.Errorf("%d events, want 4", n)
			}
		} else {
			script(log)
			script(log)
		}
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with {
		t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	for _, want := range []string{
		`"logger":"ctrl/sub"`, `"<non-string-key: 42>":"v"`, `"dangling":"<no-value>"`, `"error":null`,
		`"pw":"(hidden)"`, `"function":"github.com/logcrumbs/logcrumbs/logrsentry_test.script"`,
	} {
		if !strings.Contains(without, want) {
			t.Errorf("funcr's output lacks %s (the script is not what the test thinks): %s", want, without)
		}
	}
	if strings.Contains(without, "very verbose") || strings.Contains(without, "logHelper") || strings.Contains(without, "stackHelper") {
		t.Errorf("funcr's output has V(2) or a helper's frame: %s", without)
	}
}

// callerSink is a sink as funcr is built: it counts the depth Init and
// WithCallDepth give it and writes the function that called logr.
type callerSink struct {
	depth int
	out   *strings.Builder
}

func (s *callerSink) Init(info logr.RuntimeInfo) { s.depth += info.CallDepth }
func (s *callerSink) Enabled(int) bool           { return true }
func (s *callerSink) Info(_ int, msg string, _ ...any) {
	pc, _, _, _ := runtime.Caller(s.depth + 1)
	fmt.Fprintf(s.out, "%s from %s\n", msg, runtime.FuncForPC(pc).Name())
}
func (s *callerSink) Error(_ error, msg string, _ ...any) {
	pc, _, _, _ := runtime.Caller(s.depth + 1)
	fmt.Fprintf(s.out, "%s from %s\n", msg, runtime.FuncForPC(pc).Name())
}
func (s *callerSink) WithValues(...any) logr.LogSink { return s }
func (s *callerSink) WithName(string) logr.LogSink   { return s }
func (s *callerSink) WithCallDepth(d int) logr.LogSink {
	s2 := *s
	s2.depth += d
	return &s2
}

// TestNewSinkTellsNextItsDepth: a sink given to NewSink, then to logr.New,
// names the same callers as given to logr.New alone.
func TestNewSinkTellsNextItsDepth(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		var s logr.LogSink = &callerSink{out: &out}
		if wrap {
			s = logrsentry.NewSink(s, logrsentry.Options{Options: logcrumbstest.New(t).Options()})
		}
		log := logr.New(s)
		log.Info("direct")
		log.Error(nil, "error")
		logHelper(log, "helper")
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with || !strings.Contains(without, "error from github.com/logcrumbs/logcrumbs/logrsentry_test.TestNewSinkTellsNextItsDepth.func1") {
		t.Errorf("output differs or names the wrong caller:\nwithout: %s\nwith:    %s", without, with)
	}
}

// failVia logs an error through a helper, with WithCallDepth or with
// WithCallStackHelper.
func failVia(log logr.Logger, stackHelper bool, err error) {
	if stackHelper {
		helper, log := log.WithCallStackHelper()
		helper()
		log.Error(err, "payment declined")
		return
	}
	log.WithCallDepth(1).Error(err, "payment declined")
}

// TestCallDepthIsTheTopFrameAndCallSite: errors of the same text logged
// through a helper from two call sites are two events (dedupe on), and each
// event's stack starts in the function that called the helper, not in the
// helper, logr or logcrumbs; the same call site twice is one event.
func TestCallDepthIsTheTopFrameAndCallSite(t *testing.T) {
	for _, viaHelper := range []bool{false, true} {
		t.Run(fmt.Sprint("WithCallStackHelper=", viaHelper), func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			base := logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: opts}))
			fail := func() {
				_, log := logrsentry.WithContext(rec.Context(context.Background()), base)
				failVia(log, viaHelper, errors.New("card expired "+t.Name()))
			}
			_, log := logrsentry.WithContext(rec.Context(context.Background()), base)
			failVia(log, viaHelper, errors.New("card expired "+t.Name())) // call site 1
			for range 2 {
				fail() // call site 2, twice: one event
			}
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2 (two call sites)", len(evs))
			}
			for i, want := range []string{"TestCallDepthIsTheTopFrameAndCallSite.func1", "TestCallDepthIsTheTopFrameAndCallSite.func1.1"} {
				st := evs[i].Exception[len(evs[i].Exception)-1].Stacktrace
				if st == nil || len(st.Frames) == 0 {
					t.Fatalf("event %d has no stack", i)
				}
				if top := st.Frames[len(st.Frames)-1]; top.Module != "github.com/logcrumbs/logcrumbs/logrsentry_test" || top.Function != want {
					t.Errorf("event %d's stack starts in %s.%s, want %s", i, top.Module, top.Function, want)
				}
			}
		})
	}
}

// TestLevels: V(0) is an info breadcrumb, V(1) a debug one, V(2) is not
// kept by default; Verbosity 3 keeps it, -1 keeps V(0) only; every Error is
// an event, with the name as its logger.
func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		verbosity int
		want      string
	}{
		{0, "info:ctrl:v0,debug:ctrl:v1"},
		{3, "info:ctrl:v0,debug:ctrl:v1,debug:ctrl:v2"},
		{-1, "info:ctrl:v0"},
	} {
		rec := logcrumbstest.New(t)
		base := logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options(), Verbosity: tc.verbosity}))
		_, log := logrsentry.WithContext(rec.Context(context.Background()), base.WithName("ctrl"))
		for v := range 3 {
			log.V(v).Info(fmt.Sprint("v", v))
		}
		log.Error(errors.New("boom"), "failed")
		evs := rec.Events()
		if len(evs) != 1 || evs[0].Level != sentry.LevelError || evs[0].Logger != "ctrl" {
			t.Fatalf("Verbosity %d: events %+v, want one error of logger ctrl", tc.verbosity, evs)
		}
		var got []string
		for _, b := range evs[0].Breadcrumbs() {
			got = append(got, string(b.Level)+":"+b.Category+":"+b.Message)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("Verbosity %d: breadcrumbs %v, want %s", tc.verbosity, got, tc.want)
		}
		if base.V(2).Enabled() != (tc.verbosity >= 2) {
			t.Errorf("Verbosity %d: V(2).Enabled() = %v", tc.verbosity, base.V(2).Enabled())
		}
	}
}

// TestOddListsAndMarshalers: what funcr writes for an odd list, a key that
// is not a string and a logr.Marshaler is what Sentry gets; the caller's
// list is not changed; the error passed to Error is the exception and an
// error among the values is collected too.
func TestOddListsAndMarshalers(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx, log := logrsentry.WithContext(rec.Context(context.Background()),
		logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()})))
	kv := []any{42, "v", "pw", secret("hunter2"), "dangling"}
	log.Info("odd", kv...)
	if kv[0] != 42 || len(kv) != 5 {
		t.Errorf("the caller's list changed: %v", kv)
	}
	log.Error(errors.New("outer"), "failed", "cause", errors.New("inner"), true, "odd")
	ev := rec.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	b := logcrumbs.FromContext(ctx).Breadcrumbs()[0].Data
	if b["<non-string-key: 42>"] != "v" || b["pw"] != "(hidden)" || b["dangling"] != "<no-value>" {
		t.Errorf("breadcrumb data %v", b)
	}
	lc := ev[0].LogContext()
	if lc["error"] != "outer" || lc["cause"] != "inner" || lc["<non-string-key: true>"] != "odd" {
		t.Errorf("log context %v", lc)
	}
	if ex := ev[0].Exceptions(); len(ex) != 3 || ex[1].Value != "outer" || ex[2].Value != "inner" {
		t.Errorf("exceptions %+v, want outer and inner, joined", ex)
	}
}

// TestWithContextAndFromContext: the logger WithContext returns is in the
// returned context, so code that takes its logger with logr.FromContext
// logs into the unit's trail; a logger whose sink is not logcrumbs' is
// returned as it is.
func TestWithContextAndFromContext(t *testing.T) {
	rec := logcrumbstest.New(t)
	base := logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()}))
	ctx, _ := logrsentry.WithContext(rec.Context(context.Background()), base)
	deep := func(ctx context.Context) {
		log := logr.FromContextOrDiscard(ctx)
		log.Info("deep down")
		log.Error(errors.New("no route"), "failed")
	}
	deep(ctx)
	if evs := rec.Events(); len(evs) != 1 || strings.Join(evs[0].BreadcrumbMessages(), ",") != "deep down" {
		t.Errorf("events %+v, want one with the breadcrumb logged through logr.FromContext", evs)
	}
	if _, l := logrsentry.WithContext(context.Background(), logr.Discard()); l != logr.Discard() {
		t.Error("logr.Discard() bound is not logr.Discard()")
	}
}

// quotaError is an error that also implements logr.Marshaler, as error
// types meant for structured logs do.
type quotaError struct{ code int }

func (e *quotaError) Error() string   { return "quota exceeded" }
func (e *quotaError) MarshalLog() any { return map[string]int{"code": e.code} }

// TestErrorThatIsAMarshaler: an error that implements logr.Marshaler, passed
// to Error or among the values, is still the event's exception; the
// "error" value is its Error text, and other values its MarshalLog, as
// funcr writes them.
func TestErrorThatIsAMarshaler(t *testing.T) {
	var out strings.Builder
	user := funcr.NewJSON(func(obj string) { out.WriteString(obj) }, funcr.Options{})
	rec := logcrumbstest.New(t)
	_, log := logrsentry.WithContext(rec.Context(context.Background()),
		logrsentry.Wrap(user, logrsentry.Options{Options: rec.Options()}))
	log.Error(&quotaError{7}, "failed", "cause", &quotaError{8})
	if want := `"error":"quota exceeded","cause":{"code":8}`; !strings.Contains(out.String(), want) {
		t.Fatalf("funcr wrote %s, the test expects %s", out.String(), want)
	}
	ev := rec.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	lc := ev[0].LogContext()
	if lc["error"] != "quota exceeded" || fmt.Sprint(lc["cause"]) != "map[code:8]" {
		t.Errorf("log context %v, want funcr's values", lc)
	}
	ex := ev[0].Exceptions()
	var types []string
	for _, e := range ex {
		types = append(types, e.Type+":"+e.Value)
	}
	if !slices.Contains(types, "*logrsentry_test.quotaError:quota exceeded") || len(ex) < 2 {
		t.Errorf("exceptions %v, want both quota errors", types)
	}
}

// slogScript logs through logr.ToSlogHandler of log, as Kubernetes does
// when it makes klog's or controller-runtime's logger slog's default.
func slogScript(ctx context.Context, log logr.Logger) {
	sl := slog.New(logr.ToSlogHandler(log)).With("ctrl", "pods").WithGroup("req")
	sl.WarnContext(ctx, "slow", "ms", 900, slog.Group("pod", "ns", "default"))
	sl.Log(ctx, slog.Level(-1), "cache miss", "key", "pods/x") // V(1)
	sl.ErrorContext(ctx, "sync failed", "err", errors.New("conflict"))
}

// TestSlogBridgeOutputUnchanged: slog records that reach the user's sink
// through logr.ToSlogHandler are written byte for byte as without
// logcrumbs (funcr takes them as a logr.SlogSink: nested groups, its own
// V filter, the slog call's site), and logcrumbs keeps them in the trail of
// the slog call's context, with logr's "group.key" names.
func TestSlogBridgeOutputUnchanged(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		log := funcr.NewJSON(func(obj string) { out.WriteString(obj + "\n") },
			funcr.Options{LogCaller: funcr.All})
		if !wrap {
			slogScript(context.Background(), log)
			return out.String()
		}
		ev := wrappedSlogScript(t, log)
		if b := ev.Breadcrumbs(); len(b) == 0 || fmt.Sprint(b[0].Data["req.pod.ns"]) != "default" {
			t.Errorf("breadcrumbs %+v, want req.pod.ns", b)
		}
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with {
		t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	if !strings.Contains(without, `"req":{"ms":900,"pod":{"ns":"default"}}`) || strings.Contains(without, "cache miss") ||
		!strings.Contains(without, `"caller":{"file":"sink_test.go"`) {
		t.Errorf("funcr's output is not what the test expects: %s", without)
	}
}

// wrappedSlogScript runs slogScript through log wrapped by logrsentry,
// unbound, in a recorded request's context, checks what any wrapped sink
// must give (one event, the three breadcrumbs in the slog call's trail,
// the log context) and returns the event.
func wrappedSlogScript(t *testing.T, log logr.Logger) logcrumbstest.Event {
	t.Helper()
	rec := logcrumbstest.New(t)
	log = logrsentry.Wrap(log, logrsentry.Options{Options: rec.Options()})
	ctx := rec.Context(context.Background())
	slogScript(ctx, log) // unbound logger, the slog call's context
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	if n := len(logcrumbs.FromContext(ctx).Breadcrumbs()); n != 3 {
		t.Errorf("%d breadcrumbs in the slog call's context, want 3", n)
	}
	if got := strings.Join(evs[0].BreadcrumbMessages(), ","); got != "slow,cache miss" {
		t.Errorf("breadcrumbs %q, want slow and cache miss from the slog call's context", got)
	}
	if lc := evs[0].LogContext(); lc["ctrl"] != "pods" || lc["req.err"] != "conflict" {
		t.Errorf("log context %v", lc)
	}
	return evs[0]
}
