package zapsentry

import (
	"fmt"
	"reflect"

	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

var errorType = reflect.TypeFor[error]()

// addField copies f into rec, recovering from panics in the user's methods.
// When errs is not nil, the errors of error fields are collected there.
func addField(rec *core.Record, f zapcore.Field, errs *[]error) {
	if plain(f.Type) {
		f.AddTo((*encoder)(rec))
		return
	}
	depth := rec.Depth()
	p := render.Safely(func() {
		switch f.Type {
		case zapcore.SkipType:
		case zapcore.ErrorType:
			render.Error(rec, f.Key, f.Interface.(error), errs)
		case zapcore.StringerType:
			render.Stringer(rec, f.Key, f.Interface.(fmt.Stringer))
		case zapcore.ArrayMarshalerType:
			if errs != nil {
				collectErrors(f.Interface, errs)
			}
			f.AddTo((*encoder)(rec))
		default:
			f.AddTo((*encoder)(rec))
		}
	})
	if p != nil {
		rec.CloseTo(depth)
		render.Panic(rec, f.Key, f.Interface, method(f.Type), p)
	}
}

// plain reports whether zap copies a field of type t from its Integer or
// String alone: no user method runs and no type assertion can fail, so the
// field needs no recover, which costs a closure and a defer per field. A
// zero Field (UnknownType), whose AddTo panics, is not plain.
func plain(t zapcore.FieldType) bool {
	switch t {
	case zapcore.StringType, zapcore.BoolType, zapcore.DurationType,
		zapcore.Int64Type, zapcore.Int32Type, zapcore.Int16Type, zapcore.Int8Type,
		zapcore.Uint64Type, zapcore.Uint32Type, zapcore.Uint16Type, zapcore.Uint8Type, zapcore.UintptrType,
		zapcore.Float64Type, zapcore.Float32Type,
		zapcore.NamespaceType, zapcore.SkipType:
		return true
	}
	return false
}

// collectErrors collects the errors of a zap.Errors field, whose array is a
// slice of errors.
func collectErrors(x any, errs *[]error) {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Slice || v.Type().Elem() != errorType {
		return
	}
	for i := range v.Len() {
		if err, _ := v.Index(i).Interface().(error); err != nil && !render.IsNil(err) {
			*errs = append(*errs, err)
		}
	}
}

// method names the user's method a field of type t calls, for the panic
// message.
func method(t zapcore.FieldType) string {
	switch t {
	case zapcore.ArrayMarshalerType:
		return "MarshalLogArray"
	case zapcore.ObjectMarshalerType, zapcore.InlineMarshalerType:
		return "MarshalLogObject"
	case zapcore.ErrorType:
		return "Error"
	case zapcore.StringerType:
		return "String"
	}
	return "encoding"
}
