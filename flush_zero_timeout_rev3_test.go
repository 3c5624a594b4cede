package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestFlushZeroTimeoutNothingHeldBack: Flush(0) (and a negative timeout)
// with no summary held back has nothing to hand over: its answer is the
// clients' flush, true with a transport that drains at once, as it was
// before Flush handed the summaries over in a goroutine of its own. It
// must not be false because its timer fired before that goroutine, with
// nothing to do, had run (one processor makes that every time).
func TestFlushZeroTimeoutNothingHeldBack(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: time.Minute}}))
	logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
	if !logcrumbs.Flush(time.Second) {
		t.Fatal("Flush(1s) = false, want true")
	}
	falses := 0
	for i := range 100 {
		timeout := time.Duration(0)
		if i%2 == 1 {
			timeout = -time.Second
		}
		if !logcrumbs.Flush(timeout) {
			falses++
		}
	}
	if falses > 0 {
		t.Errorf("Flush(0) or Flush(-1s) with nothing held back: %d of 100 false, want every one true", falses)
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}
