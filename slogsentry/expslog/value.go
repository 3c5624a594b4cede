package expslog

import (
	"fmt"
	"log/slog"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs/internal/render"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// attr copies an x/exp/slog attribute into log/slog.
func attr(a xslog.Attr) slog.Attr { return slog.Attr{Key: a.Key, Value: value(a.Value)} }

// value copies an x/exp/slog value into log/slog, kind for kind. A
// LogValuer stays one, resolved only when logcrumbs reads it.
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
		return slog.AnyValue(logValuer{v.LogValuer()})
	}
	return slog.AnyValue(v.Any()) // a *render.LogValuePanic too: logcrumbs keeps its note
}

// maxDepth bounds the group nesting these walk, as slogsentry's.
const maxDepth = 100

// resolve is xslog.Value.Resolve, except that a LogValue that panics (or
// loops) yields a *render.LogValuePanic, which logcrumbs keeps as a note.
func resolve(v xslog.Value) (out xslog.Value) {
	if v.Kind() != xslog.KindLogValuer {
		return v
	}
	orig := v
	defer func() {
		if p := recover(); p != nil {
			out = xslog.AnyValue(render.LogValuePanicked(orig, v.Any(), p))
		}
	}()
	for range 100 {
		if v.Kind() != xslog.KindLogValuer {
			return v
		}
		v = v.LogValuer().LogValue()
	}
	return xslog.AnyValue(render.LogValueLoop(orig, v.Any()))
}

// needsResolve reports whether v is a LogValuer or a group that holds one.
func needsResolve(v xslog.Value, depth int) bool {
	switch v.Kind() {
	case xslog.KindLogValuer:
		return true
	case xslog.KindGroup:
		if depth >= maxDepth {
			return false
		}
		for _, a := range v.Group() {
			if needsResolve(a.Value, depth+1) {
				return true
			}
		}
	}
	return false
}

// resolveRecord returns r with its LogValuers resolved, inside groups too,
// for logcrumbs, and r as the wrapped handler gets it (see resolveBoth), so
// that both see the values of one call of each LogValue method. A record
// without LogValuers is returned as it is.
func resolveRecord(r xslog.Record) (ours, next xslog.Record) {
	found := false
	r.Attrs(func(a xslog.Attr) bool {
		found = needsResolve(a.Value, 0)
		return !found
	})
	if !found {
		return r, r
	}
	ours = xslog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	var forNext []xslog.Attr // nil while next is ours
	r.Attrs(func(a xslog.Attr) bool {
		o, n, split := resolveBoth(a.Value, 0)
		if split && forNext == nil {
			forNext = make([]xslog.Attr, 0, r.NumAttrs())
			ours.Attrs(func(a xslog.Attr) bool {
				forNext = append(forNext, a)
				return true
			})
		}
		ours.AddAttrs(xslog.Attr{Key: a.Key, Value: o})
		if forNext != nil {
			forNext = append(forNext, xslog.Attr{Key: a.Key, Value: n})
		}
		return true
	})
	if forNext == nil {
		return ours, ours
	}
	next = xslog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	next.AddAttrs(forNext...)
	return ours, next
}

// resolveBoth returns v resolved for logcrumbs (v and the LogValuers in its
// groups, within maxDepth, as the handlers resolve them when they write
// it), v as the wrapped handler gets it, and whether the two differ: the resolved
// value of a LogValuer, except one that panicked (or looped), given as it
// was logged so that the handler writes x/exp/slog's own text for the
// panic, and one whose value is a group, given as a replay of that value so
// that the handler still sees a LogValuer there (x/exp/slog's handlers call
// ReplaceAttr with a LogValuer's group value, never with a group's).
func resolveBoth(v xslog.Value, depth int) (ours, next xslog.Value, split bool) {
	if v.Kind() == xslog.KindLogValuer {
		r := resolve(v)
		if p, ok := r.Any().(*render.LogValuePanic); ok && r.Kind() == xslog.KindAny {
			return r, p.Orig.(xslog.Value), true
		}
		if r.Kind() != xslog.KindGroup {
			return r, r, false
		}
		ours, next, _ = resolveBoth(r, depth)
		return ours, xslog.AnyValue(&replay{next}), true
	}
	if v.Kind() != xslog.KindGroup || !needsResolve(v, depth) {
		return v, v, false
	}
	group := v.Group()
	o := make([]xslog.Attr, len(group))
	n := make([]xslog.Attr, len(group))
	for i, a := range group {
		ov, nv, sp := resolveBoth(a.Value, depth+1)
		o[i] = xslog.Attr{Key: a.Key, Value: ov}
		n[i] = xslog.Attr{Key: a.Key, Value: nv}
		split = split || sp
	}
	ours = xslog.GroupValue(o...)
	if !split {
		return ours, ours, false
	}
	return ours, xslog.GroupValue(n...), true
}

// replay is a LogValuer whose value was resolved already: what the wrapped
// handler gets in place of a LogValuer whose value is a group (see
// resolveBoth), so that it resolves it without calling the user's LogValue
// again.
type replay struct{ v xslog.Value }

func (r *replay) LogValue() xslog.Value { return r.v }

// logValuer is an x/exp/slog LogValuer seen from log/slog.
type logValuer struct{ v xslog.LogValuer }

// LogValue resolves the x/exp LogValuer as slogsentry resolves a log/slog
// one, with the same texts naming the user's type: a LogValue method that
// panics yields "!PANIC in T.LogValue: ...", and one that keeps returning
// LogValuers is given up after 100 calls with "!LOOP: ...". Groups in the
// result keep their own LogValuers unresolved, for logcrumbs to resolve
// when it reaches them (within its depth limit).
func (l logValuer) LogValue() (out slog.Value) {
	lv := l.v
	defer func() {
		if p := recover(); p != nil {
			stats.UserPanics.Add(1)
			out = slog.StringValue(fmt.Sprintf("!PANIC in %T.LogValue: %v", lv, p))
		}
	}()
	for range 100 {
		v := lv.LogValue()
		if v.Kind() != xslog.KindLogValuer {
			return value(v)
		}
		lv = v.LogValuer()
	}
	return slog.StringValue(fmt.Sprintf("!LOOP: LogValue called 100 times on %T", lv))
}
