package expslog_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

type panicValuer struct{}

func (panicValuer) LogValue() xslog.Value { panic("valuer exploded") }

type user struct{ id string }

func (u user) LogValue() xslog.Value { return xslog.GroupValue(xslog.String("id", u.id)) }

// TestLogValuerAndLevels: an x/exp LogValuer resolves as in log/slog (here to
// the user group), and the levels come from slogsentry.Options.
func TestLogValuerAndLevels(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	l := xslog.New(expslog.NewHandler(nil, slogsentry.Options{
		Options:         logcrumbs.Options{Hub: hub},
		BreadcrumbLevel: slog.LevelInfo,
		EventLevel:      slog.LevelWarn,
	}))
	ctx := logcrumbs.NewContext(context.Background())
	l.DebugContext(ctx, "dropped")
	l.InfoContext(ctx, "kept")
	l.WarnContext(ctx, "sent", "user", user{"42"})
	ev := rec.OnlyEvent()
	if ev.Level != "warning" || ev.User.ID != "42" || len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Message != "kept" {
		t.Errorf("event = %q %+v %+v", ev.Level, ev.User, ev.Event.Breadcrumbs)
	}
}

// selfValuer's LogValue returns itself: a LogValuer that never resolves.
type selfValuer struct{}

func (s selfValuer) LogValue() xslog.Value { return xslog.AnyValue(s) }

// counted counts its LogValue calls.
type counted struct{ n *atomic.Int32 }

func (c counted) LogValue() xslog.Value { c.n.Add(1); return xslog.StringValue("resolved") }

// nested resolves to a group holding a panicking LogValuer.
type nested struct{}

func (nested) LogValue() xslog.Value {
	return xslog.GroupValue(xslog.String("ok", "yes"), xslog.Any("bad", panicValuer{}))
}

// TestLogValuers: x/exp LogValuers are resolved as slogsentry resolves
// log/slog's: a panic or an endless chain becomes text naming the user's
// type (as for log/slog, see slogsentry's TestBadInputNeverPanics), a
// LogValuer inside the group another returns is resolved too, and one given
// to With is resolved once, then, not for every record.
func TestLogValuers(t *testing.T) {
	var calls atomic.Int32
	panics := logcrumbs.Stats().UserPanics
	logger, rec := newLogger(t, nil, slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())
	withValuer := logger.With("once", counted{&calls})
	for range 3 {
		withValuer.InfoContext(ctx, "record")
	}
	logger.InfoContext(ctx, "bad", "panic", panicValuer{}, "loop", selfValuer{}, "nested", nested{})
	logger.ErrorContext(ctx, "boom")

	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 4 {
		t.Fatalf("breadcrumbs = %+v", ev.Event.Breadcrumbs)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("a LogValuer given to With was called %d times, want 1", n)
	}
	if d := ev.Event.Breadcrumbs[2].Data; d["once"] != "resolved" {
		t.Errorf("With's LogValuer = %v", d["once"])
	}
	d := ev.Event.Breadcrumbs[3].Data
	for key, want := range map[string]string{
		"panic": "!PANIC in expslog_test.panicValuer.LogValue: valuer exploded",
		"loop":  "!LOOP: LogValue called 100 times on expslog_test.selfValuer",
	} {
		if d[key] != want {
			t.Errorf("%s = %q, want %q", key, d[key], want)
		}
	}
	n, _ := d["nested"].(map[string]any)
	if n["ok"] != "yes" || n["bad"] != "!PANIC in expslog_test.panicValuer.LogValue: valuer exploded" {
		t.Errorf("nested = %#v", d["nested"])
	}
	if got := logcrumbs.Stats().UserPanics - panics; got != 2 {
		t.Errorf("UserPanics grew by %d, want 2", got)
	}
}

// countValuer's LogValue returns how many times it was called.
type countValuer struct{ n *atomic.Int32 }

func (c countValuer) LogValue() xslog.Value { return xslog.Int64Value(int64(c.n.Add(1))) }

// noTime drops the time from the wrapped handler's output.
func noTime(groups []string, a xslog.Attr) xslog.Attr {
	if len(groups) == 0 && a.Key == xslog.TimeKey {
		return xslog.Attr{}
	}
	return a
}

// TestLogValuerResolvedOncePerRecord: an x/exp LogValuer logged once (at
// the top level, inside a group, through With, as a breadcrumb and as an
// event) has its LogValue called once, and the wrapped handler's output and
// Sentry show the same value.
func TestLogValuerResolvedOncePerRecord(t *testing.T) {
	var out bytes.Buffer
	logger, rec := newLogger(t, xslog.NewJSONHandler(&out, &xslog.HandlerOptions{ReplaceAttr: noTime}), slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())
	var top, grouped, with, crumb atomic.Int32
	logger.InfoContext(ctx, "crumb", "n", countValuer{&crumb})
	logger.With("w", countValuer{&with}).ErrorContext(ctx, "failed", "err", errors.New("boom"),
		"n", countValuer{&top}, xslog.Group("g", "n", countValuer{&grouped}))
	for name, n := range map[string]*atomic.Int32{"top": &top, "group": &grouped, "With": &with, "breadcrumb": &crumb} {
		if got := n.Load(); got != 1 {
			t.Errorf("%s: LogValue called %d times, want 1", name, got)
		}
	}
	want := `{"level":"INFO","msg":"crumb","n":1}` + "\n" +
		`{"level":"ERROR","msg":"failed","w":1,"err":"boom","n":1,"g":{"n":1}}` + "\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	ev := rec.OnlyEvent()
	lc := ev.Contexts["log"]
	if lc["n"] != int64(1) || lc["w"] != int64(1) || lc["g"].(map[string]any)["n"] != int64(1) {
		t.Errorf("event log context = %v, want the values the output shows", lc)
	}
	if bc := ev.Event.Breadcrumbs; len(bc) != 1 || bc[0].Data["n"] != int64(1) {
		t.Errorf("breadcrumbs = %+v, want n 1", bc)
	}
}

// userValuer resolves to a group holding a LogValuer, as a LogValue for a
// struct does.
type userValuer struct{ n *atomic.Int32 }

func (u userValuer) LogValue() xslog.Value {
	return xslog.GroupValue(xslog.String("id", "u1"), xslog.Any("seq", countValuer(u)))
}

// TestResolvedOutputReplaceAttrSeesGroups: x/exp/slog's handlers call
// ReplaceAttr with the group value of a LogValuer (never with a group's):
// a ReplaceAttr that drops or renames such attributes (here it drops "user",
// as one that redacts would, and marks each key with its kind) writes byte
// for byte what it writes without logcrumbs, in the record, in a group and
// through With. Each LogValue runs once: the kept ones as without
// logcrumbs; the dropped ones, which the handler never resolves, once for
// Sentry.
func TestResolvedOutputReplaceAttrSeesGroups(t *testing.T) {
	rep := func(groups []string, a xslog.Attr) xslog.Attr {
		if a = noTime(groups, a); a.Key == "" || a.Key == "user" {
			return xslog.Attr{}
		}
		return xslog.Attr{Key: a.Key + "[" + a.Value.Kind().String() + "]", Value: a.Value}
	}
	run := func(wrap, text bool) (out string, kept, dropped int32) {
		var b bytes.Buffer
		var h xslog.Handler = xslog.NewJSONHandler(&b, &xslog.HandlerOptions{ReplaceAttr: rep})
		if text {
			h = xslog.NewTextHandler(&b, &xslog.HandlerOptions{ReplaceAttr: rep})
		}
		if wrap {
			h = expslog.NewHandler(h, slogsentry.Options{})
		}
		var n, d atomic.Int32
		ctx := logcrumbs.NewContext(context.Background())
		l := xslog.New(h)
		l.With("user", userValuer{&d}, "acct", userValuer{&n}).InfoContext(ctx, "m",
			"user", userValuer{&d}, "who", userValuer{&n}, xslog.Group("g", "user", userValuer{&d}, "c", countValuer{&n}))
		return b.String(), n.Load(), d.Load()
	}
	for _, text := range []bool{false, true} {
		p, pn, _ := run(false, text)
		w, wn, wd := run(true, text)
		if p != w || pn != wn || wd != 3 {
			t.Errorf("text handler %v: wrapped output (%d+%d LogValue calls, want %d+3):\n%s\nplain output:\n%s", text, wn, wd, pn, w, p)
		}
	}
}

// stdValuer is a log/slog LogValuer: x/exp/slog sees a plain value.
type stdValuer struct{ N int }

func (s stdValuer) LogValue() slog.Value { return slog.StringValue("std resolved") }

// mixed resolves to a group of what crosses the two slog packages badly: a
// time, an empty group (log/slog drops it, x/exp/slog keeps it), a
// log/slog LogValuer, a counted LogValuer and a panicking one after them.
type mixed struct{ n *atomic.Int32 }

func (m mixed) LogValue() xslog.Value {
	return xslog.GroupValue(xslog.Time("at", time.Date(2024, 5, 6, 7, 8, 9, 10, time.FixedZone("X", 3600))),
		xslog.Group("none"), xslog.Any("std", stdValuer{1}), xslog.Any("c", countValuer(m)), xslog.Any("bad", panicValuer{}))
}

// TestResolvedOutputAcrossPackages: when a record holds LogValuers, the
// wrapped handler gets a rebuilt record; it still writes byte for byte what
// it writes without logcrumbs, with LogValue called as often, although
// empty groups (which log/slog drops and x/exp/slog keeps) stand before
// the LogValuers, in the record, in groups and through With, and a
// LogValuer's value holds a time and a log/slog LogValuer (which
// x/exp/slog does not resolve), and LogValuers panic (x/exp/slog writes
// its own text and stack for them, as without logcrumbs).
func TestResolvedOutputAcrossPackages(t *testing.T) {
	run := func(wrap, text bool) (string, int32) {
		var b bytes.Buffer
		var h xslog.Handler = xslog.NewJSONHandler(&b, &xslog.HandlerOptions{ReplaceAttr: noTime})
		if text {
			h = xslog.NewTextHandler(&b, &xslog.HandlerOptions{ReplaceAttr: noTime})
		}
		if wrap {
			h = expslog.NewHandler(h, slogsentry.Options{})
		}
		var n atomic.Int32
		ctx := logcrumbs.NewContext(context.Background())
		l := xslog.New(h).With(xslog.Group("e"), "std", stdValuer{2}, "w", mixed{&n})
		l.InfoContext(ctx, "m", xslog.Group("e1"), xslog.Group("e2", xslog.Group("e3")), "std", stdValuer{3},
			xslog.Group("g", xslog.Group("e4"), "m", mixed{&n}, "c", countValuer{&n}), "m", mixed{&n}, "bad", panicValuer{})
		return b.String(), n.Load()
	}
	for _, text := range []bool{false, true} {
		p, pn := run(false, text)
		w, wn := run(true, text)
		if p != w || pn != wn || pn != 4 || strings.Count(p, "LogValue panicked") != 4 {
			t.Errorf("text handler %v: wrapped output (%d LogValue calls, plain %d, want 4):\n%s\nplain output:\n%s", text, wn, pn, w, p)
		}
	}
}

// chainValuer(n)'s LogValue returns chainValuer(n-1), and chainValuer(0)'s
// a string: resolving chainValuer(n) takes n+1 calls.
type chainValuer int

func (c chainValuer) LogValue() xslog.Value {
	if c == 0 {
		return xslog.StringValue("end")
	}
	return xslog.AnyValue(c - 1)
}

// TestLogValueChainLimit: x/exp/slog gives up on a LogValuer after 100
// LogValue calls, even when the 100th returned a plain value, as log/slog
// does. The wrapped handler writes what it writes without logcrumbs for
// chains on either side of that limit, and Sentry gets what slogsentry
// sends for the same chain logged through log/slog: the value of one that
// resolves within 99 calls, the loop note (naming the user's type) for one
// that takes 100. expslog's resolution made up to 100 calls and kept the
// 100th's value, so a chain of exactly 100 reached the wrapped handler as
// that value, where x/exp/slog writes its error, and Sentry as a value that
// slogsentry reports as a loop.
func TestLogValueChainLimit(t *testing.T) {
	run := func(wrap bool) (string, map[string]any) {
		var b bytes.Buffer
		var h xslog.Handler = xslog.NewJSONHandler(&b, &xslog.HandlerOptions{ReplaceAttr: noTime})
		rec := logcrumbstest.New(t)
		if wrap {
			h = expslog.NewHandler(h, slogsentry.Options{Options: rec.Options()})
		}
		ctx := rec.Context(context.Background())
		xslog.New(h).InfoContext(ctx, "m", "short", chainValuer(98), "limit", chainValuer(99))
		if !wrap {
			return b.String(), nil
		}
		xslog.New(h).ErrorContext(ctx, "boom")
		return b.String(), rec.OnlyEvent().Event.Breadcrumbs[0].Data
	}
	plain, _ := run(false)
	wrapped, data := run(true)
	if !strings.Contains(plain, `"short":"end","limit":"LogValue called too many times`) {
		t.Fatalf("x/exp/slog wrote %s: the test's premise is wrong", plain)
	}
	if first, _, _ := strings.Cut(wrapped, "\n"); first+"\n" != plain {
		t.Errorf("wrapped output:\n%s\nplain output:\n%s", first, plain)
	}
	want := map[string]any{"short": "end", "limit": "!LOOP: LogValue called 100 times on expslog_test.chainValuer"}
	if data["short"] != want["short"] || data["limit"] != want["limit"] {
		t.Errorf("breadcrumb data %v, want %v", data, want)
	}
}

// wrapsValuer's LogValue counts its calls and returns inner, a LogValuer
// of its own: a request type whose LogValue hands over to its user's.
type wrapsValuer struct {
	n     *atomic.Int32
	inner xslog.LogValuer
}

func (w wrapsValuer) LogValue() xslog.Value { w.n.Add(1); return xslog.AnyValue(w.inner) }

// TestLogValueChainPanicCalledOnce: when a LogValuer's LogValue returns
// another LogValuer, whose LogValue panics, the wrapped handler still
// writes x/exp/slog's own text for the panic, byte for byte, and the first
// LogValue, which did not panic, is called once per record, as without
// logcrumbs (slogsentry's test of the same name, for log/slog).
func TestLogValueChainPanicCalledOnce(t *testing.T) {
	run := func(wrap, text bool) (string, int32) {
		var b bytes.Buffer
		var h xslog.Handler = xslog.NewJSONHandler(&b, &xslog.HandlerOptions{ReplaceAttr: noTime})
		if text {
			h = xslog.NewTextHandler(&b, &xslog.HandlerOptions{ReplaceAttr: noTime})
		}
		if wrap {
			h = expslog.NewHandler(h, slogsentry.Options{Options: logcrumbstest.New(t).Options()})
		}
		var n atomic.Int32
		l := xslog.New(h)
		l.Info("m", "req", wrapsValuer{&n, panicValuer{}}, xslog.Group("g", "req", wrapsValuer{&n, panicValuer{}}))
		l.With("req", wrapsValuer{&n, panicValuer{}}).Error("e")
		return b.String(), n.Load()
	}
	for _, text := range []bool{false, true} {
		p, pn := run(false, text)
		w, wn := run(true, text)
		if p != w || pn != wn || strings.Count(p, "LogValue panicked") != 3 {
			t.Errorf("text handler %v: wrapped output (%d LogValue calls, want %d; same output: %v):\n%s\nplain output:\n%s", text, wn, pn, p == w, w, p)
		}
	}
}

// accountValuer resolves to a group of LogValuers: an id and a nested
// group holding another.
type accountValuer struct{ n *atomic.Int32 }

func (a accountValuer) LogValue() xslog.Value {
	return xslog.GroupValue(xslog.Any("seq", countValuer(a)), xslog.Group("in", "seq", countValuer(a)), xslog.Int("plain", 1))
}

// groupKinds names the kinds inside v, a group, and in its groups.
func groupKinds(v xslog.Value) string {
	var b strings.Builder
	for _, a := range v.Group() {
		b.WriteString(a.Key + ":" + a.Value.Kind().String() + ",")
		if a.Value.Kind() == xslog.KindGroup {
			b.WriteString("{" + groupKinds(a.Value) + "}")
		}
	}
	return b.String()
}

// TestResolvedOutputReplaceAttrSeesGroupKinds: x/exp/slog calls ReplaceAttr
// with the group value of a LogValuer, whose own LogValuers (at any
// depth) it has not resolved yet; a ReplaceAttr that looks inside (here it
// writes the kinds it finds into the key) writes what it writes without
// logcrumbs. The LogValuers inside such a group reached it resolved:
// Int64 where x/exp/slog shows LogValuer.
func TestResolvedOutputReplaceAttrSeesGroupKinds(t *testing.T) {
	rep := func(groups []string, a xslog.Attr) xslog.Attr {
		if a = noTime(groups, a); a.Value.Kind() == xslog.KindGroup {
			a.Key += "[" + groupKinds(a.Value) + "]"
		}
		return a
	}
	run := func(wrap, text bool) (string, int32) {
		var b bytes.Buffer
		var h xslog.Handler = xslog.NewJSONHandler(&b, &xslog.HandlerOptions{ReplaceAttr: rep})
		if text {
			h = xslog.NewTextHandler(&b, &xslog.HandlerOptions{ReplaceAttr: rep})
		}
		if wrap {
			h = expslog.NewHandler(h, slogsentry.Options{Options: logcrumbstest.New(t).Options()})
		}
		var n atomic.Int32
		l := xslog.New(h)
		l.With("w", accountValuer{&n}).Info("m", "acct", accountValuer{&n}, xslog.Group("g", "acct", accountValuer{&n}))
		return b.String(), n.Load()
	}
	for _, text := range []bool{false, true} {
		p, pn := run(false, text)
		w, wn := run(true, text)
		if p != w || pn != wn || !strings.Contains(p, "seq:LogValuer") {
			t.Errorf("text handler %v: wrapped output (%d LogValue calls, want %d):\n%s\nplain output:\n%s", text, wn, pn, w, p)
		}
	}
}
