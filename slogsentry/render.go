package slogsentry

import (
	"log/slog"
	"math"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// maxDepth bounds group nesting, so that a LogValuer that returns ever
// deeper groups cannot exhaust the stack.
const maxDepth = 100

// appendAttr copies a into rec, resolving LogValuers and recovering from
// panics in the user's methods. When errs is not nil, error values are also
// collected there, for the event's exception.
func appendAttr(rec *core.Record, a slog.Attr, errs *[]error) {
	appendAttrDepth(rec, a, errs, 0)
}

func appendAttrDepth(rec *core.Record, a slog.Attr, errs *[]error, depth int) {
	v := resolve(a.Value)
	switch v.Kind() {
	case slog.KindString:
		rec.AddText(core.KindString, a.Key, v.String())
	case slog.KindInt64:
		rec.AddScalar(core.KindInt64, a.Key, uint64(v.Int64()))
	case slog.KindUint64:
		rec.AddScalar(core.KindUint64, a.Key, v.Uint64())
	case slog.KindFloat64:
		rec.AddScalar(core.KindFloat64, a.Key, math.Float64bits(v.Float64()))
	case slog.KindBool:
		var b uint64
		if v.Bool() {
			b = 1
		}
		rec.AddScalar(core.KindBool, a.Key, b)
	case slog.KindDuration:
		rec.AddScalar(core.KindDuration, a.Key, uint64(v.Duration()))
	case slog.KindTime:
		render.Time(rec, a.Key, v.Time())
	case slog.KindGroup:
		attrs := v.Group()
		if len(attrs) == 0 {
			return // an empty group is ignored, as slog requires
		}
		if depth >= maxDepth {
			rec.AddText(core.KindPanic, a.Key, "!TOO DEEP: groups nested more than 100 levels")
			return
		}
		if a.Key != "" {
			rec.OpenGroup(a.Key)
		}
		for _, ga := range attrs {
			appendAttrDepth(rec, ga, errs, depth+1)
		}
		if a.Key != "" {
			rec.CloseGroup()
		}
	default:
		appendAny(rec, a.Key, v.Any(), errs)
	}
}

// appendAny copies a value of slog.KindAny.
func appendAny(rec *core.Record, key string, x any, errs *[]error) {
	switch x := x.(type) {
	case nil:
		if key != "" { // an Attr with empty key and nil value is ignored
			rec.AddScalar(core.KindNull, key, 0)
		}
	case *render.LogValuePanic:
		rec.AddText(core.KindPanic, key, x.Note)
	default:
		render.Any(rec, key, x, errs)
	}
}

// resolve is slog.Value.Resolve, except that a LogValue that panics (or
// loops) yields a *render.LogValuePanic, which logcrumbs keeps as a note
// that says so rather than an error that would become the event's
// exception.
func resolve(v slog.Value) (out slog.Value) {
	if v.Kind() != slog.KindLogValuer {
		return v
	}
	orig := v
	defer func() {
		if p := recover(); p != nil {
			out = slog.AnyValue(render.LogValuePanicked(orig, v.Any(), p))
		}
	}()
	for range 100 {
		if v.Kind() != slog.KindLogValuer {
			return v
		}
		v = v.LogValuer().LogValue()
	}
	return slog.AnyValue(render.LogValueLoop(orig, v.Any()))
}

// needsResolve reports whether v is a LogValuer or a group that holds one,
// within maxDepth.
func needsResolve(v slog.Value, depth int) bool {
	switch v.Kind() {
	case slog.KindLogValuer:
		return true
	case slog.KindGroup:
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

// resolveDeep resolves v and the LogValuers in its groups (within
// maxDepth), as slog's own handlers do when they write it; a group with
// none is returned as it is.
func resolveDeep(v slog.Value, depth int) slog.Value {
	v = resolve(v)
	if v.Kind() != slog.KindGroup || !needsResolve(v, depth) {
		return v
	}
	group := v.Group()
	out := make([]slog.Attr, len(group))
	for i, a := range group {
		out[i] = slog.Attr{Key: a.Key, Value: resolveDeep(a.Value, depth+1)}
	}
	return slog.GroupValue(out...)
}

// resolveRecord returns r with its LogValuers resolved, inside groups too,
// for logcrumbs, and the same for the wrapped handler (see forNext), so
// that both see the values of one call of each LogValue method. A record
// without LogValuers is returned as it is, at no cost but a scan of its
// attributes.
func resolveRecord(r slog.Record) (ours, next slog.Record) {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = needsResolve(a.Value, 0)
		return !found
	})
	if !found {
		return r, r
	}
	ours = slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	panicked := false
	r.Attrs(func(a slog.Attr) bool {
		a.Value = resolveDeep(a.Value, 0)
		panicked = panicked || hasPanic(a.Value, 0)
		ours.AddAttrs(a)
		return true
	})
	if !panicked {
		return ours, ours
	}
	next = slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	ours.Attrs(func(a slog.Attr) bool {
		next.AddAttrs(forNext(a))
		return true
	})
	return ours, next
}

// forNext returns a resolved attribute as the wrapped handler gets it: a
// LogValuer that panicked (or looped) as it was logged, so that the handler
// resolves it itself and writes slog's own text for the panic.
func forNext(a slog.Attr) slog.Attr {
	return slog.Attr{Key: a.Key, Value: restore(a.Value, 0)}
}

func restore(v slog.Value, depth int) slog.Value {
	if p, ok := v.Any().(*render.LogValuePanic); ok && v.Kind() == slog.KindAny {
		return p.Orig.(slog.Value)
	}
	if v.Kind() != slog.KindGroup || !hasPanic(v, depth) {
		return v
	}
	group := v.Group()
	out := make([]slog.Attr, len(group))
	for i, a := range group {
		out[i] = slog.Attr{Key: a.Key, Value: restore(a.Value, depth+1)}
	}
	return slog.GroupValue(out...)
}

// hasPanic reports whether v is, or its groups hold, a LogValuer that
// panicked when resolved.
func hasPanic(v slog.Value, depth int) bool {
	switch v.Kind() {
	case slog.KindAny:
		_, ok := v.Any().(*render.LogValuePanic)
		return ok
	case slog.KindGroup:
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
