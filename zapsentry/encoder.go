package zapsentry

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// encoder is a zapcore.ObjectEncoder that copies fields into the record it
// converts from. Being the record itself, it costs no allocation to pass as
// an interface, which keeps the breadcrumb path allocation-free.
type encoder core.Record

var _ zapcore.ObjectEncoder = (*encoder)(nil)

func (e *encoder) rec() *core.Record { return (*core.Record)(e) }

func (e *encoder) int(key string, v int64) { e.rec().AddScalar(core.KindInt64, key, uint64(v)) }

func (e *encoder) uint(key string, v uint64) { e.rec().AddScalar(core.KindUint64, key, v) }

func (e *encoder) float(key string, v float64) {
	e.rec().AddScalar(core.KindFloat64, key, math.Float64bits(v))
}

// AddObject copies the object as a group; namespaces it opens end with it,
// as in zap's JSON encoder.
func (e *encoder) AddObject(key string, m zapcore.ObjectMarshaler) error {
	depth := e.rec().Depth()
	e.rec().OpenGroup(key)
	err := m.MarshalLogObject(e)
	e.rec().CloseTo(depth)
	return err
}

// AddArray copies the array as a JSON value. Unlike other fields, this
// allocates: the record format has no arrays, so the elements are gathered
// by zap's map encoder and encoded once.
func (e *encoder) AddArray(key string, m zapcore.ArrayMarshaler) error {
	enc := zapcore.NewMapObjectEncoder()
	err := enc.AddArray(key, m)
	render.JSON(e.rec(), key, enc.Fields[key])
	return err
}

// AddReflected copies v as JSON.
func (e *encoder) AddReflected(key string, v any) error {
	render.JSON(e.rec(), key, v)
	return nil
}

// OpenNamespace nests the fields that follow in a group named key.
func (e *encoder) OpenNamespace(key string) { e.rec().OpenGroup(key) }

func (e *encoder) AddString(key, v string) { e.rec().AddText(core.KindString, key, v) }

func (e *encoder) AddByteString(key string, v []byte) {
	e.rec().BeginText(core.KindString, key)
	_, _ = e.rec().Write(v)
	e.rec().EndText()
}

// AddBinary copies v as base64 text, as zap's JSON encoder writes it.
func (e *encoder) AddBinary(key string, v []byte) {
	e.AddString(key, base64.StdEncoding.EncodeToString(v))
}

func (e *encoder) AddBool(key string, v bool) {
	var n uint64
	if v {
		n = 1
	}
	e.rec().AddScalar(core.KindBool, key, n)
}

func (e *encoder) AddDuration(key string, v time.Duration) {
	e.rec().AddScalar(core.KindDuration, key, uint64(v))
}

func (e *encoder) AddTime(key string, v time.Time) { render.Time(e.rec(), key, v) }

func (e *encoder) AddComplex128(key string, v complex128) {
	e.AddString(key, strconv.FormatComplex(v, 'g', -1, 128))
}

func (e *encoder) AddComplex64(key string, v complex64) {
	e.AddString(key, strconv.FormatComplex(complex128(v), 'g', -1, 64))
}

func (e *encoder) AddFloat64(key string, v float64) { e.float(key, v) }
func (e *encoder) AddFloat32(key string, v float32) { e.float(key, float64(v)) }
func (e *encoder) AddInt(key string, v int)         { e.int(key, int64(v)) }
func (e *encoder) AddInt64(key string, v int64)     { e.int(key, v) }
func (e *encoder) AddInt32(key string, v int32)     { e.int(key, int64(v)) }
func (e *encoder) AddInt16(key string, v int16)     { e.int(key, int64(v)) }
func (e *encoder) AddInt8(key string, v int8)       { e.int(key, int64(v)) }
func (e *encoder) AddUint(key string, v uint)       { e.uint(key, uint64(v)) }
func (e *encoder) AddUint64(key string, v uint64)   { e.uint(key, v) }
func (e *encoder) AddUint32(key string, v uint32)   { e.uint(key, uint64(v)) }
func (e *encoder) AddUint16(key string, v uint16)   { e.uint(key, uint64(v)) }
func (e *encoder) AddUint8(key string, v uint8)     { e.uint(key, uint64(v)) }
func (e *encoder) AddUintptr(key string, v uintptr) { e.uint(key, uint64(v)) }
