package logrussentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// TestOutputUnchangedTextFormatter: with logrus' text formatter, colors
// off, and caller reporting, the output is what it is without the hook.
func TestOutputUnchangedTextFormatter(t *testing.T) {
	write := func(hook bool) string {
		var out bytes.Buffer
		l := logrus.New()
		l.SetOutput(&out)
		l.SetLevel(logrus.TraceLevel)
		l.SetReportCaller(true)
		l.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true, DisableColors: true})
		if hook {
			l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbstest.New(t).Options()}))
		}
		log := l.WithContext(logcrumbs.NewContext(context.Background())).WithField("svc", "api")
		log.Trace("t")
		log.WithFields(logrus.Fields{"n": 1, "m": logrus.Fields{"a": "b"}, "password": "hunter2"}).Info("hello")
		log.WithError(fmt.Errorf("x: %w", errors.New("y"))).Error("failed")
		return out.String()
	}
	if without, with := write(false), write(true); without != with || !strings.Contains(with, "hunter2") {
		t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
}

// callWriter counts the Write calls it gets, as a writer that sends each
// one as a message does (log/syslog's Writer, a journald or t.Log writer).
type callWriter struct{ calls, empty int }

func (w *callWriter) Write(p []byte) (int, error) {
	w.calls++
	if len(p) == 0 {
		w.empty++
	}
	return len(p), nil
}

// TestLevelFormatterWritesNothing: the quick start's setup (level Debug,
// LevelFormatter at Info, the hook) calls the logger's Out as the bare
// logger at Info does. It does not: logrus writes what the formatter
// returns, so each Debug entry is a Write of zero bytes, which a syslog
// writer sends as an empty message.
func TestLevelFormatterWritesNothing(t *testing.T) {
	t.Skip("known limitation, documented on LevelFormatter: its filtered entries still reach Out as zero-length Writes " +
		"(logrus.Entry.write always writes what Format returns); log/syslog's Writer sends each as an empty message. " +
		"Not fixed: only a wrapper of Out can skip them, and logrus.TextFormatter chooses colors by Out being a terminal *os.File")
	run := func(hook bool) *callWriter {
		w := &callWriter{}
		l := logrus.New()
		l.SetOutput(w)
		l.SetFormatter(&logrus.JSONFormatter{DisableTimestamp: true})
		if hook {
			l.SetLevel(logrus.DebugLevel)
			l.SetFormatter(logrussentry.LevelFormatter{Formatter: &logrus.JSONFormatter{DisableTimestamp: true}, Level: logrus.InfoLevel})
			l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbstest.New(t).Options()}))
		}
		log := l.WithContext(context.Background())
		log.Debug("d")
		log.Info("i")
		log.Debug("d2")
		return w
	}
	bare, wrapped := run(false), run(true)
	if wrapped.calls != bare.calls {
		t.Errorf("Out got %d Writes (%d empty), %d without logcrumbs", wrapped.calls, wrapped.empty, bare.calls)
	}
}
