package slogsentry_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestConformance runs the shared suite: what a user of slogsentry can
// observe, asserted as for every integration.
func TestConformance(t *testing.T) {
	conformance.Run(t, slogDriver)
	conformance.RunE2E(t, slogDriver)
}

// TestConformanceAllocs: keeping a breadcrumb adds no allocation.
func TestConformanceAllocs(t *testing.T) { conformance.RunAllocs(t, slogDriver) }

var slogDriver = conformance.Driver{Name: "slog", Category: "slog", New: newSlog}

func newSlog(_ *testing.T, c conformance.Config) conformance.Logger {
	level := slog.LevelDebug
	if c.FilterDebug {
		level = slog.LevelInfo
	}
	var next slog.Handler
	if c.Out != nil {
		next = slog.NewJSONHandler(c.Out, &slog.HandlerOptions{Level: level, ReplaceAttr: noTime})
	}
	switch {
	case c.Bare && next == nil:
		return slogLogger{l: slog.New(slog.DiscardHandler)}
	case c.Bare:
		return slogLogger{l: slog.New(next)}
	}
	opts := slogsentry.Options{Options: c.Options}
	if c.Logs {
		opts.LogsLevel = slogLevels[c.LogsLevel]
	}
	h := slogsentry.NewHandler(next, opts)
	if c.WrapTwice { // slog.SetDefault(slog.New(h)) by one package, the README's NewHandler(slog.Default().Handler(), opts) by another
		h = slogsentry.NewHandler(h, opts)
	}
	return slogLogger{l: slog.New(h)}
}

type slogLogger struct {
	l   *slog.Logger
	ctx context.Context
}

func (s slogLogger) Bind(ctx context.Context) conformance.Logger { s.ctx = ctx; return s }

func (s slogLogger) With(fields ...conformance.Field) conformance.Logger {
	s.l = slog.New(s.l.Handler().WithAttrs(slogAttrs(nil, fields)))
	return s
}

var slogLevels = [...]slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError}

func (s slogLogger) Log(level conformance.Level, msg string, fields ...conformance.Field) {
	ctx := s.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var buf [8]slog.Attr
	s.l.LogAttrs(ctx, slogLevels[level], msg, slogAttrs(buf[:0], fields)...)
}

func slogAttrs(to []slog.Attr, fields []conformance.Field) []slog.Attr {
	for _, f := range fields {
		var a slog.Attr
		switch v := f.Value.(type) {
		case string:
			a = slog.String(f.Key, v)
		case int:
			a = slog.Int(f.Key, v)
		case bool:
			a = slog.Bool(f.Key, v)
		case float64:
			a = slog.Float64(f.Key, v)
		case time.Duration:
			a = slog.Duration(f.Key, v)
		case time.Time:
			a = slog.Time(f.Key, v)
		case conformance.Group:
			a = slog.Attr{Key: f.Key, Value: slog.GroupValue(slogAttrs(nil, v)...)}
		default: // errors, Stringers, anything else
			a = slog.Any(f.Key, v)
		}
		to = append(to, a)
	}
	return to
}
