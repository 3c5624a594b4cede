package zapsentry_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// toZap is a slog.Handler of the program's that logs each record to a zap
// logger (one of zapsentry's, without AddCaller), as a program moving
// from one logger to the other may: slog calls it, so it is a callback,
// and the call site of what it logs is the slog call, not the handler.
type toZap struct{ l *zap.Logger }

func (h toZap) Enabled(context.Context, slog.Level) bool { return true }
func (h toZap) Handle(_ context.Context, r slog.Record) error {
	h.l.Error(r.Message, zap.Error(errors.New(r.Message)))
	return nil
}
func (h toZap) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h toZap) WithGroup(string) slog.Handler      { return h }

// TestSlogHandlerThatLogsToZap: errors logged at two places through slog,
// whose handler of the program's logs them to zapsentry's logger, are two
// events, each with its stack starting at its slog call (before the
// handler was told apart as a callback, both had the handler's call for
// their site: one event).
func TestSlogHandlerThatLogsToZap(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := slog.New(toZap{zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}))})
	log.Error("save failed")
	log.Error("fetch failed")
	if n := len(rec.Events()); n != 2 {
		t.Errorf("two errors logged at two places: %d events", n)
	}
	conformance.StacksStartAt(t, rec, "TestSlogHandlerThatLogsToZap")
}
