package logcrumbstest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// msgT is a testing.TB that keeps what Fatalf says.
type msgT struct {
	testing.TB
	msg string
}

func (m *msgT) Helper() {}
func (m *msgT) Fatalf(format string, args ...any) {
	m.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func fatalOf(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

// TestFailureMessagesNameTheEvents: when OnlyEvent or WaitEvents fails, its
// message tells the events apart: each event's message quoted (two
// messages with spaces do not run together), and an event with no message
// (an error captured by hand) by its error, not as an empty string.
func TestFailureMessagesNameTheEvents(t *testing.T) {
	mt := &msgT{TB: t}
	rec := logcrumbstest.New(mt)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	l.ErrorContext(ctx, "checkout failed")
	l.ErrorContext(ctx, "payment failed")
	rec.Hub().CaptureException(errors.New("card declined"))
	const want = `3 events, want 1: ["checkout failed" "payment failed" "*errors.errorString: card declined"]`
	fatalOf(func() { rec.OnlyEvent() })
	if !strings.Contains(mt.msg, want) {
		t.Errorf("OnlyEvent failed with\n\t%s\nwant it to contain\n\t%s", mt.msg, want)
	}
	mt.msg = ""
	fatalOf(func() { rec.WaitEvents(4, time.Millisecond) })
	if want := `3 events after 1ms, want 4: ["checkout failed" "payment failed" "*errors.errorString: card declined"]`; !strings.Contains(mt.msg, want) {
		t.Errorf("WaitEvents failed with\n\t%s\nwant it to contain\n\t%s", mt.msg, want)
	}
}

// TestFailureMessageOfNoEvents: OnlyEvent of a Recorder that got nothing
// says where to look: the usual cause is code that logs through a logger,
// or a context, not wired to the Recorder.
func TestFailureMessageOfNoEvents(t *testing.T) {
	mt := &msgT{TB: t}
	rec := logcrumbstest.New(mt)
	fatalOf(func() { rec.OnlyEvent() })
	if !strings.Contains(mt.msg, "0 events, want 1") || !strings.Contains(mt.msg, "rec.Options()") {
		t.Errorf("OnlyEvent failed with %q, want it to say 0 events and how to wire the code under test to the Recorder", mt.msg)
	}
}
