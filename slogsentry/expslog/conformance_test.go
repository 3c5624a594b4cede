package expslog_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

// TestConformance runs the shared suite: what a user of expslog can
// observe, asserted as for every integration.
func TestConformance(t *testing.T) {
	conformance.Run(t, expDriver)
	conformance.RunE2E(t, expDriver)
}

// TestConformanceAllocs: keeping a breadcrumb adds no allocation.
func TestConformanceAllocs(t *testing.T) { conformance.RunAllocs(t, expDriver) }

var expDriver = conformance.Driver{Name: "x/exp/slog", Category: "slog", New: newExp}

func newExp(_ *testing.T, c conformance.Config) conformance.Logger {
	level := xslog.LevelDebug
	if c.FilterDebug {
		level = xslog.LevelInfo
	}
	var next xslog.Handler
	if c.Out != nil {
		next = xslog.NewJSONHandler(c.Out, &xslog.HandlerOptions{Level: level, ReplaceAttr: noTime})
	}
	switch {
	case c.Bare && next == nil:
		return expLogger{l: xslog.New(xslog.NewJSONHandler(io.Discard, nil))}
	case c.Bare:
		return expLogger{l: xslog.New(next)}
	}
	opts := slogsentry.Options{Options: c.Options}
	if c.Logs { // log/slog's levels: x/exp's have the same numbers
		opts.LogsLevel = slog.Level(expLevels[c.LogsLevel])
	}
	h := expslog.NewHandler(next, opts)
	if c.WrapTwice { // as xslog.Default().Handler() after xslog.SetDefault(xslog.New(h))
		h = expslog.NewHandler(h, opts)
	}
	return expLogger{l: xslog.New(h)}
}

type expLogger struct {
	l   *xslog.Logger
	ctx context.Context
}

func (s expLogger) Bind(ctx context.Context) conformance.Logger { s.ctx = ctx; return s }

func (s expLogger) With(fields ...conformance.Field) conformance.Logger {
	s.l = xslog.New(s.l.Handler().WithAttrs(expAttrs(nil, fields)))
	return s
}

var expLevels = [...]xslog.Level{xslog.LevelDebug, xslog.LevelInfo, xslog.LevelWarn, xslog.LevelError}

func (s expLogger) Log(level conformance.Level, msg string, fields ...conformance.Field) {
	ctx := s.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var buf [8]xslog.Attr
	s.l.LogAttrs(ctx, expLevels[level], msg, expAttrs(buf[:0], fields)...)
}

func expAttrs(to []xslog.Attr, fields []conformance.Field) []xslog.Attr {
	for _, f := range fields {
		var a xslog.Attr
		switch v := f.Value.(type) {
		case string:
			a = xslog.String(f.Key, v)
		case int:
			a = xslog.Int(f.Key, v)
		case bool:
			a = xslog.Bool(f.Key, v)
		case float64:
			a = xslog.Float64(f.Key, v)
		case time.Duration:
			a = xslog.Duration(f.Key, v)
		case time.Time:
			a = xslog.Time(f.Key, v)
		case conformance.Group:
			a = xslog.Attr{Key: f.Key, Value: xslog.GroupValue(expAttrs(nil, v)...)}
		default: // errors, Stringers, anything else
			a = xslog.Any(f.Key, v)
		}
		to = append(to, a)
	}
	return to
}
