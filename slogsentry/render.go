package slogsentry

import (
	"log/slog"

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
	v := a.Value
	if render.Plain(rec, a.Key, v) {
		return
	}
	if v.Kind() == slog.KindLogValuer {
		// Resolve only a LogValuer: render.Resolve is not inlined (it
		// defers a recover), and a call for every attribute was about a
		// tenth of what keeping a breadcrumb costs in instructions.
		v = render.Resolve(v)
		if render.Plain(rec, a.Key, v) {
			return
		}
	}
	switch v.Kind() {
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
