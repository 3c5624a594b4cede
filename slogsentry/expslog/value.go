package expslog

import (
	"fmt"
	"log/slog"

	xslog "golang.org/x/exp/slog"

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
	return slog.AnyValue(v.Any())
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
