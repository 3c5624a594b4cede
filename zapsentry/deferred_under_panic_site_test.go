package zapsentry_test

import (
	"testing"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

//go:noinline
func cleanUpAfterPanic(log *zap.Logger) {
	defer func() { recover() }()
	defer log.Error("cleanup after a panic")
	panic("boom")
}

// TestDeferredLogUnderPanicStackStart: without AddCaller, a log call
// deferred and run by a panic: the event's stack starts at the function
// that deferred it, not in the runtime's panic.
func TestDeferredLogUnderPanicStackStart(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}))
	cleanUpAfterPanic(log)
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	ev := evs[0].Event
	if len(ev.Threads) != 1 || ev.Threads[0].Stacktrace == nil {
		t.Fatalf("event has no thread stack: %+v", ev.Threads)
	}
	st := ev.Threads[0].Stacktrace
	if top := st.Frames[len(st.Frames)-1]; top.Function != "cleanUpAfterPanic" {
		t.Errorf("stack starts at %s.%s:%d, want cleanUpAfterPanic", top.Module, top.Function, top.Lineno)
	}
}
