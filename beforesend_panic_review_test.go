package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestRepeatOfAnEventBeforeSendPanickedOnNamesNoEvent: an event whose
// BeforeSend panicked was not sent, as one BeforeSend dropped (returned
// nil) was not: a repeat of it within Options.DedupeWindow, in another
// unit of work, names no event (LastEventID empty, so EventIDHeader sets
// no header), as the repeat of a dropped event does, rather than the ID
// of an event Sentry never got.
func TestRepeatOfAnEventBeforeSendPanickedOnNamesNoEvent(t *testing.T) {
	for _, mode := range []string{"returns nil", "panics"} {
		t.Run(mode, func(t *testing.T) {
			var calls atomic.Int32
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					if calls.Add(1) > 1 {
						return ev
					}
					if mode == "panics" {
						panic("BeforeSend bug")
					}
					return nil
				}
			})
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
			var ids []sentry.EventID
			for range 2 {
				ctx := rec.Context(context.Background())
				logger.ErrorContext(ctx, "charge failed", "err", errors.New("card declined"))
				ids = append(ids, logcrumbs.LastEventID(ctx))
			}
			if len(rec.Events()) != 0 {
				t.Fatalf("%d events, want none (the first dropped, the second its repeat)", len(rec.Events()))
			}
			if ids[0] != "" || ids[1] != "" {
				t.Errorf("LastEventID of the dropped event's unit %q, of its repeat's %q; want both empty: no event was sent", ids[0], ids[1])
			}
		})
	}
}
