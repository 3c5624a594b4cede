package zapsentry

import (
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/core"
)

// TestLevelsShortcuts: the core's Enabled and Check answer what levels.Decide
// answers, for every combination of fixed, dynamic and Logs levels, the
// breadcrumb level above the event level included, at every level (custom
// ones beyond zap's too). internal/core's TestLevelsEnabledAndDecide holds
// Decide to the levels' meaning.
func TestLevelsShortcuts(t *testing.T) {
	var levels []zapcore.LevelEnabler
	for l := zapcore.DebugLevel - 2; l <= zapcore.FatalLevel+2; l++ {
		levels = append(levels, l)
	}
	levels = append(levels, zap.NewAtomicLevelAt(zapcore.WarnLevel))
	logsLevels := []zapcore.LevelEnabler{nil, zapcore.InfoLevel, zapcore.FatalLevel, zap.NewAtomicLevelAt(zapcore.DebugLevel)}
	for _, b := range levels {
		for _, e := range levels {
			for _, logs := range logsLevels {
				c := NewCore(Options{BreadcrumbLevel: b, EventLevel: e, LogsLevel: logs}).(*sentryCore)
				for l := zapcore.Level(-128); ; l++ {
					want := c.c.levels.Decide(l)
					if got := c.Enabled(l); got != (want != core.Skip) {
						t.Fatalf("b=%v e=%v logs=%v: Enabled(%v) = %v, Decide = %v", b, e, logs, l, got, want)
					}
					// Check compares fixed levels in place of Enabled.
					if got := c.Check(zapcore.Entry{Level: l}, nil) != nil; got != (want != core.Skip) {
						t.Fatalf("b=%v e=%v logs=%v: Check(%v) added the core: %v, Decide = %v", b, e, logs, l, got, want)
					}
					if l == 127 {
						break
					}
				}
			}
		}
	}
}
