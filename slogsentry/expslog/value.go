package expslog

import (
	"fmt"
	"log/slog"

	xslog "golang.org/x/exp/slog"
)

// attr copies an x/exp/slog attribute into log/slog.
func attr(a xslog.Attr) slog.Attr { return slog.Attr{Key: a.Key, Value: value(a.Value)} }

// value copies an x/exp/slog value into log/slog, kind for kind. A
// LogValuer stays one, resolved when logcrumbs reads it.
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
	return slog.AnyValue(v.Any())
}

// logValuer is an x/exp/slog LogValuer seen from log/slog. If the user's
// LogValue panics, the panic goes on, naming the user's type, to logcrumbs,
// which recovers it and shows it in place of the value.
type logValuer struct{ v xslog.LogValuer }

func (l logValuer) LogValue() slog.Value {
	defer func() {
		if p := recover(); p != nil {
			panic(fmt.Sprintf("%T.LogValue: %v", l.v, p))
		}
	}()
	return value(l.v.LogValue())
}
