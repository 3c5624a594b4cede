package zapsentry_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// redacting is a core of the program's around zapsentry's, as services
// wrap cores to drop secrets: every record passes through its Write.
type redacting struct{ zapcore.Core }

func (r redacting) With(fs []zapcore.Field) zapcore.Core { return redacting{r.Core.With(fs)} }
func (r redacting) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if r.Enabled(e.Level) {
		return ce.AddCore(e, r)
	}
	return ce
}
func (r redacting) Write(e zapcore.Entry, fs []zapcore.Field) error { return r.Core.Write(e, fs) }

// TestCoreBehindAProgramsCore: without AddCaller, a core of the
// program's around zapsentry's is not the call site of every record: two
// errors logged at two places are two events.
func TestCoreBehindAProgramsCore(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := zap.New(redacting{zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})})
	log.Error("save failed", zap.Error(errors.New("disk full")))
	log.Error("fetch failed", zap.Error(errors.New("connection refused")))
	if n := len(rec.Events()); n != 2 {
		t.Errorf("two errors logged at two places: %d events", n)
	}
	conformance.StacksStartAt(t, rec, "TestCoreBehindAProgramsCore")
}

// TestCoreBehindAProgramsCoreAndATee: without AddCaller, a core of the
// program's around a tee of a JSON core and zapsentry's (the console and
// Sentry): the program's core calls a logger's function (the tee's
// Write), but a logger called it: a callback, not the log call. Two
// errors logged at two places are two events, each with its stack
// starting at its log call.
func TestCoreBehindAProgramsCoreAndATee(t *testing.T) {
	rec := logcrumbstest.New(t)
	var out bytes.Buffer
	json := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&out), zapcore.DebugLevel)
	sentryCore := zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})
	log := zap.New(redacting{zapcore.NewTee(json, sentryCore)})
	log.Error("save failed", zap.Error(errors.New("disk full")))
	log.Error("fetch failed", zap.Error(errors.New("connection refused")))
	if n := len(rec.Events()); n != 2 {
		t.Errorf("two errors logged at two places: %d events", n)
	}
	conformance.StacksStartAt(t, rec, "TestCoreBehindAProgramsCoreAndATee")
	if n := strings.Count(out.String(), "\n"); n != 2 {
		t.Errorf("the JSON core wrote %d lines, want 2", n)
	}
}
