package slogsentry

import (
	"log/slog"
	"math"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// appendAttr copies a into rec, resolving LogValuers and recovering from
// panics in the user's methods. When errs is not nil, error values are also
// collected there, for the event's exception.
func appendAttr(rec *core.Record, a slog.Attr, errs *[]error) {
	appendAttrDepth(rec, a, errs, 0)
}

// appendAttrs copies r's attributes from the first'th on into rec, as
// appendAttr does.
func appendAttrs(rec *core.Record, r *slog.Record, first int, errs *[]error) {
	i := 0
	r.Attrs(func(a slog.Attr) bool {
		if i >= first {
			appendAttr(rec, a, errs)
		}
		i++
		return true
	})
}

func appendAttrDepth(rec *core.Record, a slog.Attr, errs *[]error, depth int) {
	v, k := a.Value, a.Value.Kind()
	if k == slog.KindLogValuer {
		// Resolve only a LogValuer: render.Resolve is not inlined (it
		// defers a recover), and a call for every attribute was about a
		// tenth of what keeping a breadcrumb costs in instructions.
		v = render.Resolve(v)
		k = v.Kind()
	}
	// The plain kinds are render.Plain's, written out here rather than
	// called: it is not inlined, and a call for each plain attribute of a
	// record that is not all plain values (an error first, a group; every
	// event) cost 141 instructions a record in BenchmarkSlogBreadcrumbError
	// (cachegrind: 13,479 written out, 13,620 called). Handle's leading
	// values, and logrsentry, call it.
	switch k {
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
		if depth >= render.MaxDepth {
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
