package zapsentry_test

import (
	"context"
	"io"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

func discardCore() zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.DebugLevel)
}

// TestBreadcrumbAllocatesNothing holds the hot-path promise for zap: the
// core's Write of an info entry with typed fields, on a request logger with
// With fields, allocates nothing, and teeing it beside a JSON core adds no
// allocation to what zap itself does.
func TestBreadcrumbAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	ctx := logcrumbs.NewContext(context.Background())
	core := zapsentry.NewCore(zapsentry.Options{}).With([]zapcore.Field{zapsentry.Context(ctx), zap.String("svc", "api")})
	ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: time.Now(), Message: "request served"}
	fields := []zapcore.Field{zap.String("path", "/users/42"), zap.Int("status", 200),
		zap.Duration("took", 3*time.Millisecond), zap.Bool("cached", false), zap.Namespace("db"), zap.Int("rows", 1)}
	write := func() { _ = core.Write(ent, fields) }
	for range 2 * logcrumbs.DefaultCapacity {
		write()
	}
	if n := testing.AllocsPerRun(1000, write); n != 0 {
		t.Errorf("core.Write allocates %.1f times per entry, want 0", n)
	}

	logOnce := func(l *zap.Logger) func() {
		return func() {
			l.Info("request served", zap.String("path", "/users/42"), zap.Int("status", 200),
				zap.Duration("took", 3*time.Millisecond), zap.Bool("cached", false))
		}
	}
	bare := zap.New(discardCore())
	_, teed := zapsentry.WithContext(ctx, zap.New(zapcore.NewTee(discardCore(), zapsentry.NewCore(zapsentry.Options{}))))
	for range 2 * logcrumbs.DefaultCapacity {
		logOnce(teed)()
	}
	want := testing.AllocsPerRun(1000, logOnce(bare))
	if got := testing.AllocsPerRun(1000, logOnce(teed)); got > want {
		t.Errorf("a teed logger allocates %.1f times per entry, the bare one %.1f", got, want)
	}
}

func BenchmarkBreadcrumb(b *testing.B) {
	ctx := logcrumbs.NewContext(context.Background())
	for _, tc := range []struct {
		name string
		core zapcore.Core
	}{
		{"json", discardCore()},
		{"logcrumbs", zapsentry.NewCore(zapsentry.Options{})},
		{"json+logcrumbs", zapcore.NewTee(discardCore(), zapsentry.NewCore(zapsentry.Options{}))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			logger := zap.New(tc.core).With(zapsentry.Context(ctx))
			b.ReportAllocs()
			for b.Loop() {
				logger.Info("request served", zap.String("path", "/users/42"), zap.Int("status", 200),
					zap.Duration("took", 3*time.Millisecond), zap.Bool("cached", false))
			}
		})
	}
}
