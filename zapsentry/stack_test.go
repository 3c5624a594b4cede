package zapsentry_test

import (
	"bytes"
	"errors"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestAddStacktrace: the stack zap attaches to an error entry does not
// replace the error's own or the caller's.
func TestAddStacktrace(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := zap.New(userCore(new(bytes.Buffer)), zap.AddStacktrace(zapcore.ErrorLevel)).
		WithOptions(zapsentry.Wrap(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	logger.Error("failed", zap.Error(errors.New("boom")))
	ev := rec.OnlyEvent()
	if len(ev.Exception) != 1 || ev.Exception[0].Value != "boom" {
		t.Fatalf("exception = %+v", ev.Exception)
	}
	frames := ev.Exception[0].Stacktrace.Frames
	if top := frames[len(frames)-1]; top.Function != "TestAddStacktrace" {
		t.Errorf("top frame = %s.%s", top.Module, top.Function)
	}
	if _, ok := ev.Contexts["log"]["stacktrace"]; ok {
		t.Error("zap's stack text was copied into the log context")
	}
}

// TestStacksStartAtCaller: with zap.AddCaller (and AddStacktrace), the
// event's stack starts at the caller, for the sugared logger and a named
// one too. (zap's caller PC is a call instruction's: read as a return
// address, it was taken for the inlined Sugar call.)
func TestStacksStartAtCaller(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}, nil)
	logger = logger.WithOptions(zap.AddCaller(), zap.AddStacktrace(zapcore.ErrorLevel))
	logger.Sugar().Errorw("sugar msg", "k", 1)
	logger.Sugar().Errorf("fmt %d", 2)
	logger.Named("x").With(zap.String("a", "b")).Error("plain")
	for _, ev := range rec.Events() {
		var fr []string
		if len(ev.Threads) > 0 && ev.Threads[0].Stacktrace != nil {
			for _, f := range ev.Threads[0].Stacktrace.Frames {
				fr = append(fr, f.Module+"."+f.Function)
			}
		}
		if len(fr) == 0 || fr[len(fr)-1] != "github.com/logcrumbs/logcrumbs/zapsentry_test.TestStacksStartAtCaller" {
			t.Errorf("%q: frames %v", ev.Message, fr)
		}
	}
}

// logFailure is a logging helper, as zap.AddCallerSkip documents them.
func logFailure(log *zap.Logger, msg string, err error) { log.Error(msg, zap.Error(err)) }

// TestHelperCallSitesAreNotOneEvent: errors of the same type logged through
// a helper from two call sites are two events: the call site that dedupe
// compares is zap's caller, not the helper's line.
func TestHelperCallSitesAreNotOneEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}), zap.AddCaller(), zap.AddCallerSkip(1))
	logFailure(logger, "payment declined", errors.New("card expired"))
	logFailure(logger, "cannot open config", errors.New("permission denied"))
	if n := len(rec.Events()); n != 2 {
		t.Errorf("%d events for two unrelated errors logged from two call sites, want 2", n)
	}
}

// writeFailure and writeOtherFailure write an entry as a core's caller
// that builds its own (a bridge from another logger, a test) may: a caller
// known by file and line, with no PC.
func writeFailure(c zapcore.Core) {
	ent := zapcore.Entry{Level: zapcore.ErrorLevel, Message: "payment declined",
		Caller: zapcore.EntryCaller{Defined: true, File: "bridge.go", Line: 10}}
	_ = c.Write(ent, []zapcore.Field{zap.Error(errors.New("card expired"))})
}

func writeOtherFailure(c zapcore.Core) {
	ent := zapcore.Entry{Level: zapcore.ErrorLevel, Message: "cannot open config",
		Caller: zapcore.EntryCaller{Defined: true, File: "bridge.go", Line: 20}}
	_ = c.Write(ent, []zapcore.Field{zap.Error(errors.New("permission denied"))})
}

// TestCallerWithoutPC: an entry whose caller is defined with no PC is not
// given a made-up call site (PC 0 + 1): two unrelated errors written so
// from two functions are two events, each with its stack from its writer.
func TestCallerWithoutPC(t *testing.T) {
	rec := logcrumbstest.New(t)
	c := zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})
	writeFailure(c)
	writeOtherFailure(c)
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events for two unrelated errors written from two functions, want 2", len(evs))
	}
	for i, want := range []string{"writeFailure", "writeOtherFailure"} {
		exc := evs[i].Exception
		if len(exc) != 1 || exc[0].Stacktrace == nil || len(exc[0].Stacktrace.Frames) == 0 {
			t.Errorf("%q: exception %+v, want one with a stack", evs[i].Message, exc)
			continue
		}
		frames := exc[0].Stacktrace.Frames
		if top := frames[len(frames)-1]; top.Function != want {
			t.Errorf("%q: top frame %s.%s, want %s", evs[i].Message, top.Module, top.Function, want)
		}
	}
}
