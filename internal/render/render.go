// Package render copies values the loggers cannot describe by kind (errors,
// Stringers, arbitrary Go values) into a buffer.Record, the same way for
// every logger, and survives the user's methods panicking.
//
// What a user sees, whatever the logger:
//   - an error: its Error() text; with errs not nil it is also collected for
//     the event's exception, unless it is a typed nil (a nil *MyErr in an
//     error interface), which stays text only;
//   - a fmt.Stringer: its String() text;
//   - []byte: the bytes as text (invalid UTF-8 is replaced when sent);
//   - nil: a null value;
//   - anything else: its JSON encoding, or "!UNENCODABLE T: reason" when it
//     has none (channels, functions, cycles);
//   - a method that panics: "!PANIC in T.Method: value" in its place, but
//     for an Error or String method of a nil pointer: "<nil>", as fmt, slog
//     and zap show it.
package render

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// Scalar copies x under key, in place and without an allocation, when it is
// one of the Go kinds loggers that take plain values (logrus fields, logr
// key/value lists) carry most: strings, sized and unsized integers, floats,
// bools, time.Duration, time.Time and nil. It reports whether x was one;
// the caller handles the rest (its logger's own types, then Any).
func Scalar(rec *buffer.Record, key string, x any) bool {
	switch x := x.(type) {
	case string:
		rec.AddText(buffer.KindString, key, x)
	case int:
		rec.AddScalar(buffer.KindInt64, key, uint64(x))
	case int64:
		rec.AddScalar(buffer.KindInt64, key, uint64(x))
	case int32:
		rec.AddScalar(buffer.KindInt64, key, uint64(x))
	case int16:
		rec.AddScalar(buffer.KindInt64, key, uint64(x))
	case int8:
		rec.AddScalar(buffer.KindInt64, key, uint64(x))
	case uint:
		rec.AddScalar(buffer.KindUint64, key, uint64(x))
	case uint64:
		rec.AddScalar(buffer.KindUint64, key, x)
	case uint32:
		rec.AddScalar(buffer.KindUint64, key, uint64(x))
	case uint16:
		rec.AddScalar(buffer.KindUint64, key, uint64(x))
	case uint8:
		rec.AddScalar(buffer.KindUint64, key, uint64(x))
	case float64:
		rec.AddScalar(buffer.KindFloat64, key, math.Float64bits(x))
	case float32:
		rec.AddScalar(buffer.KindFloat64, key, math.Float64bits(float64(x)))
	case bool:
		var n uint64
		if x {
			n = 1
		}
		rec.AddScalar(buffer.KindBool, key, n)
	case time.Duration:
		rec.AddScalar(buffer.KindDuration, key, uint64(x))
	case time.Time:
		Time(rec, key, x)
	case nil:
		rec.AddScalar(buffer.KindNull, key, 0)
	default:
		return false
	}
	return true
}

// Any copies x under key. When errs is not nil, non-nil errors are appended
// to it.
func Any(rec *buffer.Record, key string, x any, errs *[]error) {
	switch x := x.(type) {
	case nil:
		rec.AddScalar(buffer.KindNull, key, 0)
	case error:
		Error(rec, key, x, errs)
	case fmt.Stringer:
		Stringer(rec, key, x)
	case []byte:
		rec.AddText(buffer.KindString, key, string(x))
	default:
		JSON(rec, key, x)
	}
}

// Error copies err's text under key and, when errs is not nil and err is
// not a typed nil, appends err to errs.
func Error(rec *buffer.Record, key string, err error, errs *[]error) {
	if errs != nil && !IsNil(err) {
		*errs = append(*errs, err)
	}
	rec.BeginText(buffer.KindError, key)
	if p := Safely(func() { _, _ = rec.WriteString(err.Error()) }); p != nil {
		rec.EndText()
		if nilPointer(err) {
			rec.AddText(buffer.KindError, key, "<nil>")
			return
		}
		Panic(rec, key, err, "Error", p)
		return
	}
	rec.EndText()
}

// Stringer copies s.String() under key.
func Stringer(rec *buffer.Record, key string, s fmt.Stringer) {
	rec.BeginText(buffer.KindString, key)
	if p := Safely(func() { _, _ = rec.WriteString(s.String()) }); p != nil {
		rec.EndText()
		if nilPointer(s) {
			rec.AddText(buffer.KindString, key, "<nil>")
			return
		}
		Panic(rec, key, s, "String", p)
		return
	}
	rec.EndText()
}

// nilPointer reports whether x, whose Error or String method panicked, is
// a nil pointer: the method dereferenced the program's nil (it does not
// guard against one), and the value is shown "<nil>", as fmt, slog's
// handlers and zap's encoders show it, not as a panic of a broken method
// (nor counted as one in Stats().UserPanics).
func nilPointer(x any) bool {
	v := reflect.ValueOf(x)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// JSON copies the JSON encoding of x under key. It allocates; the loggers
// reach it only for values they have no kind for.
func JSON(rec *buffer.Record, key string, x any) {
	var b []byte
	var err error
	if p := Safely(func() { b, err = json.Marshal(x) }); p != nil {
		// A MarshalJSON or MarshalText of the program's: counted as the
		// other methods' panics are (Panic).
		stats.UserPanics.Add(1)
		rec.AddText(buffer.KindPanic, key, fmt.Sprintf("!PANIC encoding %T as JSON: %s", x, Text(p)))
		return
	}
	if err != nil {
		rec.AddText(buffer.KindString, key, fmt.Sprintf("!UNENCODABLE %T: %v", x, err))
		return
	}
	rec.AddText(buffer.KindJSON, key, string(b))
}

// Panic records, under key, that method of x panicked with p.
func Panic(rec *buffer.Record, key string, x any, method string, p any) {
	stats.UserPanics.Add(1)
	rec.AddText(buffer.KindPanic, key, fmt.Sprintf("!PANIC in %T.%s: %s", x, method, Text(p)))
}

// Safely runs f and returns what it panicked with, or nil.
func Safely(f func()) (p any) {
	defer func() {
		if r := recover(); r != nil {
			p = r
		}
	}()
	f()
	return nil
}

// IsNil reports whether x holds a nil pointer, map, slice, func or chan.
func IsNil(x any) bool {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// Time copies t: as a time while it fits UnixNano (years 1678 to 2261), as
// RFC 3339 text otherwise.
func Time(rec *buffer.Record, key string, t time.Time) {
	if y := t.Year(); y > 1677 && y < 2262 {
		rec.AddScalar(buffer.KindTime, key, uint64(t.UnixNano()))
		return
	}
	rec.AddText(buffer.KindString, key, t.Format(time.RFC3339Nano))
}
