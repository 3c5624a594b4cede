package crosstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/getsentry/sentry-go/attribute"
	sentryslog "github.com/getsentry/sentry-go/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// The same slog records sent to Sentry Logs by slogsentry's Logs level and
// by sentry-go's own slog integration (sentry-go/slog v0.50.0), each to its
// own Recorder: what a team migrating from one to the other sees. Every
// difference is listed with its reason (doc.go, slogsentry.Options.LogsLevel,
// logcrumbs.Options.EventLimits); anything else must be the same.

// slogPair returns a logcrumbs logger (its Logs level below every level)
// and sentry-go's, with their Recorders and the contexts to log on (each a
// unit of work on its own clone of its Recorder's hub).
func slogPair(t *testing.T, configure func(*sentry.ClientOptions), levels ...slog.Level) (ours, theirs *slog.Logger, rOurs, rTheirs *logcrumbstest.Recorder, ctxOurs, ctxTheirs context.Context) {
	t.Helper()
	rOurs, rTheirs = logcrumbstest.New(t, configure), logcrumbstest.New(t, configure)
	ours = slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rOurs.Options(), LogsLevel: slog.Level(-100), BreadcrumbLevel: slog.Level(-100)}))
	theirs = slog.New(sentryslog.Option{LogLevel: levels}.NewSentryHandler(sentry.SetHubOnContext(context.Background(), rTheirs.Hub())))
	return ours, theirs, rOurs, rTheirs, rOurs.Context(context.Background()), sentry.SetHubOnContext(context.Background(), rTheirs.Hub().Clone())
}

// onlyLog returns the one log r recorded.
func onlyLog(t *testing.T, r *logcrumbstest.Recorder, who string) sentry.Log {
	t.Helper()
	logs := r.Logs()
	if len(logs) != 1 {
		t.Fatalf("%s sent %d logs, want 1", who, len(logs))
	}
	return logs[0]
}

// ownDifferences are the attributes only logcrumbs writes (doc.go), and
// the origin, each integration's own.
var ownDifferences = map[string]bool{"logcrumbs.logger": true, "sentry.origin": true, "sentry.event_id": true}

type lvUser struct{ name string }

func (u lvUser) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", u.name), slog.Int("n", 3))
}

type point struct {
	X int
	Y string
}

func TestLogsLikeSentrySlog(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		name  string
		level slog.Level
		msg   string
		attrs []any
		// differ holds, for each attribute that differs on purpose, what
		// logcrumbs sends (nil: nothing), and why.
		differ map[string]any
	}{
		{name: "trace", level: slog.LevelDebug - 4, msg: "m"},
		{name: "below debug", level: slog.LevelDebug - 1, msg: "m"},
		{name: "debug", level: slog.LevelDebug, msg: "m"},
		{name: "info+2", level: slog.LevelInfo + 2, msg: "m"},
		{name: "warn", level: slog.LevelWarn, msg: "m"},
		{name: "error", level: slog.LevelError, msg: "m"},
		{name: "error+2", level: slog.LevelError + 2, msg: "m"},
		{name: "fatal", level: sentryslog.LevelFatal, msg: "m"},
		{name: "above fatal", level: sentryslog.LevelFatal + 8, msg: "m"},
		{name: "percent in the body", level: slog.LevelInfo, msg: "100% of %d %s"},
		{name: "scalars", level: slog.LevelInfo, msg: "m", attrs: []any{
			"i", int64(-5), "u", uint64(math.MaxUint64), "f", 1.5, "b", true, "s", "text",
			"d", 1500 * time.Millisecond, "t", when, "err", errors.New("boom"),
		}},
		{name: "groups and LogValuers", level: slog.LevelInfo, msg: "m", attrs: []any{
			slog.Group("g", slog.Int("a", 1), slog.Group("h", slog.String("b", "x"))), "u", lvUser{"bob"},
		}},
		{name: "composites", level: slog.LevelInfo, msg: "m", attrs: []any{
			"bytes", []byte("hi"), "ints", []int{1, 2}, "strs", []string{"a", "b"},
			"map", map[string]int{"k": 1}, "st", point{1, "y"}, "ptr", &point{2, "z"},
		}, differ: map[string]any{
			// logcrumbs renders values as an event's data: texts for
			// bytes, JSON for lists, maps and structs flattened to
			// dotted keys; sentry-go/slog sends fmt's %+v ("[a b]").
			// A list is JSON text, not one of sentry-go's typed arrays
			// (attribute.StringSlice...: {"type":"array"} on the
			// wire), which none of sentry-go v0.50's own integrations
			// sends: sentry-go/zap sends zap.Strings as the same JSON
			// text, sentry-go/zerolog fmt's "[a b]". JSON text reads
			// the same for any list, mixed, nested or of maps, which
			// an array attribute cannot hold, and is what an event's
			// data shows.
			"bytes": "hi", "ints": "[1,2]", "strs": `["a","b"]`,
			"map": nil, "map.k": int64(1), "st": nil, "st.X": int64(1), "st.Y": "y",
			"ptr": nil, "ptr.X": int64(2), "ptr.Y": "z",
		}},
		{name: "nil", level: slog.LevelInfo, msg: "m", attrs: []any{"k", nil, "p", (*point)(nil)}, differ: map[string]any{
			// sentry-go/slog leaves a nil out (removeEmptyAttrs), and
			// sends a typed nil as fmt's "<nil>"; sentry-go's zap and
			// zerolog integrations send either as "<nil>" (fmt of the
			// value): Sentry Logs have no null. logcrumbs sends "null",
			// the JSON an event's data and breadcrumbs show for both:
			// the key was logged, and a search for it finds the log.
			"k": "null", "p": "null",
		}},
		{name: "non-finite floats", level: slog.LevelInfo, msg: "m", attrs: []any{"nan", math.NaN(), "inf", math.Inf(-1)}, differ: map[string]any{
			// JSON has no number for them: sent as a float, the log
			// does not marshal (see TestLogsNaNKeepsTheBatch).
			"nan": "NaN", "inf": "-Inf",
		}},
		{name: "sentry keys", level: slog.LevelInfo, msg: "m", attrs: []any{"sentry.environment", "mine", "sentry.message.template", "x", "user.id", "u-1"}, differ: map[string]any{
			// a field never replaces Sentry's entry (doc.go): the
			// client's environment stays; sentry-go/slog sends "mine".
			"sentry.environment": "prod", "attr.sentry.environment": "mine",
			"sentry.message.template": nil, "attr.sentry.message.template": "x",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ours, theirs, rOurs, rTheirs, ctxOurs, ctxTheirs := slogPair(t, func(o *sentry.ClientOptions) {
				o.Environment, o.Release, o.ServerName = "prod", "r1", "srv"
			}, c.level)
			ours.Log(ctxOurs, c.level, c.msg, c.attrs...)
			theirs.Log(ctxTheirs, c.level, c.msg, c.attrs...)
			a, b := onlyLog(t, rOurs, "logcrumbs"), onlyLog(t, rTheirs, "sentry-go/slog")
			if a.Level != b.Level || a.Severity != b.Severity || a.Body != b.Body {
				t.Errorf("logcrumbs: %s (%d) %q; sentry-go/slog: %s (%d) %q", a.Level, a.Severity, a.Body, b.Level, b.Severity, b.Body)
			}
			if got := a.Attributes["sentry.origin"].AsString(); got != "auto.log.logcrumbs" {
				t.Errorf("sentry.origin %q, want auto.log.logcrumbs", got)
			}
			for k, want := range c.differ {
				got, ok := a.Attributes[k]
				switch {
				case want == nil && ok:
					t.Errorf("%s = %#v, want none", k, got.AsInterface())
				case want != nil && got.AsInterface() != want:
					t.Errorf("%s = %#v, want %#v", k, got.AsInterface(), want)
				}
			}
			for k, v := range b.Attributes {
				if _, ok := c.differ[k]; ok || ownDifferences[k] {
					continue
				}
				if got, ok := a.Attributes[k]; !ok || fmt.Sprint(got.AsInterface()) != fmt.Sprint(v.AsInterface()) || got.Type() != v.Type() {
					t.Errorf("%s: logcrumbs %s %#v, sentry-go/slog %s %#v", k, got.Type(), got.AsInterface(), v.Type(), v.AsInterface())
				}
			}
			for k, v := range a.Attributes {
				if _, ok := b.Attributes[k]; !ok && !ownDifferences[k] && c.differ[k] == nil {
					t.Errorf("%s = %#v only in logcrumbs' log", k, v.AsInterface())
				}
			}
		})
	}
}

// TestLogsLikeSentrySlogScope: the hub's scope (its user, its log
// attributes), the client's environment, release and server, the trace of
// the span on the context or else of the scope (no span), and what BeforeSendLog
// sees and changes, as sentry-go/slog has them.
func TestLogsLikeSentrySlogScope(t *testing.T) {
	var seen [2]map[string]bool
	n := 0
	configure := func(o *sentry.ClientOptions) {
		o.Environment, o.Release, o.ServerName = "prod", "r1", "srv"
		o.EnableTracing, o.TracesSampleRate = true, 1
		i := n
		n++
		o.BeforeSendLog = func(l *sentry.Log) *sentry.Log {
			seen[i] = map[string]bool{}
			for k := range l.Attributes {
				seen[i][k] = true
			}
			l.Attributes["added"] = attribute.StringValue("by BeforeSendLog")
			delete(l.Attributes, "k")
			return l
		}
	}
	ours, theirs, rOurs, rTheirs, ctxOurs, ctxTheirs := slogPair(t, configure, slog.LevelInfo)
	var logs [2][]sentry.Log
	for i, run := range []struct {
		l   *slog.Logger
		ctx context.Context
		r   *logcrumbstest.Recorder
	}{{ours, ctxOurs, rOurs}, {theirs, ctxTheirs, rTheirs}} {
		scope := sentry.GetHubFromContext(run.ctx).Scope()
		scope.SetUser(sentry.User{ID: "u-1", Name: "bob"})
		scope.SetTag("tag", "v")
		scope.SetAttributes(attribute.String("scope.a", "sa"), attribute.Int("scope.n", 2))
		run.l.InfoContext(run.ctx, "no span", "k", 1)
		span := sentry.StartSpan(run.ctx, "op")
		run.l.InfoContext(span.Context(), "in span", "k", 2)
		span.Finish()
		logs[i] = run.r.Logs()
		if len(logs[i]) != 2 {
			t.Fatalf("%d logs, want 2", len(logs[i]))
		}
		if logs[i][1].TraceID != span.TraceID || logs[i][1].SpanID != span.SpanID {
			t.Errorf("log in span: trace %v span %v, want %v %v", logs[i][1].TraceID, logs[i][1].SpanID, span.TraceID, span.SpanID)
		}
		if logs[i][0].TraceID == (sentry.TraceID{}) || logs[i][0].SpanID != (sentry.SpanID{}) {
			t.Errorf("log without span: trace %v span %v, want the scope's trace and no span", logs[i][0].TraceID, logs[i][0].SpanID)
		}
	}
	for k := range seen[1] {
		if !seen[0][k] && !ownDifferences[k] {
			t.Errorf("BeforeSendLog saw %s in sentry-go/slog's log only", k)
		}
	}
	for j := range 2 {
		a, b := logs[0][j], logs[1][j]
		for k, v := range b.Attributes {
			if !ownDifferences[k] && fmt.Sprint(a.Attributes[k].AsInterface()) != fmt.Sprint(v.AsInterface()) {
				t.Errorf("%q: %s: logcrumbs %#v, sentry-go/slog %#v", b.Body, k, a.Attributes[k].AsInterface(), v.AsInterface())
			}
		}
		if _, ok := a.Attributes["k"]; ok {
			t.Errorf("%q: k still there, BeforeSendLog deleted it", a.Body)
		}
	}
}

// TestLogsNaNKeepsTheBatch: sentry-go/slog sends a NaN as a float, which
// JSON cannot hold: the batch it is in (up to 100 logs of the program)
// does not marshal, and is lost. logcrumbs sends "NaN".
func TestLogsNaNKeepsTheBatch(t *testing.T) {
	ours, theirs, rOurs, rTheirs, ctxOurs, ctxTheirs := slogPair(t, nil, slog.LevelInfo)
	ours.InfoContext(ctxOurs, "ratio", "r", math.NaN())
	theirs.InfoContext(ctxTheirs, "ratio", "r", math.NaN())
	ev := sentry.NewEvent()
	ev.Type = "log"
	ev.Logs = []sentry.Log{onlyLog(t, rOurs, "logcrumbs")}
	if _, err := json.Marshal(ev); err != nil {
		t.Errorf("logcrumbs' batch: %v", err)
	}
	ev.Logs = []sentry.Log{onlyLog(t, rTheirs, "sentry-go/slog")}
	if _, err := json.Marshal(ev); err == nil {
		t.Log("sentry-go/slog's batch marshals now: the reason for the string is gone")
	}
}

// TestLogsHugeRecordWithinEventLimits: sentry-go/slog sends a 100 KiB
// value and 600 attributes whole; logcrumbs sends them within
// Options.EventLimits (16 KiB a value, 512 attributes by default), and
// counts what it dropped.
func TestLogsHugeRecordWithinEventLimits(t *testing.T) {
	ours, theirs, rOurs, rTheirs, ctxOurs, ctxTheirs := slogPair(t, nil, slog.LevelInfo)
	args := []any{"big", strings.Repeat("x", 100<<10)}
	for i := range 600 {
		args = append(args, fmt.Sprintf("a%03d", i), i)
	}
	ours.InfoContext(ctxOurs, "huge", args...)
	theirs.InfoContext(ctxTheirs, "huge", args...)
	a, b := onlyLog(t, rOurs, "logcrumbs"), onlyLog(t, rTheirs, "sentry-go/slog")
	if got := len(b.Attributes["big"].AsString()); got != 100<<10 {
		t.Errorf("sentry-go/slog's big: %d bytes", got)
	}
	if got := len(a.Attributes["big"].AsString()); got != 16<<10 {
		t.Errorf("logcrumbs' big: %d bytes, want 16 KiB", got)
	}
	if got := a.Attributes["a510"].AsInterface(); got != int64(510) {
		t.Errorf("logcrumbs' a510 = %#v, want 510 (the 512th attribute)", got)
	}
	if got := a.Attributes["logcrumbs.dropped_attrs"].AsInterface(); got != int64(89) {
		t.Errorf("logcrumbs.dropped_attrs = %#v, want 89 (601 - 512)", got)
	}
}

// TestLogsFlushedByFlush: logs sent from many goroutines, some on a unit
// of work's context and some on none (Options.Hub), are all in the batch
// that logcrumbs.Flush sends, as hub.Flush sends sentry-go/slog's (both
// below sentry-go's batch buffer, 100 logs, past which sentry-go drops
// the logs of either).
func TestLogsFlushedByFlush(t *testing.T) {
	ours, theirs, rOurs, rTheirs, ctxOurs, ctxTheirs := slogPair(t, nil, slog.LevelInfo)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			ctx, ctx2 := ctxOurs, ctxTheirs
			if g%2 == 0 {
				ctx, ctx2 = context.Background(), context.Background()
			}
			for i := range 10 {
				ours.InfoContext(ctx, "m", "g", g, "i", i)
				theirs.InfoContext(ctx2, "m", "g", g, "i", i)
			}
		})
	}
	wg.Wait()
	if !logcrumbs.Flush(5 * time.Second) {
		t.Error("Flush false")
	}
	rTheirs.Hub().Flush(5 * time.Second)
	count := func(r *logcrumbstest.Recorder) (n int) {
		for _, ev := range r.Sent() {
			if ev.Type == "log" {
				n += len(ev.Logs)
			}
		}
		return n
	}
	if a, b := count(rOurs), count(rTheirs); a != 80 || b != 80 {
		t.Errorf("sent after Flush: logcrumbs %d, sentry-go/slog after hub.Flush %d, want 80", a, b)
	}
}

// TestLogsLikeSentrySlogWith: With and WithGroup, nested and empty groups
// and a repeated key, as sentry-go/slog sends them, but for slog's rule
// that a group of empty key is inlined (slog.Group("", ...)), which
// sentry-go/slog drops.
func TestLogsLikeSentrySlogWith(t *testing.T) {
	ours, theirs, rOurs, rTheirs, ctxOurs, ctxTheirs := slogPair(t, nil, slog.LevelInfo)
	log := func(l *slog.Logger, ctx context.Context) {
		l = l.With("top", 1).WithGroup("req").With("id", 2).WithGroup("").WithGroup("sub")
		l.InfoContext(ctx, "m", "k", 3, slog.Group("g", "a", 1), slog.Group("empty"), slog.Attr{}, slog.Group("", "inl", 6), "k", 4)
	}
	log(ours, ctxOurs)
	log(theirs, ctxTheirs)
	a, b := onlyLog(t, rOurs, "logcrumbs"), onlyLog(t, rTheirs, "sentry-go/slog")
	for k, v := range b.Attributes {
		if !ownDifferences[k] && fmt.Sprint(a.Attributes[k].AsInterface()) != fmt.Sprint(v.AsInterface()) {
			t.Errorf("%s: logcrumbs %#v, sentry-go/slog %#v", k, a.Attributes[k].AsInterface(), v.AsInterface())
		}
	}
	for k, v := range a.Attributes {
		if _, ok := b.Attributes[k]; !ok && !ownDifferences[k] && k != "req.sub.inl" {
			t.Errorf("%s = %#v only in logcrumbs' log", k, v.AsInterface())
		}
	}
	if got := a.Attributes["req.sub.inl"].AsInterface(); got != int64(6) {
		t.Errorf("req.sub.inl = %#v, want 6 (the group of empty key inlined)", got)
	}
	if got := a.Attributes["req.sub.k"].AsInterface(); got != int64(4) {
		t.Errorf("req.sub.k = %#v, want 4 (the last of the key)", got)
	}
}
