package logrussentry_test

import (
	"context"
	"io"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// TestConformance runs the shared suite: what a user of logrussentry can
// observe, asserted as for every integration.
func TestConformance(t *testing.T) {
	conformance.Run(t, logrusDriver)
	conformance.RunE2E(t, logrusDriver)
}

// TestConformanceAllocs: keeping a breadcrumb adds no allocation.
func TestConformanceAllocs(t *testing.T) { conformance.RunAllocs(t, logrusDriver) }

var logrusDriver = conformance.Driver{Name: "logrus", Category: "logrus", New: newLogrus,
	// logrus copies its hook list for each entry it fires hooks for: one
	// allocation of its own, for any hook (see TestBreadcrumbAllocatesNothing).
	HookAllocs: 1, Stops: logrusStops}

// logrusStops logs with Panic, with Log(PanicLevel) (logrus does not panic
// after it) or with Fatal and the suite's exit as the logger's ExitFunc
// for that record.
func logrusStops(l conformance.Logger, stop conformance.Stop, exit func(), msg string, fields ...conformance.Field) {
	e := l.(logrusLogger).e.WithFields(logrusFields(fields))
	switch stop {
	case conformance.Panic:
		e.Panic(msg)
	case conformance.NoPanic:
		e.Log(logrus.PanicLevel, msg)
	case conformance.Fatal:
		saved := e.Logger.ExitFunc
		defer func() { e.Logger.ExitFunc = saved }()
		e.Logger.ExitFunc = func(int) { exit() }
		e.Fatal(msg)
	}
}

// newLogrus adds the hook to a logger with a JSON formatter without
// timestamps, as the README's quick start does; with FilterDebug, the
// logger admits Debug entries and LevelFormatter keeps them out of the
// output, as the README advises, while the bare logger's level is Info.
func newLogrus(t *testing.T, c conformance.Config) conformance.Logger {
	if c.WrapTwice {
		t.Skip("a logger given two logcrumbs hooks keeps each entry twice (NewHook's godoc: add one): " +
			"logrus tells a hook nothing of the others, and looking them up in entry.Logger.Hooks " +
			"would race with AddHook, cost a map look-up every entry, and could not tell the same hook " +
			"added twice from once")
	}
	l := logrus.New()
	l.SetLevel(logrus.DebugLevel)
	l.SetOutput(io.Discard)
	var f logrus.Formatter = &logrus.JSONFormatter{DisableTimestamp: true}
	if c.Out != nil {
		l.SetOutput(c.Out)
	} else { // the hook stand-alone: the logger formats nothing
		f = noOutput{}
	}
	switch {
	case c.FilterDebug && c.Bare:
		l.SetLevel(logrus.InfoLevel)
	case c.FilterDebug:
		f = logrussentry.LevelFormatter{Formatter: f, Level: logrus.InfoLevel}
	}
	l.SetFormatter(f)
	if !c.Bare {
		opts := logrussentry.Options{Options: c.Options}
		if c.Logs {
			opts.LogsLevel = logrusLevels[c.LogsLevel]
		}
		l.AddHook(logrussentry.NewHook(opts))
	}
	return logrusLogger{logrus.NewEntry(l)}
}

// noOutput is a formatter that writes nothing: logrus with the hook alone.
type noOutput struct{}

func (noOutput) Format(*logrus.Entry) ([]byte, error) { return nil, nil }

type logrusLogger struct{ e *logrus.Entry }

func (l logrusLogger) Bind(ctx context.Context) conformance.Logger {
	return logrusLogger{l.e.WithContext(ctx)}
}

func (l logrusLogger) With(fields ...conformance.Field) conformance.Logger {
	return logrusLogger{l.e.WithFields(logrusFields(fields))}
}

var logrusLevels = [...]logrus.Level{logrus.DebugLevel, logrus.InfoLevel, logrus.WarnLevel, logrus.ErrorLevel}

func (l logrusLogger) Log(level conformance.Level, msg string, fields ...conformance.Field) {
	l.e.WithFields(logrusFields(fields)).Log(logrusLevels[level], msg)
}

// logrusFields is fields as logrus has them: one map, values as they are,
// groups as nested logrus.Fields (which logrus' JSON formatter nests).
func logrusFields(fields []conformance.Field) logrus.Fields {
	m := make(logrus.Fields, len(fields))
	for _, f := range fields {
		if g, ok := f.Value.(conformance.Group); ok {
			m[f.Key] = logrusFields(g)
			continue
		}
		m[f.Key] = f.Value
	}
	return m
}
