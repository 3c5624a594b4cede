package zapsentry_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestConformance runs the shared suite: what a user of zapsentry can
// observe, asserted as for every integration.
func TestConformance(t *testing.T) {
	conformance.Run(t, zapDriver)
	conformance.RunE2E(t, zapDriver)
}

// TestConformanceAllocs: keeping a breadcrumb adds no allocation.
func TestConformanceAllocs(t *testing.T) { conformance.RunAllocs(t, zapDriver) }

var zapDriver = conformance.Driver{Name: "zap", Category: "zap", New: newZap, Stops: zapStops}

// zapStops logs at Panic, at DPanic (the driver's logger is a production
// one: it does not panic) or at Fatal with the suite's exit as its hook.
func zapStops(l conformance.Logger, stop conformance.Stop, exit func(), msg string, fields ...conformance.Field) {
	z := l.(zapLogger).l
	switch stop {
	case conformance.Panic:
		z.Panic(msg, zapFields(nil, fields)...)
	case conformance.NoPanic:
		z.DPanic(msg, zapFields(nil, fields)...)
	case conformance.Fatal:
		z.WithOptions(zap.WithFatalHook(exitHook(exit))).Fatal(msg, zapFields(nil, fields)...)
	}
}

// exitHook is a fatal hook that calls its func (zap takes the hook
// zapcore.WriteThenNoop for WriteThenFatal, but not this).
type exitHook func()

func (h exitHook) OnWrite(*zapcore.CheckedEntry, []zapcore.Field) { h() }

// newZap tees the logcrumbs core beside a JSON core without timestamps, as
// the README's quick start does.
func newZap(_ *testing.T, c conformance.Config) conformance.Logger {
	level := zapcore.DebugLevel
	if c.FilterDebug {
		level = zapcore.InfoLevel
	}
	var cores []zapcore.Core
	if c.Out != nil {
		cfg := zap.NewProductionEncoderConfig()
		cfg.TimeKey = ""
		cores = append(cores, zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.AddSync(c.Out), level))
	}
	if !c.Bare {
		opts := zapsentry.Options{Options: c.Options}
		if c.Logs {
			opts.LogsLevel = zapLevels[c.LogsLevel]
		}
		cores = append(cores, zapsentry.NewCore(opts))
	}
	l := zap.New(zapcore.NewTee(cores...))
	if c.WrapTwice { // a constructor returns the logger with Wrap applied, and main applies it again
		opts := zapsentry.Options{Options: c.Options}
		if c.Logs {
			opts.LogsLevel = zapLevels[c.LogsLevel]
		}
		l = l.WithOptions(zapsentry.Wrap(opts))
	}
	return zapLogger{l}
}

type zapLogger struct{ l *zap.Logger }

func (z zapLogger) Bind(ctx context.Context) conformance.Logger {
	_, l := zapsentry.WithContext(ctx, z.l)
	return zapLogger{l}
}

func (z zapLogger) With(fields ...conformance.Field) conformance.Logger {
	return zapLogger{z.l.With(zapFields(nil, fields)...)}
}

var zapLevels = [...]zapcore.Level{zapcore.DebugLevel, zapcore.InfoLevel, zapcore.WarnLevel, zapcore.ErrorLevel}

func (z zapLogger) Log(level conformance.Level, msg string, fields ...conformance.Field) {
	var buf [8]zap.Field
	z.l.Log(zapLevels[level], msg, zapFields(buf[:0], fields)...)
}

func zapFields(to []zap.Field, fields []conformance.Field) []zap.Field {
	for _, f := range fields {
		var z zap.Field
		switch v := f.Value.(type) {
		case string:
			z = zap.String(f.Key, v)
		case int:
			z = zap.Int(f.Key, v)
		case bool:
			z = zap.Bool(f.Key, v)
		case float64:
			z = zap.Float64(f.Key, v)
		case time.Duration:
			z = zap.Duration(f.Key, v)
		case time.Time:
			z = zap.Time(f.Key, v)
		case error:
			z = zap.NamedError(f.Key, v)
		case fmt.Stringer:
			z = zap.Stringer(f.Key, v)
		case conformance.Group:
			z = zap.Dict(f.Key, zapFields(nil, v)...)
		default:
			z = zap.Any(f.Key, v)
		}
		to = append(to, z)
	}
	return to
}
