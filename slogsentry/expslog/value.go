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

// hasPanic reports whether v is, or its groups hold, a LogValuer that
// panicked when resolved.
func hasPanic(v xslog.Value, depth int) bool {
	switch v.Kind() {
	case xslog.KindAny:
		_, ok := v.Any().(*render.LogValuePanic)
		return ok
	case xslog.KindGroup:
		if depth >= maxDepth {
			return false
		}
		for _, a := range v.Group() {
			if hasPanic(a.Value, depth+1) {
				return true
			}
		}
	}
	return false
}

// resolveDeep resolves v and the LogValuers in its groups, as x/exp/slog's
// handlers do when they write it.
func resolveDeep(v xslog.Value, depth int) xslog.Value {
	v = resolve(v)
	if v.Kind() != xslog.KindGroup || !needsResolve(v, depth) {
		return v
	}
	group := v.Group()
	out := make([]xslog.Attr, len(group))
	for i, a := range group {
		out[i] = xslog.Attr{Key: a.Key, Value: resolveDeep(a.Value, depth+1)}
	}
	return xslog.GroupValue(out...)
}

// restore returns a resolved value as the wrapped handler gets it: a
// LogValuer that panicked (or looped) as it was logged, so that the handler
// resolves it itself and writes x/exp/slog's own text for the panic.
func restore(v xslog.Value, depth int) xslog.Value {
	if p, ok := v.Any().(*render.LogValuePanic); ok && v.Kind() == xslog.KindAny {
		return p.Orig.(xslog.Value)
	}
	if v.Kind() != xslog.KindGroup || !hasPanic(v, depth) {
		return v
	}
	group := v.Group()
	out := make([]xslog.Attr, len(group))
	for i, a := range group {
		out[i] = xslog.Attr{Key: a.Key, Value: restore(a.Value, depth+1)}
	}
	return xslog.GroupValue(out...)
}

// resolveRecord returns r with its LogValuers resolved, inside groups too,
// for logcrumbs, and the same for the wrapped handler (see restore), so
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
	panicked := false
	r.Attrs(func(a xslog.Attr) bool {
		a.Value = resolveDeep(a.Value, 0)
		panicked = panicked || hasPanic(a.Value, 0)
		ours.AddAttrs(a)
		return true
	})
	if !panicked {
		return ours, ours
	}
	next = xslog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	ours.Attrs(func(a xslog.Attr) bool {
		next.AddAttrs(xslog.Attr{Key: a.Key, Value: restore(a.Value, 0)})
		return true
	})
	return ours, next
}

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
