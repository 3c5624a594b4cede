package zapsentry_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestLevelCountsLogsLevel: Level, which zap.Logger.Level and
// zapcore.LevelOf report, is the lowest level the core is enabled for, and
// a LogsLevel below the breadcrumb and event levels enables the core there.
func TestLevelCountsLogsLevel(t *testing.T) {
	for _, logs := range []zapcore.LevelEnabler{zapcore.DebugLevel, zap.NewAtomicLevelAt(zapcore.DebugLevel)} {
		c := zapsentry.NewCore(zapsentry.Options{BreadcrumbLevel: zapcore.WarnLevel, EventLevel: zapcore.ErrorLevel, LogsLevel: logs})
		if !c.Enabled(zapcore.DebugLevel) {
			t.Fatalf("logs %v: Enabled(debug) = false", logs)
		}
		if l := zapcore.LevelOf(c); l != zapcore.DebugLevel {
			t.Errorf("logs %v: LevelOf(core) = %v, want debug (Enabled(debug) is true)", logs, l)
		}
		if l := zap.New(zapcore.NewTee(zapcore.NewNopCore(), c)).Level(); l != zapcore.DebugLevel {
			t.Errorf("logs %v: logger.Level() = %v, want debug", logs, l)
		}
	}
	// A LogsLevel above the others changes nothing.
	c := zapsentry.NewCore(zapsentry.Options{BreadcrumbLevel: zapcore.InfoLevel, LogsLevel: zapcore.ErrorLevel})
	if l := zapcore.LevelOf(c); l != zapcore.InfoLevel {
		t.Errorf("LevelOf(core) = %v, want info", l)
	}
}

// TestLastContextFieldWins: Write binds the entry to the context of the
// last Context field among its fields, whatever SkipType fields (zap.Skip,
// zap.Error(nil)) come before, between or after, and over one bound with
// With; a nil Context unbinds.
func TestLastContextFieldWins(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}
	logger := zap.New(zapsentry.NewCore(opts))
	a, b, w := logcrumbs.NewContext(context.Background()), logcrumbs.NewContext(context.Background()), logcrumbs.NewContext(context.Background())
	withW := logger.With(zapsentry.Context(w), zap.Skip())
	calls := []struct {
		log    *zap.Logger
		msg    string
		fields []zap.Field
	}{
		{logger, "skip a skip b", []zap.Field{zap.Skip(), zapsentry.Context(a), zap.Error(nil), zapsentry.Context(b)}},
		{logger, "b skip a skip", []zap.Field{zap.String("s", "x"), zapsentry.Context(b), zap.Skip(), zapsentry.Context(a), zap.NamedError("e", nil)}},
		{withW, "with w, a", []zap.Field{zap.Skip(), zapsentry.Context(a)}},
		{withW, "with w, skip", []zap.Field{zap.Skip(), zap.Int("n", 1)}},
		//lint:ignore SA1012 a nil context is what is tested: Context(nil) unbinds
		{withW, "with w, nil", []zap.Field{zapsentry.Context(a), zapsentry.Context(nil)}},
		{logger, "a alone, first", []zap.Field{zapsentry.Context(a), zap.Int("n", 2)}},
	}
	for _, c := range calls {
		c.log.Info(c.msg, c.fields...)
	}
	trail := func(ctx context.Context) (got []string) {
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			got = append(got, b.Message)
		}
		return got
	}
	for _, tc := range []struct {
		ctx  context.Context
		want []string
	}{
		{a, []string{"b skip a skip", "with w, a", "a alone, first"}},
		{b, []string{"skip a skip b"}},
		{w, []string{"with w, skip"}},
	} {
		if got := trail(tc.ctx); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("trail = %q, want %q", got, tc.want)
		}
	}
	found := false
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		found = found || b.Message == "with w, nil"
	}
	if !found {
		t.Error("an entry whose last Context field is nil is not in the fallback trail")
	}
}
