package slogsentry

import (
	"fmt"
	"log/slog"
	"math"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/render"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// maxDepth bounds group nesting, so that a LogValuer that returns ever
// deeper groups cannot exhaust the stack.
const maxDepth = 100

// appendAttr copies a into rec, resolving LogValuers and recovering from
// panics in the user's methods. When errs is not nil, error values are also
// collected there, for the event's exception.
func appendAttr(rec *buffer.Record, a slog.Attr, errs *[]error) {
	appendAttrDepth(rec, a, errs, 0)
}

func appendAttrDepth(rec *buffer.Record, a slog.Attr, errs *[]error, depth int) {
	v := resolve(a.Value)
	switch v.Kind() {
	case slog.KindString:
		rec.AddText(buffer.KindString, a.Key, v.String())
	case slog.KindInt64:
		rec.AddScalar(buffer.KindInt64, a.Key, uint64(v.Int64()))
	case slog.KindUint64:
		rec.AddScalar(buffer.KindUint64, a.Key, v.Uint64())
	case slog.KindFloat64:
		rec.AddScalar(buffer.KindFloat64, a.Key, math.Float64bits(v.Float64()))
	case slog.KindBool:
		var b uint64
		if v.Bool() {
			b = 1
		}
		rec.AddScalar(buffer.KindBool, a.Key, b)
	case slog.KindDuration:
		rec.AddScalar(buffer.KindDuration, a.Key, uint64(v.Duration()))
	case slog.KindTime:
		render.Time(rec, a.Key, v.Time())
	case slog.KindGroup:
		attrs := v.Group()
		if len(attrs) == 0 {
			return // an empty group is ignored, as slog requires
		}
		if depth >= maxDepth {
			rec.AddText(buffer.KindPanic, a.Key, "!TOO DEEP: groups nested more than 100 levels")
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
func appendAny(rec *buffer.Record, key string, x any, errs *[]error) {
	switch x := x.(type) {
	case nil:
		if key != "" { // an Attr with empty key and nil value is ignored
			rec.AddScalar(buffer.KindNull, key, 0)
		}
	case panicked:
		rec.AddText(buffer.KindPanic, key, string(x))
	default:
		render.Any(rec, key, x, errs)
	}
}

// panicked is the value of an attribute whose LogValue method panicked.
type panicked string

// resolve is slog.Value.Resolve, except that a LogValue that panics yields a
// panicked value that says so, rather than an error that would become the
// event's exception.
func resolve(v slog.Value) (out slog.Value) {
	if v.Kind() != slog.KindLogValuer {
		return v
	}
	defer func() {
		if p := recover(); p != nil {
			stats.UserPanics.Add(1)
			out = slog.AnyValue(panicked(fmt.Sprintf("!PANIC in %T.LogValue: %v", v.Any(), p)))
		}
	}()
	for range 100 {
		if v.Kind() != slog.KindLogValuer {
			return v
		}
		v = v.LogValuer().LogValue()
	}
	return slog.AnyValue(panicked(fmt.Sprintf("!LOOP: LogValue called 100 times on %T", v.Any())))
}
