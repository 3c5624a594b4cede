package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestBeforeSendAppendsToEveryException: a BeforeSend that appends a frame
// to every exception's stack (making one where there is none), appends an
// exception, and changes each exception's mechanism changes that exception
// only: an event's chain of 1 to 5 exceptions (up to 4 share one
// allocation, see event.chainStorage) keeps no piece of one exception's
// in another's storage.
func TestBeforeSendAppendsToEveryException(t *testing.T) {
	const added = "beforesend.added"
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			for i := range ev.Exception {
				ex := &ev.Exception[i]
				if ex.Stacktrace == nil {
					ex.Stacktrace = &sentry.Stacktrace{}
				}
				for j := range 3 {
					ex.Stacktrace.Frames = append(ex.Stacktrace.Frames, sentry.Frame{Function: fmt.Sprintf("%s.%d.%d", added, i, j)})
				}
				if ex.Mechanism != nil {
					ex.Mechanism.Type = fmt.Sprintf("%s.%d", added, i)
					ex.Mechanism.Data = map[string]any{"i": i}
				}
			}
			ev.Exception = append(ev.Exception, sentry.Exception{Type: added, Value: "appended"})
			return ev
		}
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	err := errors.New("connection refused")
	for n := 1; n <= 5; n++ {
		rec.Reset()
		logger.ErrorContext(rec.Context(context.Background()), "query failed", "err", err)
		ev := rec.OnlyEvent()
		if len(ev.Exception) != n+1 || ev.Exception[n].Type != added {
			t.Fatalf("%d exceptions: the event has %d, want %d and the one appended", n, len(ev.Exception), n+1)
		}
		for i, ex := range ev.Exception[:n] {
			var own []string
			for _, f := range ex.Stacktrace.Frames {
				if strings.HasPrefix(f.Function, added) {
					own = append(own, f.Function)
				}
			}
			want := []string{fmt.Sprintf("%s.%d.0", added, i), fmt.Sprintf("%s.%d.1", added, i), fmt.Sprintf("%s.%d.2", added, i)}
			if fmt.Sprint(own) != fmt.Sprint(want) {
				t.Errorf("%d exceptions: exception %d's frames added %v, want %v", n, i, own, want)
			}
			if last := ex.Stacktrace.Frames[len(ex.Stacktrace.Frames)-3:]; last[0].Function != want[0] {
				t.Errorf("%d exceptions: exception %d's added frames are not its last: %v", n, i, last)
			}
			if i == n-1 && len(ex.Stacktrace.Frames) == 3 {
				t.Errorf("%d exceptions: the outermost exception lost its stack", n)
			}
			if i < n-1 && len(ex.Stacktrace.Frames) != 3 {
				t.Errorf("%d exceptions: exception %d has %d frames, want only the 3 added", n, i, len(ex.Stacktrace.Frames))
			}
			if n > 1 {
				if m := ex.Mechanism; m == nil || m.Type != fmt.Sprintf("%s.%d", added, i) || m.Data["i"] != i || m.ExceptionID != n-1-i {
					t.Errorf("%d exceptions: exception %d's mechanism %+v", n, i, m)
				} else if (i == n-1) != (m.ParentID == nil) || (m.ParentID != nil && *m.ParentID != n-2-i) { // innermost first
					t.Errorf("%d exceptions: exception %d's parent %v", n, i, m.ParentID)
				}
			}
		}
		err = fmt.Errorf("layer %d: %w", n, err)
	}
}
