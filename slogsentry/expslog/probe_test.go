package expslog_test

import (
	"context"
	"errors"
	"testing"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

func TestProbeStack(t *testing.T) {
	hub, tr := sentrytest.NewHub(t, nil)
	l := xslog.New(expslog.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	ctx := logcrumbs.NewContext(context.Background())
	l.ErrorContext(ctx, "msg event")
	l.ErrorContext(ctx, "err event", "err", errors.New("x"))
	for _, ev := range tr.Events() {
		if len(ev.Threads) > 0 {
			for _, f := range ev.Threads[0].Stacktrace.Frames {
				t.Logf("thread %s %s", f.Module, f.Function)
			}
		}
		for _, ex := range ev.Exception {
			if ex.Stacktrace != nil {
				for _, f := range ex.Stacktrace.Frames {
					t.Logf("exc %s %s", f.Module, f.Function)
				}
			}
		}
	}
}
