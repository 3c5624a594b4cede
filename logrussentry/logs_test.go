package logrussentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// TestLogsOnEventOrderWithLogsLevel: with Options.LogsOnEvent and a
// LogsLevel that sends the event's own record too, Sentry Logs gets what
// led up to the error before the error, as with LogsOnEvent alone.
// sentry-go stamps each log when it is sent, so the order sent is the
// order the Logs view shows.
func TestLogsOnEventOrderWithLogsLevel(t *testing.T) {
	l, rec := newLogger(t, nil, func(o *logrussentry.Options) {
		o.LogsOnEvent = true
		o.LogsLevel = logrus.ErrorLevel
	})
	log := l.WithContext(rec.Context(context.Background()))
	log.Info("a")
	log.Info("b")
	log.WithError(errors.New("x")).Error("e")
	var bodies []string
	for _, lg := range rec.Logs() {
		bodies = append(bodies, lg.Body)
	}
	if got := strings.Join(bodies, ","); got != "a,b,e" {
		t.Errorf("Logs %s, want a,b,e", got)
	}
}

// TestLogsTraceLevel: logrus' Trace entries go to Sentry Logs at Sentry's
// trace level, Debug ones at debug.
func TestLogsTraceLevel(t *testing.T) {
	l, rec := newLogger(t, nil, func(o *logrussentry.Options) { o.LogsLevel = logrus.TraceLevel })
	log := l.WithContext(rec.Context(context.Background()))
	log.Trace("t")
	log.Debug("d")
	var levels []string
	for _, lg := range rec.Logs() {
		levels = append(levels, string(lg.Level))
	}
	if got := strings.Join(levels, ","); got != "trace,debug" {
		t.Errorf("logs at %s, want trace,debug", got)
	}
}
