package zerologsentry_test

import (
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// exitAfterWriting ends its goroutine with runtime.Goexit, its deferred
// function of the program's writing an error record to w: a callback
// (it calls logcrumbs) that the runtime calls, under the call of
// runtime.Goexit, the log call (see isSite).
//
//go:noinline
func exitAfterWriting(w io.Writer) {
	defer func() {
		w.Write([]byte(`{"level":"error","error":"disk full","message":"save failed"}` + "\n"))
	}()
	runtime.Goexit()
}

// TestDeferredCallbackUnderGoexit: the event's stack starts where its
// call site is, the frame that called runtime.Goexit, not in the deferred
// callback the runtime ran.
func TestDeferredCallbackUnderGoexit(t *testing.T) {
	rec := logcrumbstest.New(t)
	w := zerologsentry.NewWriter(nil, zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		exitAfterWriting(w)
	}()
	wg.Wait()
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1 %v", len(evs), messagesOf(rec))
	}
	ev := evs[0].Event
	var st *sentry.Stacktrace
	if len(ev.Exception) > 0 {
		st = ev.Exception[len(ev.Exception)-1].Stacktrace
	}
	if st == nil || len(st.Frames) == 0 {
		t.Fatalf("no stack: %+v", ev.Exception)
	}
	if top := st.Frames[len(st.Frames)-1]; top.Function != "exitAfterWriting" {
		t.Errorf("the stack starts at %s.%s:%d, want exitAfterWriting", top.Module, top.Function, top.Lineno)
	}
}
