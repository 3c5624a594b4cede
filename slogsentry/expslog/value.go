package expslog

import (
	"log/slog"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs/internal/render"
)

// The x/exp and log/slog type systems meet here and nowhere else: attr and
// value copy x/exp values into log/slog, for slogsentry's code (render's
// LogValuer resolution and slogsentry's Handler), which serves both
// packages; back gives the program's x/exp handler what that code resolved,
// as the x/exp values the user's LogValue methods returned.

// attr copies an x/exp/slog attribute into log/slog.
func attr(a xslog.Attr) slog.Attr { return slog.Attr{Key: a.Key, Value: value(a.Value)} }

// value copies an x/exp/slog value into log/slog, kind for kind. A
// LogValuer stays one (a logValuer), resolved only when logcrumbs reads it.
func value(v xslog.Value) slog.Value {
	switch v.Kind() {
	case xslog.KindString:
		return slog.StringValue(v.String())
	case xslog.KindInt64:
		return slog.Int64Value(v.Int64())
	case xslog.KindUint64:
		return slog.Uint64Value(v.Uint64())
	case xslog.KindFloat64:
		return slog.Float64Value(v.Float64())
	case xslog.KindBool:
		return slog.BoolValue(v.Bool())
	case xslog.KindDuration:
		return slog.DurationValue(v.Duration())
	case xslog.KindTime:
		return slog.TimeValue(v.Time())
	case xslog.KindGroup:
		group := v.Group()
		std := make([]slog.Attr, len(group))
		for i, a := range group {
			std[i] = attr(a)
		}
		return slog.GroupValue(std...)
	case xslog.KindLogValuer:
		return slog.AnyValue(&logValuer{v: v.LogValuer()})
	}
	return slog.AnyValue(v.Any())
}

// logValuer is an x/exp/slog LogValuer seen from log/slog. It keeps what
// the user's LogValue returned, so that the program's own handler gets
// that x/exp value itself, not a copy (see back).
type logValuer struct {
	v     xslog.LogValuer
	x     xslog.Value // the x/exp value it resolved to (kept by LogValue)
	value slog.Value  // its log/slog copy, as LogValue returned it
	// panicked is the LogValuer whose LogValue panicked (v or one its
	// chain returned), which the program's handler gets (see back).
	panicked xslog.LogValuer
}

// LogValue resolves the x/exp LogValuer as render.Resolve resolves a
// log/slog one, naming the user's type in its notes: a LogValue method that
// panics yields a *render.LogValuePanic whose note is "!PANIC in
// T.LogValue: ...", and one that keeps returning LogValuers is given up
// after 100 calls with "!LOOP: ...", as x/exp/slog gives up on it. Groups in the result keep their own
// LogValuers unresolved, for logcrumbs to resolve when it reaches them.
func (l *logValuer) LogValue() (out slog.Value) {
	lv := l.v
	defer func() {
		if p := recover(); p != nil {
			l.panicked = lv
			out = slog.AnyValue(render.LogValuePanicked(slog.AnyValue(l), lv, p))
		}
	}()
	// As x/exp/slog's Value.Resolve: 100 calls at most, and the value of
	// the 100th is not taken, even when it is plain.
	v := lv.LogValue()
	for range 99 {
		if v.Kind() != xslog.KindLogValuer {
			l.x, l.value = v, value(v)
			return l.value
		}
		lv = v.LogValuer()
		v = lv.LogValue()
	}
	return slog.AnyValue(render.LogValueLoop(slog.AnyValue(l), lv))
}

// backRecord returns r, the record logged, as the program's own handler
// gets it once slogsentry resolved std, r's log/slog copy, into next (by
// render.ResolveRecord). The records' attributes pair up in order, except
// that log/slog drops empty groups, which x/exp/slog keeps.
func backRecord(r xslog.Record, std, next slog.Record) xslog.Record {
	s, n := attrs(std), attrs(next)
	out := xslog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a xslog.Attr) bool {
		if !vanishes(a.Value) && len(s) > 0 && len(n) > 0 {
			a.Value, _ = back(a.Value, s[0].Value, n[0].Value, false)
			s, n = s[1:], n[1:]
		}
		out.AddAttrs(a)
		return true
	})
	return out
}

func attrs(r slog.Record) []slog.Attr {
	as := make([]slog.Attr, 0, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		as = append(as, a)
		return true
	})
	return as
}

// back returns orig, a value logged, as the program's own handler gets it
// once slogsentry resolved std, its log/slog copy, into next (by
// render.ResolveBoth), and whether that differs from orig: each LogValuer
// is replaced by the x/exp value its LogValue returned, as x/exp/slog's
// Value.Resolve would give it (or by a replay of it, where slogsentry
// replays a group; by the LogValuer whose LogValue panicked, where one
// did), and everything else is orig's own value, so the handler sees
// x/exp values only, never a copy of a copy.
//
// Inside a LogValuer's group value (inValue), a LogValuer is replaced by a
// replay of its value instead: x/exp/slog calls ReplaceAttr with such a
// group as it is, its LogValuers still unresolved, at any depth (it
// resolves each as it reaches it), so the handler must see LogValuers
// there.
func back(orig xslog.Value, std, next slog.Value, inValue bool) (xslog.Value, bool) {
	switch orig.Kind() {
	case xslog.KindLogValuer:
		l, ok := std.Any().(*logValuer)
		if !ok || std.Kind() != slog.KindLogValuer {
			return orig, false // not orig's copy: cannot happen
		}
		if next.Kind() == slog.KindLogValuer && next.Any() == std.Any() {
			// It panicked, or looped: the handler resolves it itself,
			// from the LogValuer that panicked, so that the LogValue
			// methods of its chain before it, which returned, are not
			// called again (as render.Resolve for log/slog).
			if l.panicked != nil {
				return xslog.AnyValue(l.panicked), true
			}
			return orig, false
		}
		if next.Kind() != slog.KindLogValuer {
			v, _ := back(l.x, l.value, next, inValue)
			if inValue {
				return xslog.AnyValue(replay{v}), true
			}
			return v, true
		}
		v, _ := back(l.x, l.value, next.LogValuer().LogValue(), true) // render's replay of a group
		return xslog.AnyValue(replay{v}), true
	case xslog.KindGroup:
		if std.Kind() != slog.KindGroup || next.Kind() != slog.KindGroup {
			return orig, false // not orig's copy: cannot happen
		}
		group, s, n := orig.Group(), std.Group(), next.Group()
		var out []xslog.Attr // nil while nothing in the group changed
		for i, a := range group {
			v, changed := a.Value, false
			if !vanishes(v) && len(s) > 0 && len(n) > 0 {
				v, changed = back(v, s[0].Value, n[0].Value, inValue)
				s, n = s[1:], n[1:]
			}
			if changed && out == nil {
				out = append(make([]xslog.Attr, 0, len(group)), group[:i]...)
			}
			if out != nil {
				out = append(out, xslog.Attr{Key: a.Key, Value: v})
			}
		}
		if out == nil {
			return orig, false
		}
		return xslog.GroupValue(out...), true
	}
	return orig, false
}

// vanishes reports whether v is a group that log/slog drops: one that is
// empty or holds only such groups (x/exp/slog keeps them).
func vanishes(v xslog.Value) bool {
	if v.Kind() != xslog.KindGroup {
		return false
	}
	for _, a := range v.Group() {
		if !vanishes(a.Value) {
			return false
		}
	}
	return true
}

// replay is a LogValuer whose value was resolved already: what the
// program's handler gets in place of a LogValuer whose value is a group (as
// render.ResolveBoth gives log/slog handlers), so that it resolves it
// without calling the user's LogValue again and still sees a LogValuer.
type replay struct{ v xslog.Value }

func (r replay) LogValue() xslog.Value { return r.v }
