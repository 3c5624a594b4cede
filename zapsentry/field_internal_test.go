package zapsentry

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// TestAddPlainAsAddTo: addPlain copies every field it takes exactly as
// zap's own Field.AddTo does through the encoder (the path it replaces on
// the hot path), values at the edges of each type included, and takes no
// field whose copy may run user code or panic.
func TestAddPlainAsAddTo(t *testing.T) {
	fields := []zapcore.Field{
		zap.String("s", "text"), zap.String("empty", ""),
		zap.Int64("i64", math.MinInt64), zap.Int32("i32", math.MinInt32), zap.Int16("i16", -7), zap.Int8("i8", math.MaxInt8),
		zap.Int("int", -42),
		zap.Uint64("u64", math.MaxUint64), zap.Uint32("u32", math.MaxUint32), zap.Uint16("u16", math.MaxUint16), zap.Uint8("u8", 255),
		zap.Uintptr("uptr", 0xdeadbeef),
		zap.Float64("f64", -1.5e300), zap.Float64("inf", math.Inf(-1)), zap.Float32("f32", 3.25), zap.Float32("f32max", math.MaxFloat32),
		zap.Bool("t", true), zap.Bool("f", false),
		zap.Duration("d", 1500*time.Millisecond), zap.Duration("neg", -time.Nanosecond),
		zap.Namespace("ns"), zap.String("in", "ns"),
		zap.Skip(),
		// Truncated as zap truncates: a field made by hand with a wide Integer.
		{Key: "wide8", Type: zapcore.Int8Type, Integer: 0x1ff},
		{Key: "wide32", Type: zapcore.Uint32Type, Integer: -1},
		{Key: "wide16", Type: zapcore.Int16Type, Integer: 0x7_0000_8001},
		{Key: "widei32", Type: zapcore.Int32Type, Integer: 1<<40 | 0x8000_0000},
		{Key: "wideu16", Type: zapcore.Uint16Type, Integer: -2},
		{Key: "wideu8", Type: zapcore.Uint8Type, Integer: 0x1_0101},
		{Key: "wideptr", Type: zapcore.UintptrType, Integer: -3},
		{Key: "widef32", Type: zapcore.Float32Type, Integer: 1<<40 | int64(math.Float32bits(-2.5))},
		{Key: "bool2", Type: zapcore.BoolType, Integer: 2},
		{Key: "negu64", Type: zapcore.Uint64Type, Integer: math.MinInt64},
		{Key: "nan", Type: zapcore.Float64Type, Integer: 0x7ff8_0000_0000_0001},
	}
	record := func(add func(*encoder, *zapcore.Field)) string {
		rec := buffer.Get(time.Time{}, buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		defer buffer.Put(rec)
		for i := range fields {
			add((*encoder)(rec), &fields[i])
		}
		rec.CloseAll()
		return fmt.Sprintf("%#v", rec.Data())
	}
	got := record(func(e *encoder, f *zapcore.Field) {
		if !addPlain(e, f) {
			t.Errorf("field %q of type %v: not plain", f.Key, f.Type)
		}
	})
	want := record(func(e *encoder, f *zapcore.Field) { f.AddTo(e) })
	if !strings.Contains(want, `"wide32":0xffffffff`) {
		t.Fatalf("the record kept too little to compare: %s", want)
	}
	if got != want {
		t.Errorf("addPlain copied\n%s\nzap's AddTo copies\n%s", got, want)
	}
	for _, f := range []zapcore.Field{
		{}, zap.Error(fmt.Errorf("e")), zap.Stringer("st", time.Second), zap.Any("any", []int{1}),
		zap.Binary("bin", []byte{1}), zap.ByteString("bs", []byte("x")), zap.Time("tm", time.Unix(0, 0)),
		zap.Complex128("c", 1i), zap.Object("o", zapcore.ObjectMarshalerFunc(func(zapcore.ObjectEncoder) error { return nil })),
		zap.Inline(zapcore.ObjectMarshalerFunc(func(zapcore.ObjectEncoder) error { return nil })),
		zap.Reflect("r", 1), zap.Ints("a", []int{1}),
	} {
		rec := buffer.Get(time.Time{}, buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		if addPlain((*encoder)(rec), &f) {
			t.Errorf("field %q of type %v: taken as plain", f.Key, f.Type)
		}
		buffer.Put(rec)
	}
}

// TestPlainTypesAreAddPlains: the types Write lets fill a record under the
// trail's lock (plainTypes) are exactly those addPlain copies, and a type
// zap does not have (from 63 on, sharing typeBit's last bit) is not one.
func TestPlainTypesAreAddPlains(t *testing.T) {
	for ty := range zapcore.FieldType(255) {
		rec := buffer.Get(time.Time{}, buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		copied := addPlain((*encoder)(rec), &zapcore.Field{Type: ty, Key: "k"})
		buffer.Put(rec)
		if plain := plainTypes&typeBit(ty) != 0; plain != copied {
			t.Errorf("field type %d: in plainTypes %v, addPlain copies it %v", ty, plain, copied)
		}
	}
	if plainTypes&typeBit(zapcore.StringType) == 0 || plainTypes&typeBit(zapcore.StringerType) != 0 {
		t.Errorf("plainTypes %b: want StringType in, StringerType out", plainTypes)
	}
}

// TestAddFieldsAsAddTo: addFields, which copies plain fields by runs,
// copies fields of every mix (a run at the start, at the end, between
// others, none at all) as zap's Field.AddTo does one by one, and gathers
// the errors among them.
func TestAddFieldsAsAddTo(t *testing.T) {
	err1, err2 := fmt.Errorf("one"), fmt.Errorf("two")
	plain := []zapcore.Field{zap.String("s", "text"), zap.Int("i", 7), zap.Bool("b", true), zap.Duration("d", time.Second)}
	other := []zapcore.Field{zap.Error(err1), zap.Stringer("st", time.Minute), zap.NamedError("e2", err2), zap.Ints("a", []int{1, 2})}
	for mask := range 1 << 6 { // each of 6 places plain or not
		var fields []zapcore.Field
		wantErrs := 0
		for i := range 6 {
			if mask&(1<<i) != 0 {
				fields = append(fields, plain[i%len(plain)])
			} else {
				f := other[i%len(other)]
				if f.Type == zapcore.ErrorType {
					wantErrs++
				}
				fields = append(fields, f)
			}
		}
		var errs []error
		got := buffer.Get(time.Time{}, buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		addFields(got, fields, &errs)
		got.CloseAll()
		want := buffer.Get(time.Time{}, buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		for i := range fields {
			fields[i].AddTo((*encoder)(want))
		}
		want.CloseAll()
		if g, w := fmt.Sprintf("%#v", got.Data()), fmt.Sprintf("%#v", want.Data()); g != w || got.Len() != len(fields) {
			t.Errorf("mask %06b: addFields copied (%d attributes)\n%s\nAddTo copies\n%s", mask, got.Len(), g, w)
		}
		if len(errs) != wantErrs {
			t.Errorf("mask %06b: %d errors gathered, want %d", mask, len(errs), wantErrs)
		}
		buffer.Put(got)
		buffer.Put(want)
	}
}

// TestPlainFieldRuns (review of perf-zapic): runs of fields of every
// plain type, with random bits in Integer (overflowing every narrow type,
// NaN payloads, negative uints), keys of every length, and fields that are
// not plain between them, are copied by addFields as zap's Field.AddTo
// copies them one by one, in every record limit.
func TestPlainFieldRuns(t *testing.T) {
	plain := []zapcore.FieldType{
		zapcore.StringType, zapcore.Int64Type, zapcore.Int32Type, zapcore.Int16Type, zapcore.Int8Type,
		zapcore.Uint64Type, zapcore.Uint32Type, zapcore.Uint16Type, zapcore.Uint8Type, zapcore.UintptrType,
		zapcore.Float64Type, zapcore.Float32Type, zapcore.BoolType, zapcore.DurationType, zapcore.NamespaceType, zapcore.SkipType,
	}
	bits := []int64{0, 1, -1, 2, math.MinInt64, math.MaxInt64, 0x7ff8_0000_0000_0001, 0x7ff0_0000_0000_0001, -0x8000_0000_0000_0000 | 0x7ff, 0x1_0000_00ff, 0x8000_0000, 0x7f80_0001, 0xffff_ffff, int64(math.Float64bits(math.Copysign(0, -1))), int64(math.Float32bits(float32(math.Copysign(0, -1))))}
	limits := []buffer.Limits{buffer.DefaultBreadcrumbLimits, {MaxAttrs: 4, MaxValueBytes: 5, MaxRecordBytes: 60}, {MaxAttrs: 64, MaxValueBytes: 1024, MaxRecordBytes: 200}}
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{"", "k", "key", "keyz", "seven77", "eight888", "sixteen_sixteen1", "seventeen_seventee", "ünï"}
	for iter := range 3000 {
		n := 1 + rng.IntN(12)
		fields := make([]zapcore.Field, n)
		for i := range fields {
			f := zapcore.Field{Key: keys[rng.IntN(len(keys))]}
			switch rng.IntN(10) {
			case 0:
				f = zapcore.Field{Key: f.Key, Type: zapcore.TimeType, Integer: rng.Int64(), Interface: time.UTC}
			case 1:
				f = zapcore.Field{Key: f.Key, Type: zapcore.Complex128Type, Interface: complex(rng.NormFloat64(), 1)}
			default:
				f.Type = plain[rng.IntN(len(plain))]
				if rng.IntN(2) == 0 {
					f.Integer = bits[rng.IntN(len(bits))]
				} else {
					f.Integer = int64(rng.Uint64())
				}
				f.String = fmt.Sprint("v", rng.Uint32())
			}
			fields[i] = f
		}
		lim := limits[iter%len(limits)]
		record := func(add func(*buffer.Record)) string {
			rec := buffer.Get(time.Time{}, buffer.LevelInfo, lim)
			defer buffer.Put(rec)
			add(rec)
			rec.CloseAll()
			return fmt.Sprintf("%#v %v %d", rec.Data(), rec.Truncated, rec.Len())
		}
		got := record(func(r *buffer.Record) { addFields(r, fields, nil) })
		want := record(func(r *buffer.Record) {
			for i := range fields {
				fields[i].AddTo((*encoder)(r))
			}
		})
		if got != want {
			t.Fatalf("iteration %d, fields %+v:\naddFields %s\nAddTo     %s", iter, fields, got, want)
		}
	}
}
