package zapsentry

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// TestReviewZapicPlainRuns (review of perf-zapic): runs of fields of every
// plain type, with random bits in Integer (overflowing every narrow type,
// NaN payloads, negative uints), keys of every length, and fields that are
// not plain between them, are copied by addFields as zap's Field.AddTo
// copies them one by one, in every record limit.
func TestReviewZapicPlainRuns(t *testing.T) {
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
