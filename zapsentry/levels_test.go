package zapsentry_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/zapsentry"
)

func TestDebugKeptWhenUserCoreFilters(t *testing.T) {
	var out bytes.Buffer
	logger, rec := newLogger(t, zapsentry.Options{}, &out)
	_, log := zapsentry.WithContext(context.Background(), logger)
	log.Debug("hidden from the log file")
	log.Error("failed")
	if strings.Contains(out.String(), "hidden") {
		t.Error("the user's Info core wrote a Debug entry")
	}
	if ev := rec.OnlyEvent(); len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Level != sentry.LevelDebug {
		t.Errorf("breadcrumbs = %+v", ev.Event.Breadcrumbs)
	}
	if l := logger.Level(); l != zapcore.DebugLevel {
		t.Errorf("logger.Level() = %v, want debug (the tee's lowest)", l)
	}
}

// TestLevelsChangeAtRunTime: levels given as zap.AtomicLevel (or any
// LevelEnabler that is not a plain Level) are read on every entry.
func TestLevelsChangeAtRunTime(t *testing.T) {
	crumbs, events := zap.NewAtomicLevelAt(zapcore.InfoLevel), zap.NewAtomicLevelAt(zapcore.ErrorLevel)
	logger, rec := newLogger(t, zapsentry.Options{BreadcrumbLevel: crumbs, EventLevel: events}, nil)
	_, log := zapsentry.WithContext(context.Background(), logger)
	log.Debug("dropped at info")
	crumbs.SetLevel(zapcore.DebugLevel)
	log.Debug("kept at debug")
	log.Warn("a breadcrumb at error")
	events.SetLevel(zapcore.WarnLevel)
	log.Warn("an event at warn")
	ev := rec.OnlyEvent()
	if ev.Message != "an event at warn" {
		t.Errorf("event %q, want the warning sent after EventLevel changed", ev.Message)
	}
	var got []string
	for _, b := range ev.Event.Breadcrumbs {
		got = append(got, b.Message)
	}
	if strings.Join(got, "|") != "kept at debug|a breadcrumb at error" {
		t.Errorf("breadcrumbs %q, want the records logged after each change", got)
	}
}

func TestLevelsAndLoggerName(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{BreadcrumbLevel: zapcore.InfoLevel, EventLevel: zapcore.WarnLevel}, nil)
	_, log := zapsentry.WithContext(context.Background(), logger.Named("billing"))
	log.Debug("dropped")
	log.Info("kept")
	log.Warn("sent")
	ev := rec.OnlyEvent()
	if ev.Message != "sent" || ev.Level != sentry.LevelWarning || ev.Logger != "billing" {
		t.Errorf("event = %q %q %q", ev.Message, ev.Level, ev.Logger)
	}
	if len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Message != "kept" || ev.Event.Breadcrumbs[0].Category != "billing" {
		t.Errorf("breadcrumbs = %+v", ev.Event.Breadcrumbs)
	}
}

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
