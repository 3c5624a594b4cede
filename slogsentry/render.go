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

// resolveRecord returns r with its LogValuers resolved, inside groups too,
// for logcrumbs, and r as the wrapped handler gets it (see resolveBoth), so
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
	var forNext []slog.Attr // nil while next is ours
	r.Attrs(func(a slog.Attr) bool {
		o, n, split := resolveBoth(a.Value, 0)
		if split && forNext == nil {
			forNext = make([]slog.Attr, 0, r.NumAttrs())
			ours.Attrs(func(a slog.Attr) bool {
				forNext = append(forNext, a)
				return true
			})
		}
		ours.AddAttrs(slog.Attr{Key: a.Key, Value: o})
		if forNext != nil {
			forNext = append(forNext, slog.Attr{Key: a.Key, Value: n})
		}
		return true
	})
	if forNext == nil {
		return ours, ours
	}
	next = slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	next.AddAttrs(forNext...)
	return ours, next
}

// resolveBoth returns v resolved for logcrumbs (v and the LogValuers in its
// groups, within maxDepth, as the handlers resolve them when they write
// it), v as the wrapped handler gets it, and whether the two differ. The wrapped
// handler gets the resolved value of a LogValuer, except:
//   - a LogValuer that panicked (or looped), as it was logged, so that the
//     handler resolves it itself and writes slog's own text for the panic;
//   - a LogValuer whose value is a group, as a replay of that value, so
//     that the handler still sees a LogValuer where one was logged: slog's
//     handlers treat the two differently (the JSON handler writes "g":{}
//     for a group holding a LogValuer whose value is an empty group, and a
//     rebuilt group would have dropped it; ReplaceAttr sees a LogValuer's
//     group value in x/exp/slog), and the output must not change.
func resolveBoth(v slog.Value, depth int) (ours, next slog.Value, split bool) {
	if v.Kind() == slog.KindLogValuer {
		r := resolve(v)
		if p, ok := r.Any().(*render.LogValuePanic); ok && r.Kind() == slog.KindAny {
			return r, p.Orig.(slog.Value), true
		}
		if r.Kind() != slog.KindGroup {
			return r, r, false
		}
		ours, next, _ = resolveBoth(r, depth)
		return ours, slog.AnyValue(&replay{next}), true
	}
	if v.Kind() != slog.KindGroup || !needsResolve(v, depth) {
		return v, v, false
	}
	group := v.Group()
	o := make([]slog.Attr, len(group))
	n := make([]slog.Attr, len(group))
	for i, a := range group {
		ov, nv, sp := resolveBoth(a.Value, depth+1)
		o[i] = slog.Attr{Key: a.Key, Value: ov}
		n[i] = slog.Attr{Key: a.Key, Value: nv}
		split = split || sp
	}
	ours = slog.GroupValue(o...)
	if !split {
		return ours, ours, false
	}
	return ours, slog.GroupValue(n...), true
}

// replay is a LogValuer whose value was resolved already: what the wrapped
// handler gets in place of a LogValuer whose value is a group (see
// resolveBoth), so that it resolves it without calling the user's LogValue
// again.
type replay struct{ v slog.Value }

func (r *replay) LogValue() slog.Value { return r.v }
