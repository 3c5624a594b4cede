package logrsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

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
// the slog call's context, groups nested as slogsentry nests them.
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
		if b := ev.Breadcrumbs(); len(b) == 0 || fmt.Sprint(b[0].Data["req"]) != "map[ms:900 pod:map[ns:default]]" {
			t.Errorf("breadcrumbs %+v, want req.pod.ns nested", b)
		}
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with {
		t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	if !strings.Contains(without, `"req":{"ms":900,"pod":{"ns":"default"}}`) || strings.Contains(without, "cache miss") ||
		!strings.Contains(without, `"caller":{"file":"slog_bridge_test.go"`) {
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
	if lc := evs[0].LogContext(); lc["ctrl"] != "pods" || fmt.Sprint(lc["req"]) != "map[err:conflict]" || len(lc) != 2 {
		t.Errorf("log context %v", lc)
	}
	return evs[0]
}

// plainSink is a logr sink that is no logr.SlogSink (as stdr, testr or
// logrusr): logr.ToSlogHandler hands it slog records as Info and Error
// calls. It writes each call with its caller, as found by its call depth.
type plainSink struct {
	mu    *sync.Mutex
	out   *strings.Builder
	depth int
	name  string
	kv    []any
}

func (s *plainSink) Init(info logr.RuntimeInfo) { s.depth = info.CallDepth }

func (s *plainSink) Enabled(level int) bool { return level <= 0 }

func (s *plainSink) Info(level int, msg string, kv ...any) {
	s.write(fmt.Sprintf("V(%d)", level), msg, kv)
}

func (s *plainSink) Error(err error, msg string, kv ...any) {
	s.write(fmt.Sprintf("error(%v)", err), msg, kv)
}

func (s *plainSink) write(what, msg string, kv []any) {
	_, file, line, _ := runtime.Caller(s.depth + 2)
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.out, "%s:%d %s %s %q %v %v\n", filepath.Base(file), line, s.name, what, msg, s.kv, kv)
}

func (s *plainSink) WithValues(kv ...any) logr.LogSink {
	s2 := *s
	s2.kv = append(slices.Clip(s.kv), kv...)
	return &s2
}

func (s *plainSink) WithName(name string) logr.LogSink {
	s2 := *s
	s2.name += "/" + name
	return &s2
}

func (s *plainSink) WithCallDepth(depth int) logr.LogSink {
	s2 := *s
	s2.depth += depth
	return &s2
}

// TestSlogBridgePlainSink: TestSlogBridgeOutputUnchanged for a sink that
// is no logr.SlogSink: logcrumbs keeps the slog records that reach it
// through logr.ToSlogHandler in the trail of the slog call's context, as
// the package says ("keeps slog records in the trail of the slog call's
// context when it carries one, else of the logger's"), not in the
// process-wide fallback trail, where every request's records mix; and the
// sink gets the calls, values and call sites it got without logcrumbs.
func TestSlogBridgePlainSink(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		log := logr.New(&plainSink{mu: new(sync.Mutex), out: &out})
		if !wrap {
			slogScript(context.Background(), log)
			return out.String()
		}
		wrappedSlogScript(t, log)
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with {
		t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	if !strings.Contains(without, `"slow" [ctrl pods] [req.ms 900 req.pod.ns default]`) ||
		strings.Contains(without, "cache miss") || !strings.Contains(without, "slog_bridge_test.go:") {
		t.Errorf("the sink's output is not what the test expects: %s", without)
	}
}

// TestSlogBridgeGroupsReachDottedPaths: a slog record logged through
// logr.ToSlogHandler of a wrapped logger (klog's logger as slog's default)
// with slog.Group("http", "status", 500) is read by TagKeys and
// EscalateIf's Lookup at "http.status", as the same call through
// slogsentry is.
func TestSlogBridgeGroupsReachDottedPaths(t *testing.T) {
	rec := logcrumbstest.New(t)
	o := rec.Options()
	o.TagKeys = []string{"http.status"}
	o.EscalateIf = func(r logcrumbs.Record) bool {
		_, ok := r.Lookup("http.status")
		return ok
	}
	ctx := rec.Context(context.Background())
	_, log := logrsentry.WithContext(ctx, logrsentry.Wrap(logr.Discard(), logrsentry.Options{Options: o}))
	slog.New(logr.ToSlogHandler(log)).InfoContext(ctx, "response", slog.Group("http", "status", 500))
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want the record escalated by http.status", len(evs))
	}
	if got := evs[0].Tags["http.status"]; got != "500" {
		t.Errorf("tag http.status = %q, want 500", got)
	}
}

// TestSlogBridgeGroupsAsSlogsentry: the same slog calls (WithGroup, With
// inside and outside it, slog.Group values, an empty group) logged through
// logr.ToSlogHandler of a wrapped logger and through slogsentry reach
// Sentry alike: groups nested as objects, as slog's handlers and funcr
// write them, not flattened to "req.pod.ns" keys.
func TestSlogBridgeGroupsAsSlogsentry(t *testing.T) {
	script := func(ctx context.Context, sl *slog.Logger) {
		sl = sl.With("ctrl", "pods").WithGroup("req").With("id", 7)
		sl.InfoContext(ctx, "fetched", "ms", 900, slog.Group("pod", "ns", "default"), slog.Group("none"))
		sl.ErrorContext(ctx, "sync failed", "err", errors.New("conflict"), slog.Group("http", "status", 500))
	}
	got := func(handler func(*logcrumbstest.Recorder, context.Context) slog.Handler) (crumb, event string) {
		rec := logcrumbstest.New(t)
		ctx := rec.Context(context.Background())
		script(ctx, slog.New(handler(rec, ctx)))
		ev := rec.OnlyEvent()
		lc := ev.LogContext()
		b := ev.Breadcrumbs()
		if len(b) != 1 {
			t.Fatalf("%d breadcrumbs, want 1", len(b))
		}
		return fmt.Sprint(b[0].Data), fmt.Sprint(lc)
	}
	wantCrumb, wantEvent := got(func(rec *logcrumbstest.Recorder, _ context.Context) slog.Handler {
		return slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()})
	})
	crumb, event := got(func(rec *logcrumbstest.Recorder, ctx context.Context) slog.Handler {
		_, log := logrsentry.WithContext(ctx, logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()})))
		return logr.ToSlogHandler(log)
	})
	if crumb != wantCrumb || event != wantEvent {
		t.Errorf("through the bridge:\nbreadcrumb %s\nlog        %s\nthrough slogsentry:\nbreadcrumb %s\nlog        %s",
			crumb, event, wantCrumb, wantEvent)
	}
}

// TestSlogBridgeHubOfTheCallsContext: a slog record through
// logr.ToSlogHandler of a logger not bound by WithContext, logged with a
// context that carries a Sentry hub but no trail (sentryhttp's handler
// without logcrumbs.Middleware, sentry.SetHubOnContext), is sent through
// that hub, with its scope (the request, tags), as slogsentry sends the
// same record. On 0e39369 the context was dropped for having no trail, so
// the event went to the current hub instead: here one with no client, so
// the event was lost.
func TestSlogBridgeHubOfTheCallsContext(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub().Clone()
	hub.Scope().SetTag("request", "r1")
	ctx := sentry.SetHubOnContext(context.Background(), hub)

	bridge := slog.New(logr.ToSlogHandler(logr.New(logrsentry.NewSink(nil, logrsentry.Options{}))))
	bridge.ErrorContext(ctx, "through logr", "err", errors.New("a"))
	slog.New(slogsentry.NewHandler(nil, slogsentry.Options{})).ErrorContext(ctx, "through slogsentry", "err", errors.New("b"))

	got := map[string]string{}
	for _, ev := range rec.Events() {
		got[ev.Message] = ev.Tags["request"]
	}
	for _, msg := range []string{"through slogsentry", "through logr"} {
		if tag, ok := got[msg]; !ok || tag != "r1" {
			t.Errorf("%q: sent %v through the context's hub (tag %q), want it sent there; events %v", msg, ok, tag, got)
		}
	}
}

// TestSlogBridgeWarnAndDebugLevels: slog records through
// logr.ToSlogHandler keep slog's levels, as slogsentry keeps them: a Warn
// record a warning breadcrumb, a Debug record a debug breadcrumb at the
// default Verbosity. Judgment call, left as it is: the bridge follows
// logr's own conversion (V = -level, clamped at 0), the one klog documents
// for Kubernetes (slog's Debug is V(4), its Warn V(0) Info), and the V
// levels the program's sink writes; a program that wants slog's Debug
// records kept sets Options.Verbosity to 4. Unskipped, on 0e39369:
//
//	breadcrumbs info:disk almost full, want slog's levels
func TestSlogBridgeWarnAndDebugLevels(t *testing.T) {
	t.Skip("defect (judgment call, logr's convention): the bridge maps slog levels as logr does, Warn to V(0) Info and Debug to V(4); see the comment")
	rec := logcrumbstest.New(t)
	ctx, log := logrsentry.WithContext(rec.Context(context.Background()), logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()})))
	sl := slog.New(logr.ToSlogHandler(log))
	sl.WarnContext(ctx, "disk almost full")
	sl.DebugContext(ctx, "cache miss")
	log.Error(nil, "failed")
	var got []string
	for _, b := range rec.OnlyEvent().Breadcrumbs() {
		got = append(got, string(b.Level)+":"+b.Message)
	}
	if s := strings.Join(got, ","); s != "warning:disk almost full,debug:cache miss" {
		t.Errorf("breadcrumbs %s, want slog's levels", s)
	}
}

// ctxHandler writes the slog call context's "req" value beside each
// record, as handlers that read the context (trace IDs) do.
type ctxHandler struct{ slog.Handler }

type reqKey struct{}

func (h ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	if v := ctx.Value(reqKey{}); v != nil {
		r.AddAttrs(slog.Any("ctx", v))
	}
	return h.Handler.Handle(ctx, r)
}

func (h ctxHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return ctxHandler{h.Handler.WithAttrs(as)}
}
func (h ctxHandler) WithGroup(name string) slog.Handler { return ctxHandler{h.Handler.WithGroup(name)} }

// TestSlogBridgeSlogBackendOutputUnchanged: a logger backed by a slog
// handler (logr.FromSlogHandler), wrapped, and made slog's again
// (logr.ToSlogHandler, which hands the handler its records whole without
// logcrumbs), writes what it wrote without logcrumbs: the record's level
// (a warning is no info, and a handler that writes warnings only still
// writes it), its groups nested, the slog call's context, and its values
// of WithValues and WithAttrs, grouped as they were.
func TestSlogBridgeSlogBackendOutputUnchanged(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelWarn} {
		for _, how := range []string{"Wrap", "NewSink"} {
			t.Run(level.String()+"/"+how, func(t *testing.T) {
				run := func(wrap bool) string {
					var buf strings.Builder
					h := ctxHandler{slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: level, AddSource: true,
						ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
							if a.Key == slog.TimeKey && len(groups) == 0 {
								return slog.Attr{}
							}
							return a
						}})}
					l := logr.FromSlogHandler(h).WithValues("app", "x")
					rec := logcrumbstest.New(t)
					ctx := context.WithValue(rec.Context(context.Background()), reqKey{}, "r1")
					if wrap {
						lopts := logrsentry.Options{Options: rec.Options()}
						if how == "Wrap" {
							l = logrsentry.Wrap(l, lopts)
						} else {
							l = logr.New(logrsentry.NewSink(logr.FromSlogHandler(h).GetSink(), lopts)).WithValues("app", "x")
						}
					}
					l = l.WithValues("v", 1)
					sl := slog.New(logr.ToSlogHandler(l)).With("ctrl", "pods").WithGroup("req").With("id", 7)
					sl.WarnContext(ctx, "slow", "ms", 900, slog.Group("pod", "ns", "default"))
					sl.InfoContext(ctx, "info")
					sl.DebugContext(ctx, "debug")
					sl.ErrorContext(ctx, "sync failed", "err", errors.New("conflict"))
					if wrap {
						if n := len(rec.Events()); n != 1 {
							t.Errorf("%d events, want 1", n)
						}
					}
					return buf.String()
				}
				without, with := run(false), run(true)
				if without != with {
					t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
				}
				if !strings.Contains(without, `"level":"WARN"`) || !strings.Contains(without, `"req":{"id":7,"ms":900,"pod":{"ns":"default"},"ctx":"r1"}`) {
					t.Errorf("the handler's output is not what the test expects: %s", without)
				}
			})
		}
	}
}

// countingValuer is a LogValuer that counts its LogValue calls, and logs
// the count.
type countingValuer struct{ n *int }

func (c countingValuer) LogValue() slog.Value { *c.n++; return slog.IntValue(*c.n) }

// panickyValuer is a LogValuer whose LogValue panics.
type panickyValuer struct{}

func (panickyValuer) LogValue() slog.Value { panic("no value") }

// TestSlogBridgeLogValuerOnce: a slog LogValuer logged through
// logr.ToSlogHandler of a wrapped logger has its LogValue called once, as
// without logcrumbs (and as slogsentry calls it), whatever the sink: the
// breadcrumb holds the value the user's sink wrote, not that of a second
// call. And one whose LogValue panics, in an error record, is a note in the
// event's log context, as slogsentry keeps it, not the event's exception
// ("LogValue panicked" and slog's stack, which Sentry would title and
// group the event by).
func TestSlogBridgeLogValuerOnce(t *testing.T) {
	sinks := map[string]func(out *strings.Builder) logr.Logger{
		"funcr": func(out *strings.Builder) logr.Logger {
			return funcr.NewJSON(func(obj string) { out.WriteString(obj + "\n") }, funcr.Options{})
		},
		"plain": func(out *strings.Builder) logr.Logger {
			return logr.New(&plainSink{mu: new(sync.Mutex), out: out})
		},
		"slog handler": func(out *strings.Builder) logr.Logger {
			return logr.FromSlogHandler(slog.NewJSONHandler(out, nil))
		},
	}
	for name, mk := range sinks {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			var out strings.Builder
			ctx, log := logrsentry.WithContext(rec.Context(context.Background()),
				logrsentry.Wrap(mk(&out), logrsentry.Options{Options: rec.Options()}))
			var inRecord, inWith int
			sl := slog.New(logr.ToSlogHandler(log)).With("w", countingValuer{&inWith})
			sl.InfoContext(ctx, "counted", "c", countingValuer{&inRecord})
			sl.ErrorContext(ctx, "failed", "p", panickyValuer{})
			if inRecord != 1 || inWith != 1 {
				t.Errorf("LogValue called %d times for the record's value and %d for With's, want once each; output %s", inRecord, inWith, out.String())
			}
			ev := rec.OnlyEvent()
			if b := ev.Breadcrumbs(); len(b) != 1 || fmt.Sprint(b[0].Data["c"]) != "1" || fmt.Sprint(b[0].Data["w"]) != "1" {
				t.Errorf("breadcrumbs %+v, want c and w of 1, the values the sink wrote", b)
			}
			if len(ev.Exception) != 0 {
				t.Errorf("exceptions %s: %.40q, want none (a message event)", ev.Exception[0].Type, ev.Exception[0].Value)
			}
			if p := fmt.Sprint(ev.LogContext()["p"]); p != "!PANIC in logrsentry_test.panickyValuer.LogValue: no value" {
				t.Errorf("log context p = %.80q, want the panic's note", p)
			}
		})
	}
}

// TestSlogBridgeSlogBackendWithValuesOnce: the values of WithValues on a
// wrapped logger backed by a slog handler reach the handler once, for its
// logr records and its slog ones (logr.ToSlogHandler): a LogValuer among
// them is resolved by the handler once, as without logcrumbs.
func TestSlogBridgeSlogBackendWithValuesOnce(t *testing.T) {
	run := func(wrap bool) (int, string) {
		var out strings.Builder
		l := logr.FromSlogHandler(slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		}}))
		if wrap {
			rec := logcrumbstest.New(t)
			l = logrsentry.Wrap(l, logrsentry.Options{Options: rec.Options()})
		}
		n := 0
		l = l.WithName("ctrl").WithValues("c", countingValuer{&n}).WithCallDepth(0)
		slog.New(logr.ToSlogHandler(l)).Info("through slog")
		l.Info("through logr")
		return n, out.String()
	}
	n0, without := run(false)
	n1, with := run(true)
	if n0 != n1 || without != with {
		t.Errorf("LogValue called %d times, output:\n%s\nwant %d times, as without logcrumbs:\n%s", n1, with, n0, without)
	}
}

// TestSlogBridgeSlogBackendGroupRoundTrip: a wrapped logger backed by a
// slog handler, made slog's (logr.ToSlogHandler), given a group or
// attributes there, and made a logr.Logger again (logr.FromSlogHandler, as
// a library that takes a slog handler and hands a logr.Logger on does),
// writes its logr records into that group, with those attributes, at its
// V levels and with its errors, as without logcrumbs (where the second
// logger is logr's sink over the grouped handler).
//
// One difference stays: a logger named with WithName before the round
// trip writes its name after it too; without logcrumbs, logr.ToSlogHandler
// unwraps the handler and the name is lost. The round trip's logger shares
// the first one's sink, whose records must keep their name.
func TestSlogBridgeSlogBackendGroupRoundTrip(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		l := logr.FromSlogHandler(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.Level(-1), AddSource: true,
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{}
				}
				return a
			}}))
		if wrap {
			rec := logcrumbstest.New(t)
			l = logrsentry.Wrap(l, logrsentry.Options{Options: rec.Options()})
		}
		h := slog.New(logr.ToSlogHandler(l)).With("a", 1).WithGroup("g").With("b", 2).Handler()
		back := logr.FromSlogHandler(h).WithValues("c", 3)
		back.Info("grouped", "k", 1)
		back.V(1).Info("verbose")
		back.V(2).Info("too verbose")
		back.WithName("sub").Error(errors.New("boom"), "failed", "k", 2)
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with {
		t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	if !strings.Contains(without, `"msg":"grouped","a":1,"g":{"b":2,"c":3,"k":1}}`) || strings.Contains(without, "too verbose") {
		t.Errorf("the handler's output is not what the test expects: %s", without)
	}
}

// groupRoundTripDepth logs through a logger that went to slog with a call
// depth of its helpers (WithCallDepth), into a group there, and back
// (logr.FromSlogHandler): a new logger, whose calls are the caller's own.
func groupRoundTripDepth(l logr.Logger) {
	h := slog.New(logr.ToSlogHandler(l.WithCallDepth(1))).WithGroup("g").Handler()
	back := logr.FromSlogHandler(h)
	back.Info("grouped", "k", 1)
	back.Error(errors.New("boom"), "failed")
}

// TestSlogBridgeSlogBackendGroupRoundTripCallDepth: the logger made again
// of a wrapped slog-backed logger's handler, given a group or attributes
// in slog, writes its calls' own sites, as without logcrumbs (logr's sink
// over the grouped handler, which knows nothing of the first logger's call
// depth), and its event's stack starts at the call, not at its caller.
func TestSlogBridgeSlogBackendGroupRoundTripCallDepth(t *testing.T) {
	run := func(wrap bool) (string, *logcrumbstest.Recorder) {
		var out strings.Builder
		l := logr.FromSlogHandler(slog.NewJSONHandler(&out, &slog.HandlerOptions{AddSource: true,
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{}
				}
				return a
			}}))
		rec := logcrumbstest.New(t)
		if wrap {
			l = logrsentry.Wrap(l, logrsentry.Options{Options: rec.Options()})
		}
		groupRoundTripDepth(l)
		return out.String(), rec
	}
	without, _ := run(false)
	with, rec := run(true)
	if without != with {
		t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	if !strings.Contains(without, `"function":"github.com/logcrumbs/logcrumbs/logrsentry_test.groupRoundTripDepth"`) {
		t.Errorf("the handler's output is not what the test expects: %s", without)
	}
	st := rec.OnlyEvent().Exception[0].Stacktrace
	if top := st.Frames[len(st.Frames)-1]; top.Function != "groupRoundTripDepth" {
		t.Errorf("the event's stack starts in %s, want groupRoundTripDepth", top.Function)
	}
}
