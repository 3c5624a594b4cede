package slogsentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestLogValuerResolvedOncePerRecord: a LogValuer logged once (at the top
// level, inside a group, through With, as a breadcrumb and as an event) has
// its LogValue called once, and the program's output and Sentry show the
// same value.
func TestLogValuerResolvedOncePerRecord(t *testing.T) {
	rec := logcrumbstest.New(t)
	var out bytes.Buffer
	next := slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: noTime})
	logger := slog.New(slogsentry.NewHandler(next, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	var top, grouped, with, crumb atomic.Int32
	logger.InfoContext(ctx, "crumb", "n", countValuer{&crumb})
	logger.With("w", countValuer{&with}).ErrorContext(ctx, "failed", "err", errors.New("boom"),
		"n", countValuer{&top}, slog.Group("g", "n", countValuer{&grouped}))
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
	ev := rec.WaitEvents(1, time.Second)[0]
	lc := ev.LogContext()
	// A LogValue that panics: the output says it as slog does, Sentry as
	// logcrumbs does, and the error is not taken for the record's.
	logger.ErrorContext(ctx, "bad valuer", "p", panicValuer2{})
	if !strings.Contains(out.String(), `"p":"LogValue panicked\ncalled from`) {
		t.Errorf("output:\n%s", out.String())
	}
	bad := rec.WaitEvents(2, time.Second)[1]
	if bad.LogContext()["p"] != "!PANIC in slogsentry_test.panicValuer2.LogValue: valuer exploded" || len(bad.Exceptions()) != 0 {
		t.Errorf("event of the panicking LogValuer: %v, %+v", bad.LogContext(), bad.Exceptions())
	}
	if lc["n"] != int64(1) || lc["w"] != int64(1) || lc["g"].(map[string]any)["n"] != int64(1) {
		t.Errorf("event log context = %v, want the values the output shows", lc)
	}
	if bc := ev.Breadcrumbs(); len(bc) != 1 || bc[0].Data["n"] != int64(1) {
		t.Errorf("breadcrumbs = %+v, want n 1", bc)
	}
}

// groupValuer resolves to a group that holds a LogValuer.
type groupValuer struct{ n *atomic.Int32 }

func (g groupValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", "u1"), slog.Any("seq", countValuer(g)))
}

// panicValuer2 panics in LogValue.
type panicValuer2 struct{}

func (panicValuer2) LogValue() slog.Value { panic("valuer exploded") }

// TestResolvedOutputUnchanged: with LogValuers resolved by logcrumbs, the
// JSON and text handlers write byte for byte what they write alone, for
// LogValuers at the top level, in groups, resolving to groups, through
// With, and one that panics (slog's own text and stack).
func TestResolvedOutputUnchanged(t *testing.T) {
	var plain, wrapped bytes.Buffer
	for _, c := range []struct {
		out  *bytes.Buffer
		wrap bool
	}{{&plain, false}, {&wrapped, true}} {
		for _, text := range []bool{false, true} {
			var h slog.Handler = slog.NewJSONHandler(c.out, &slog.HandlerOptions{ReplaceAttr: noTime})
			if text {
				h = slog.NewTextHandler(c.out, &slog.HandlerOptions{ReplaceAttr: noTime})
			}
			if c.wrap {
				h = slogsentry.NewHandler(h, slogsentry.Options{Options: logcrumbstest.New(t).Options()})
			}
			var n1, n2 atomic.Int32
			l := slog.New(h).With("acct", groupValuer{&n1})
			l.WarnContext(context.Background(), "m", "who", groupValuer{&n2}, slog.Group("g", "a", 1, "v", countValuer{&n2}))
			l.InfoContext(context.Background(), "boom", "p", panicValuer2{})
		}
	}
	if p, w := plain.String(), wrapped.String(); p != w || !strings.Contains(p, "LogValue panicked") {
		t.Errorf("wrapped output:\n%s\nplain output:\n%s", w, p)
	}
}

// emptyValuer resolves to an empty group, as a LogValue for an absent
// optional value may.
type emptyValuer struct{}

func (emptyValuer) LogValue() slog.Value { return slog.GroupValue() }

// nestValuer resolves to a group that holds LogValuers: one counting, one
// resolving to an empty group, one inside a group of its own.
type nestValuer struct{ n *atomic.Int32 }

func (v nestValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("c", countValuer(v)), slog.Any("e", emptyValuer{}), slog.Group("in", "x", countValuer(v)))
}

// TestResolvedOutputKeepsGroupShapes: LogValuers whose values are groups
// (empty ones included, in the record, in groups, through With and
// WithGroup, in a record handed to Handle twice and cloned) leave the JSON
// and text output byte-identical to the plain handlers', with a ReplaceAttr
// that sees every attribute's kind, and LogValue called as often.
func TestResolvedOutputKeepsGroupShapes(t *testing.T) {
	rep := func(groups []string, a slog.Attr) slog.Attr {
		if a = noTime(groups, a); a.Key == "" {
			return a
		}
		return slog.Attr{Key: a.Key + "[" + a.Value.Kind().String() + "]", Value: a.Value}
	}
	run := func(wrap, text bool) (string, int32) {
		var out bytes.Buffer
		var h slog.Handler = slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: rep})
		if text {
			h = slog.NewTextHandler(&out, &slog.HandlerOptions{ReplaceAttr: rep})
		}
		if wrap {
			h = slogsentry.NewHandler(h, slogsentry.Options{Options: logcrumbstest.New(t).Options()})
		}
		var n atomic.Int32
		ctx := context.Background()
		l := slog.New(h)
		l.InfoContext(ctx, "a", "e", emptyValuer{}, slog.Group("g", "e", emptyValuer{}), "v", nestValuer{&n})
		l.WithGroup("wg").With("w", nestValuer{&n}).WithGroup("wg2").With(slog.Group("g", "e", emptyValuer{})).
			ErrorContext(ctx, "b", "x", nestValuer{&n}, slog.Group("g", slog.Any("y", nestValuer{&n})))
		l.With(slog.Group("g", "e", emptyValuer{})).InfoContext(ctx, "c")
		r := slog.NewRecord(time.Time{}, slog.LevelInfo, "d", 0)
		r.AddAttrs(slog.Any("x", countValuer{&n}), slog.Any("", nestValuer{&n}), slog.Group("g", "e", emptyValuer{}))
		_ = h.Handle(ctx, r)
		_ = h.Handle(ctx, r.Clone())
		return out.String(), n.Load()
	}
	for _, text := range []bool{false, true} {
		p, pn := run(false, text)
		w, wn := run(true, text)
		if p != w || pn != wn {
			t.Errorf("text handler %v: wrapped output (%d LogValue calls):\n%s\nplain output (%d calls):\n%s", text, wn, w, pn, p)
		}
	}
}

// cardNumber redacts itself the way slog intends: through LogValue.
type cardNumber string

func (c cardNumber) LogValue() slog.Value {
	return slog.StringValue("****" + string(c[len(c)-4:]))
}

// account redacts a field of a struct by returning a group without it.
type account struct {
	ID       string
	Password string
}

func (a account) LogValue() slog.Value { return slog.GroupValue(slog.String("id", a.ID)) }

// A slog.LogValuer's redaction is what reaches Sentry, in breadcrumbs and in
// the event's context, under keys no scrubber would catch, as it is what
// the user's own log output shows.
func TestLogValuerRedactionReachesSentry(t *testing.T) {
	t.Parallel()
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())

	const card, pass = "4111111111111111", "hunter2-pw"
	logger.InfoContext(ctx, "charge", "card", cardNumber(card), "who", account{ID: "u1", Password: pass})
	logger.ErrorContext(ctx, "charge failed", "card", cardNumber(card), "who", account{ID: "u1", Password: pass},
		"err", errors.New("declined"))

	events := rec.WaitEvents(1, 0)
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	raw, err := json.Marshal(events[0].Event)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{card, pass} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("%q reached Sentry: %s", secret, raw)
		}
	}
	if got := events[0].LogContext()["card"]; got != "****1111" {
		t.Errorf("event context card = %v, want the LogValue ****1111", got)
	}
	bcs := events[0].Breadcrumbs()
	if len(bcs) != 1 || bcs[0].Data["card"] != "****1111" {
		t.Fatalf("breadcrumbs %+v, want one with card ****1111", bcs)
	}
	if who, _ := bcs[0].Data["who"].(map[string]any); who["id"] != "u1" || len(who) != 1 {
		t.Errorf("breadcrumb who = %v, want only the id the LogValue kept", bcs[0].Data["who"])
	}
}

// chainValuer(n)'s LogValue returns chainValuer(n-1), and chainValuer(0)'s
// a string: resolving chainValuer(n) takes n+1 calls.
type chainValuer int

func (c chainValuer) LogValue() slog.Value {
	if c == 0 {
		return slog.StringValue("end")
	}
	return slog.AnyValue(c - 1)
}

// TestLogValueChainLimit: slog gives up on a LogValuer after 100 LogValue
// calls, even when the 100th returned a plain value; logcrumbs does too,
// and its note names the user's type, the type whose LogValue was called
// last. It named the type of that plain value ("on string"), which is no
// LogValuer and not the user's.
func TestLogValueChainLimit(t *testing.T) {
	logger, rec := newLogger(t, nil, slogsentry.Options{})
	ctx := rec.Context(context.Background())
	logger.InfoContext(ctx, "m", "short", chainValuer(98), "limit", chainValuer(99), "over", chainValuer(150))
	logger.ErrorContext(ctx, "boom")
	data := rec.OnlyEvent().Event.Breadcrumbs[0].Data
	const note = "!LOOP: LogValue called 100 times on slogsentry_test.chainValuer"
	if data["short"] != "end" || data["limit"] != note || data["over"] != note {
		t.Errorf("breadcrumb data %v, want short: end, limit and over: %q", data, note)
	}
}

// wrapsValuer's LogValue counts its calls and returns inner, a LogValuer
// of its own: a request type whose LogValue hands over to its user's.
type wrapsValuer struct {
	n     *atomic.Int32
	inner slog.LogValuer
}

func (w wrapsValuer) LogValue() slog.Value { w.n.Add(1); return slog.AnyValue(w.inner) }

// TestLogValueChainPanicCalledOnce: when a LogValuer's LogValue returns
// another LogValuer, whose LogValue panics, the wrapped handler still
// writes slog's own text for the panic, byte for byte, and the first
// LogValue, which did not panic, is called once per record, as without
// logcrumbs. The wrapped handler was given the value as logged, and
// resolving it called the first LogValue a second time.
func TestLogValueChainPanicCalledOnce(t *testing.T) {
	run := func(wrap, text bool) (string, int32) {
		var b bytes.Buffer
		var h slog.Handler = slog.NewJSONHandler(&b, &slog.HandlerOptions{ReplaceAttr: noTime})
		if text {
			h = slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: noTime})
		}
		if wrap {
			h = slogsentry.NewHandler(h, slogsentry.Options{Options: logcrumbstest.New(t).Options()})
		}
		var n atomic.Int32
		l := slog.New(h)
		l.Info("m", "req", wrapsValuer{&n, panicValuer2{}}, slog.Group("g", "req", wrapsValuer{&n, panicValuer2{}}))
		l.With("req", wrapsValuer{&n, panicValuer2{}}).Error("e")
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
