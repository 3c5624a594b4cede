package zapsentry_test

import (
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

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
