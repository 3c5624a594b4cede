package bench

import (
	"context"
	"io"
	"testing"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

func zapJSON(level zapcore.Level) zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), level)
}

func zapOpts(hub *sentry.Hub) zapsentry.Options {
	return zapsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}}
}

// zapCases: zap's JSON core, logcrumbs alone and teed beside it.
func zapCases(b *testing.B) []struct {
	name string
	core zapcore.Core
	tr   *countingTransport
} {
	hub, tr := newHub(b)
	hub2, tr2 := newHub(b)
	return []struct {
		name string
		core zapcore.Core
		tr   *countingTransport
	}{
		{"json", zapJSON(zapcore.InfoLevel), nil},
		{"logcrumbs", zapsentry.NewCore(zapOpts(hub)), tr},
		{"json+logcrumbs", zapcore.NewTee(zapJSON(zapcore.InfoLevel), zapsentry.NewCore(zapOpts(hub2))), tr2},
	}
}

func logZapInfo(l *zap.Logger) {
	l.Info(msg, zap.String("path", path), zap.Int("status", status), zap.Duration("took", took), zap.Bool("cached", cached))
}

func BenchmarkZapBreadcrumb(b *testing.B) {
	for _, c := range zapCases(b) {
		b.Run(c.name, func(b *testing.B) {
			l := zap.New(c.core).With(zapsentry.Context(logcrumbs.NewContext(context.Background())))
			warm(func() { logZapInfo(l) })
			b.ReportAllocs()
			for b.Loop() {
				logZapInfo(l)
			}
		})
	}
}

func BenchmarkZapBreadcrumbParallel(b *testing.B) {
	for _, c := range zapCases(b) {
		b.Run(c.name, func(b *testing.B) {
			base := zap.New(c.core)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				_, l := zapsentry.WithContext(context.Background(), base)
				for pb.Next() {
					logZapInfo(l)
				}
			})
		})
	}
}

// BenchmarkZapFiltered: a debug entry where every level in use is info.
func BenchmarkZapFiltered(b *testing.B) {
	hub, _ := newHub(b)
	opts := zapOpts(hub)
	opts.BreadcrumbLevel = zapcore.InfoLevel
	for _, c := range []struct {
		name string
		core zapcore.Core
	}{
		{"json", zapJSON(zapcore.InfoLevel)},
		{"json+logcrumbs", zapcore.NewTee(zapJSON(zapcore.InfoLevel), zapsentry.NewCore(opts))},
	} {
		b.Run(c.name, func(b *testing.B) {
			l := zap.New(c.core).With(zapsentry.Context(logcrumbs.NewContext(context.Background())))
			b.ReportAllocs()
			for b.Loop() {
				l.Debug(msg, zap.String("path", path), zap.Int("status", status), zap.Duration("took", took), zap.Bool("cached", cached))
			}
		})
	}
}

func BenchmarkZapEvent(b *testing.B) {
	for _, trail := range trails {
		for _, c := range zapCases(b)[1:] {
			b.Run(c.name+"-"+trail.name, func(b *testing.B) {
				hub, tr := newHub(b)
				runEvents(b, tr, zapEvents(c.name, zapOpts(hub), trail.n, b))
			})
		}
	}
}

// zapEvents is the op of a BenchmarkZapEvent row (see eventOp): logcrumbs'
// core alone, or teed beside zap's JSON core ("json+logcrumbs").
func zapEvents(name string, opts zapsentry.Options, n int, tm timer) func(i int) {
	core := zapsentry.NewCore(opts)
	if name == "json+logcrumbs" {
		core = zapcore.NewTee(zapJSON(zapcore.InfoLevel), core)
	}
	base := zap.New(core)
	return eventOp(n, tm,
		func(ctx context.Context) *zap.Logger { return base.With(zapsentry.Context(ctx)) },
		logZapInfo,
		func(l *zap.Logger, i int) {
			l.Error("charge failed", zap.Error(newError(i)), zap.String("path", path), zap.Int("status", status), zap.Duration("took", took))
		})
}

// BenchmarkZapRepeat: one request logs the same error value from one call
// site over and over; after the first, capture-once and repeat counting
// skip it (events/op near 0). Compared with zap's JSON core alone.
// Deduplication is on, as by default.
func BenchmarkZapRepeat(b *testing.B) {
	err := newError(0)
	for _, name := range []string{"json", "json+logcrumbs"} {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			core := zapJSON(zapcore.InfoLevel)
			if name == "json+logcrumbs" {
				core = zapcore.NewTee(core, zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
			}
			l := zap.New(core).With(zapsentry.Context(logcrumbs.NewContext(context.Background())))
			b.ReportAllocs()
			for b.Loop() {
				l.Error("charge failed", zap.Error(err), zap.String("path", path), zap.Int("status", status), zap.Duration("took", took))
			}
			reportEvents(b, tr)
		})
	}
}

// BenchmarkZapRepeatParallel: BenchmarkZapRepeat in an error storm of
// concurrent requests (see BenchmarkSlogRepeatParallel).
func BenchmarkZapRepeatParallel(b *testing.B) {
	err := newError(0)
	for _, name := range []string{"json", "json+logcrumbs"} {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			core := zapJSON(zapcore.InfoLevel)
			if name == "json+logcrumbs" {
				core = zapcore.NewTee(core, zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
			}
			base := zap.New(core)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				l := base.With(zapsentry.Context(logcrumbs.NewContext(context.Background())))
				for pb.Next() {
					l.Error("charge failed", zap.Error(err), zap.String("path", path), zap.Int("status", status), zap.Duration("took", took))
				}
			})
			reportEvents(b, tr)
		})
	}
}
