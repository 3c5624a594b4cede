package logrsentry

import (
	"fmt"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// noValue is funcr's value for the last key of an odd list.
const noValue = "<no-value>"

// addValues copies a logr key/value list into rec, as funcr reads it: an
// odd list's last key gets noValue, a key that is not a string is named
// "<non-string-key: ...>". kv is not changed. When errs is not nil, the
// values that are errors are collected there.
func addValues(rec *core.Record, kv []any, errs *[]error) {
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			k = nonStringKey(kv[i])
		}
		var v any = noValue
		if i+1 < len(kv) {
			v = kv[i+1]
		}
		addValue(rec, k, v, errs)
	}
}

// nonStringKey names a key that is not a string as funcr does, with the
// first 16 bytes of its text (funcr's own rendering of it, for strings and
// numbers; fmt's for other values).
func nonStringKey(k any) string {
	s := fmt.Sprint(k)
	if len(s) > 16 {
		s = s[:16]
	}
	return "<non-string-key: " + s + ">"
}

// addValue copies one value. The kinds logr callers log most are copied in
// place, without an allocation; a logr.Marshaler is replaced by its
// MarshalLog's value first, as funcr does.
func addValue(rec *core.Record, key string, v any, errs *[]error) {
	if render.Scalar(rec, key, v) {
		return
	}
	switch x := v.(type) {
	case logr.Marshaler:
		if e, ok := x.(error); ok && errs != nil && !render.IsNil(e) {
			*errs = append(*errs, e) // shown as MarshalLog, still the exception
		}
		var m any
		if p := render.Safely(func() { m = x.MarshalLog() }); p != nil {
			render.Panic(rec, key, x, "MarshalLog", p)
			return
		}
		if _, again := m.(logr.Marshaler); again { // funcr calls it once too
			render.Any(rec, key, m, errs)
			return
		}
		addValue(rec, key, m, errs)
	default: // errors (collected), Stringers, JSON
		render.Any(rec, key, x, errs)
	}
}
