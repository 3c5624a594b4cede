package zapsentry

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"

	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

var errorType = reflect.TypeFor[error]()

// addField copies f into rec, recovering from panics in the user's methods.
// When errs is not nil, the errors of error fields are collected there.
func addField(rec *core.Record, f *zapcore.Field, errs *[]error) {
	addFields(rec, unsafe.Slice(f, 1), errs)
}

// addFields copies fields into rec, as addField each. The plain ones (most
// of a log call's) are copied by runs, one call to addPlains a run rather
// than a call to addPlain a field (cachegrind, ZapBreadcrumb/json+logcrumbs:
// 7,765 -> 7,757 instructions a record of 4 fields).
func addFields(rec *core.Record, fields []zapcore.Field, errs *[]error) {
	for {
		fields = fields[addPlains((*encoder)(rec), fields):]
		if len(fields) == 0 {
			return
		}
		addOther(rec, &fields[0], errs)
		fields = fields[1:]
	}
}

// addOther is addField for a field addPlain does not copy: one that may
// run the user's methods, so under a recover.
func addOther(rec *core.Record, f *zapcore.Field, errs *[]error) {
	depth := rec.Depth()
	p := render.Safely(func() {
		switch f.Type {
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

// addPlain copies f into e, as f.AddTo(e) does, if zap copies a field of
// its type from its Integer or String alone, and reports whether it did.
// Such a field runs no user method and no type assertion that can fail, so
// it needs no recover (a closure and a defer per field); and calling e's
// methods here, not through AddTo's ObjectEncoder, spares the hot path an
// interface call per field and AddTo's switch over every type. A zero
// Field (UnknownType), whose AddTo panics, is not plain.
func addPlain(e *encoder, f *zapcore.Field) bool {
	return addPlains(e, unsafe.Slice(f, 1)) == 1
}

// addPlains copies the plain fields at the start of fields into e, as
// addPlain each, and returns how many it copied: it stops at the first
// field that is not plain.
//
// The types log calls use most have a case here; the other plain ones are
// copied out of line, by addRarePlain. With a case per type, a record's
// four fields ran through 990 bytes of code, nine 64-byte lines of the
// instruction cache that every teed zap record needed (cachegrind's cache
// simulation, ZapBreadcrumb/json+logcrumbs).
func addPlains(e *encoder, fields []zapcore.Field) int {
	rec := e.rec()
	for i := range fields { // by index: a Field is 64 bytes
		switch f := &fields[i]; f.Type {
		case zapcore.StringType:
			rec.AddText(core.KindString, f.Key, f.String)
		case zapcore.Int64Type, zapcore.DurationType, zapcore.Uint64Type, zapcore.Float64Type:
			// Integer is the value's bits whole: a Float64's are
			// math.Float64bits, as the record keeps them.
			rec.AddScalar(wholeKinds[f.Type&31], f.Key, uint64(f.Integer))
		case zapcore.BoolType:
			e.AddBool(f.Key, f.Integer == 1)
		case zapcore.SkipType:
		default:
			if rarePlainTypes&typeBit(f.Type) == 0 {
				return i // not plain: no call to learn it
			}
			addRarePlain(e, f)
		}
	}
	return len(fields)
}

// wholeKinds is the record's kind of the fields whose Integer is their
// value's bits whole, by type (indexed within its 32 entries).
var wholeKinds = [32]core.Kind{
	zapcore.Int64Type:    core.KindInt64,
	zapcore.DurationType: core.KindDuration,
	zapcore.Uint64Type:   core.KindUint64,
	zapcore.Float64Type:  core.KindFloat64,
}

// rarePlainTypes has the typeBit of the plain types addPlains leaves to
// addRarePlain.
const rarePlainTypes = 1<<zapcore.Int32Type | 1<<zapcore.Int16Type | 1<<zapcore.Int8Type |
	1<<zapcore.Uint32Type | 1<<zapcore.Uint16Type | 1<<zapcore.Uint8Type | 1<<zapcore.UintptrType |
	1<<zapcore.Float32Type | 1<<zapcore.NamespaceType

// addRarePlain is addPlains for the plain fields of the types log calls
// seldom use (rarePlainTypes), out of line: it copies f if it is plain, and
// reports whether it was.
//
//go:noinline
func addRarePlain(e *encoder, f *zapcore.Field) bool {
	switch f.Type {
	case zapcore.Int32Type:
		e.AddInt32(f.Key, int32(f.Integer))
	case zapcore.Int16Type:
		e.AddInt16(f.Key, int16(f.Integer))
	case zapcore.Int8Type:
		e.AddInt8(f.Key, int8(f.Integer))
	case zapcore.Uint32Type:
		e.AddUint32(f.Key, uint32(f.Integer))
	case zapcore.Uint16Type:
		e.AddUint16(f.Key, uint16(f.Integer))
	case zapcore.Uint8Type:
		e.AddUint8(f.Key, uint8(f.Integer))
	case zapcore.UintptrType:
		e.AddUintptr(f.Key, uintptr(f.Integer))
	case zapcore.Float32Type:
		e.AddFloat32(f.Key, math.Float32frombits(uint32(f.Integer)))
	case zapcore.NamespaceType:
		e.OpenNamespace(f.Key)
	default:
		return false
	}
	return true
}

// plainTypes has the typeBit of every field type addPlain copies, found by
// asking addPlain itself, so that the two never disagree: a record whose
// fields are all of these only copies values (core.Encoder.Copies).
var plainTypes = func() uint64 {
	rec := core.Record{}
	var bits uint64
	for t := range zapcore.FieldType(63) { // 63 stands for every type from 63 on (typeBit)
		if addPlain((*encoder)(&rec), &zapcore.Field{Type: t}) {
			bits |= typeBit(t)
		}
	}
	return bits
}()

// typeBit is the bit of field type t in a set of types; the types from 63
// on, which zap does not have, share the last bit, which is never plain.
func typeBit(t zapcore.FieldType) uint64 { return 1 << min(t, 63) }

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
