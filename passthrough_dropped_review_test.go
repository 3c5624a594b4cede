package logcrumbs_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestPassThroughOnlyAfterAnEventWasSent: Options.PassThroughLevel makes a
// unit of work talkative "once it has sent an event". A unit whose only
// error event the client dropped (a BeforeSend that filters an error type,
// as Sentry's docs advise, or SampleRate) sent none: its later records are
// not sent to Sentry Logs, as Options.LogsOnEvent sends nothing for it.
func TestPassThroughOnlyAfterAnEventWasSent(t *testing.T) {
	for _, mode := range []string{"BeforeSend keeps it", "BeforeSend drops it"} {
		t.Run(mode, func(t *testing.T) {
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					if mode == "BeforeSend drops it" {
						return nil
					}
					return ev
				}
			})
			opts := rec.Options()
			opts.PassThroughLevel = sentry.LevelInfo
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
			ctx := rec.Context(context.Background())
			logger.ErrorContext(ctx, "request cancelled", "err", context.Canceled)
			logger.InfoContext(ctx, "cleaning up")
			logs, events := len(rec.Logs()), len(rec.Events())
			if want := events; logs != want {
				t.Errorf("%d Sentry Logs after an error whose event was %s (%d events), want %d", logs, map[bool]string{true: "sent", false: "dropped"}[events > 0], events, want)
			}
		})
	}
}
