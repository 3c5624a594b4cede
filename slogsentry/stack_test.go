package slogsentry_test

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// topFrame returns the innermost frame of the event's stack: the outermost
// exception's, else the thread's.
func topFrame(ev *sentry.Event) sentry.Frame {
	var st *sentry.Stacktrace
	if len(ev.Exception) > 0 {
		st = ev.Exception[len(ev.Exception)-1].Stacktrace
	}
	if st == nil && len(ev.Threads) > 0 {
		st = ev.Threads[0].Stacktrace
	}
	if st == nil || len(st.Frames) == 0 {
		return sentry.Frame{}
	}
	return st.Frames[len(st.Frames)-1]
}

// errorf is the wrapper of log/slog's package example "Wrapping output
// methods": the record's PC is its caller's.
func errorf(ctx context.Context, logger *slog.Logger, msg string, args ...any) {
	var pcs [1]uintptr
	runtime.Callers(2, pcs[:]) // skip [Callers, errorf]
	r := slog.NewRecord(time.Now(), slog.LevelError, msg, pcs[0])
	r.Add(args...)
	_ = logger.Handler().Handle(ctx, r)
}

// TestStackStartsAtRecordPC: an event's stack starts at the record's PC,
// not at a wrapper around the logger, for message and error events.
func TestStackStartsAtRecordPC(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errorf(ctx, logger, "a message event")
	errorf(ctx, logger, "an error event", "err", errors.New("no stack of its own"))
	for _, ev := range rec.WaitEvents(2, time.Second) {
		if top := topFrame(ev.Event); top.Function != "TestStackStartsAtRecordPC" {
			t.Errorf("%q: top frame %s (%s:%d), want the wrapper's caller", ev.Message, top.Function, top.Filename, top.Lineno)
		}
	}
}

// TestStackThroughLogLogger: slog.NewLogLogger (how http.Server.ErrorLog is
// given to slog) starts the stack at the caller's Print, not inside log.
func TestStackThroughLogLogger(t *testing.T) {
	rec := logcrumbstest.New(t)
	ll := slog.NewLogLogger(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}), slog.LevelError)
	ll.Print("http: TLS handshake error")
	if top := topFrame(rec.WaitEvents(1, time.Second)[0].Event); top.Function != "TestStackThroughLogLogger" {
		t.Errorf("top frame %s.%s, want the caller", top.Module, top.Function)
	}
}

// TestStackOfARecordHandledElsewhere: a record handed to the handler on
// another goroutine (an async or fan-out handler) gets its log call's frame,
// not the stack of the goroutine that handles it.
func TestStackOfARecordHandledElsewhere(t *testing.T) {
	rec := logcrumbstest.New(t)
	h := slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()})
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	r := slog.NewRecord(time.Now(), slog.LevelError, "handled elsewhere", pcs[0])
	done := make(chan struct{})
	go func() { defer close(done); _ = h.Handle(context.Background(), r) }()
	<-done
	ev := rec.WaitEvents(1, time.Second)[0]
	if top := topFrame(ev.Event); top.Function != "TestStackOfARecordHandledElsewhere" || len(ev.Threads[0].Stacktrace.Frames) != 1 {
		t.Errorf("top frame %s, %d frames; want the log call's frame alone", top.Function, len(ev.Threads[0].Stacktrace.Frames))
	}
}
