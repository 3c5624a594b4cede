package render

import (
	"fmt"
	"log/slog"
	"math"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// Plain copies v under key if it is of a kind whose reading calls no
// method of the program's (a string, a number, a bool, a duration or a
// time), and reports whether it was: a LogValuer, a group or any other
// value is left to the caller.
func Plain(rec *buffer.Record, key string, v slog.Value) bool {
	switch v.Kind() {
	case slog.KindString:
		rec.AddText(buffer.KindString, key, v.String())
	case slog.KindInt64:
		rec.AddScalar(buffer.KindInt64, key, uint64(v.Int64()))
	case slog.KindUint64:
		rec.AddScalar(buffer.KindUint64, key, v.Uint64())
	case slog.KindFloat64:
		rec.AddScalar(buffer.KindFloat64, key, math.Float64bits(v.Float64()))
	case slog.KindBool:
		var b uint64
		if v.Bool() {
			b = 1
		}
		rec.AddScalar(buffer.KindBool, key, b)
	case slog.KindDuration:
		rec.AddScalar(buffer.KindDuration, key, uint64(v.Duration()))
	case slog.KindTime:
		Time(rec, key, v.Time())
	default:
		return false
	}
	return true
}

// LogValuePanic is what logcrumbs keeps of a slog LogValuer whose LogValue
// method panicked, or kept returning LogValuers: Note says so, as text
// rather than as an error that would become the event's exception. The
// slog handlers resolve a record's LogValuers once, for the program's own
// handler and for logcrumbs; where one panicked, they give the program's
// handler Orig, so that it writes the panic as slog does, stack and all:
// the LogValuer whose LogValue panicked (the value as logged, or one its
// chain of LogValue calls returned), or, for a chain given up on, the
// value as logged, which slog's text names.
type LogValuePanic struct {
	Note string
	Orig slog.Value
}

// LogValuePanicked returns what is kept of a LogValuer value when the
// LogValue method of lv (that value or a LogValuer its chain returned)
// panicked with p; orig is what the program's handler gets in its place.
func LogValuePanicked(orig slog.Value, lv, p any) *LogValuePanic {
	stats.UserPanics.Add(1)
	return &LogValuePanic{Note: fmt.Sprintf("!PANIC in %T.LogValue: %s", lv, Text(p)), Orig: orig}
}

// LogValueLoop returns what is kept of orig, a LogValuer value whose
// chain of LogValue methods was called 100 times without the value of one
// of the first 99 being a plain value (slog's own limit: it gives up after
// the 100th call, whatever that returned), last the LogValuer called last.
func LogValueLoop(orig slog.Value, last any) *LogValuePanic {
	return &LogValuePanic{Note: fmt.Sprintf("!LOOP: LogValue called 100 times on %T", last), Orig: orig}
}

// MaxDepth bounds the group nesting the slog handlers walk, so that a
// LogValuer that returns ever deeper groups cannot exhaust the stack.
const MaxDepth = 100

// Resolve is slog.Value.Resolve, except that a LogValue that panics (or
// loops) yields a *LogValuePanic, which logcrumbs keeps as a note that says
// so rather than an error that would become the event's exception.
func Resolve(v slog.Value) (out slog.Value) {
	if v.Kind() != slog.KindLogValuer {
		return v
	}
	orig := v
	defer func() {
		if p := recover(); p != nil {
			// v is the LogValuer whose LogValue panicked, which the
			// program's handler gets to write slog's text for the panic:
			// one that orig's chain led to is as good (the text and its
			// stack are those of the panicking call), and the LogValue
			// methods before it, which returned, are not called again.
			out = slog.AnyValue(LogValuePanicked(v, v.Any(), p))
		}
	}()
	var last any // the LogValuer called last, which the note names
	for range 100 {
		if v.Kind() != slog.KindLogValuer {
			return v
		}
		last = v.Any()
		v = v.LogValuer().LogValue()
	}
	return slog.AnyValue(LogValueLoop(orig, last))
}

// needsResolve reports whether v is a LogValuer or a group that holds one,
// within MaxDepth.
func needsResolve(v slog.Value, depth int) bool {
	switch v.Kind() {
	case slog.KindLogValuer:
		return true
	case slog.KindGroup:
		return groupNeedsResolve(v, depth)
	}
	return false
}

// groupNeedsResolve is needsResolve for a group.
func groupNeedsResolve(v slog.Value, depth int) bool {
	if depth >= MaxDepth {
		return false
	}
	for _, a := range v.Group() {
		if needsResolve(a.Value, depth+1) {
			return true
		}
	}
	return false
}

// HasLogValuer reports whether r holds a LogValuer, inside groups too
// (within MaxDepth): whether ResolveRecord would return anything but r. It
// takes r by pointer so that the common record, with no LogValuer, costs
// the slog handlers a scan of its attributes and no copy of the record
// (ResolveRecord takes and returns three, about 300 bytes each).
func HasLogValuer(r *slog.Record) (found bool) {
	r.Attrs(func(a slog.Attr) bool {
		// needsResolve, by hand: it is not inlined, and a call for
		// each attribute was half of this scan's instructions.
		switch a.Value.Kind() {
		case slog.KindLogValuer:
			found = true
		case slog.KindGroup:
			found = groupNeedsResolve(a.Value, 0)
		}
		return !found
	})
	return found
}

// ResolveRecord returns r with its LogValuers resolved, inside groups too,
// for logcrumbs, r as the program's own handler gets it (see ResolveBoth),
// so that both see the values of one call of each LogValue method, and
// whether r held any LogValuer. A record without LogValuers is returned as
// it is, after a scan of its attributes; since r goes in and out by value
// (three copies), a caller on the hot path asks HasLogValuer first.
func ResolveRecord(r slog.Record) (ours, next slog.Record, found bool) {
	if !HasLogValuer(&r) {
		return r, r, false
	}
	ours = slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	var forNext []slog.Attr // nil while next is ours
	r.Attrs(func(a slog.Attr) bool {
		o, n, split := ResolveBoth(a.Value, 0)
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
		return ours, ours, true
	}
	next = slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	next.AddAttrs(forNext...)
	return ours, next, true
}

// ResolveBoth returns v resolved for logcrumbs (v and the LogValuers in its
// groups, within MaxDepth, as the handlers resolve them when they write
// it), v as the program's own handler gets it, and whether the two differ.
// The handler gets the resolved value of a LogValuer, except:
//   - a LogValuer that panicked, as the LogValuer whose LogValue panicked
//     (the one logged or one its chain returned), or one that looped, as
//     it was logged, so that the handler resolves it itself and writes
//     slog's own text for it;
//   - a LogValuer whose value is a group, as a replay of that value, so
//     that the handler still sees a LogValuer where one was logged: slog's
//     handlers treat the two differently (the JSON handler writes "g":{}
//     for a group holding a LogValuer whose value is an empty group, and a
//     rebuilt group would have dropped it; ReplaceAttr sees a LogValuer's
//     group value in x/exp/slog), and the output must not change.
func ResolveBoth(v slog.Value, depth int) (ours, next slog.Value, split bool) {
	if v.Kind() == slog.KindLogValuer {
		r := Resolve(v)
		if p, ok := r.Any().(*LogValuePanic); ok && r.Kind() == slog.KindAny {
			return r, p.Orig, true
		}
		if r.Kind() != slog.KindGroup {
			return r, r, false
		}
		ours, next, _ = ResolveBoth(r, depth)
		return ours, slog.AnyValue(&replay{next}), true
	}
	if v.Kind() != slog.KindGroup || !needsResolve(v, depth) {
		return v, v, false
	}
	group := v.Group()
	o := make([]slog.Attr, len(group))
	n := make([]slog.Attr, len(group))
	for i, a := range group {
		ov, nv, sp := ResolveBoth(a.Value, depth+1)
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

// replay is a LogValuer whose value was resolved already: what the
// program's handler gets in place of a LogValuer whose value is a group
// (see ResolveBoth), so that it resolves it without calling the user's
// LogValue again.
type replay struct{ v slog.Value }

func (r *replay) LogValue() slog.Value { return r.v }
