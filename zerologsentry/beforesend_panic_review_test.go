package zerologsentry_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// An error event whose capture panics (the user's BeforeSend, recovered
// by logcrumbs) is not sent, yet capture-once kept the error under its
// ID: the repeats after it named an event that never existed in their
// breadcrumbs (sentry.event_id), and logcrumbs.LastEventID returned it,
// as if it had been sent. A BeforeSend that drops the event (nil) names
// none; a panicking one must not either. Both paths (a skipped repeat and
// the full one) are held to it.
func TestPanickedEventNotNamedByRepeats(t *testing.T) {
	for _, skip := range []bool{true, false} {
		func() {
			defer core.SetSkipRepeats(true)
			core.SetSkipRepeats(skip)
			calls := 0
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					if ev.Type == "" && ev.Tags["logcrumbs.summary"] == "" {
						calls++
						if calls == 1 {
							panic("BeforeSend bug")
						}
					}
					return ev
				}
			})
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			ctx, l := zerologsentry.WithContext(rec.Context(context.Background()),
				zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts})))
			err := errors.New("card declined")
			for range 4 {
				skipLogAt1(l.Error().Err(err), "charge failed")
			}
			if id := logcrumbs.LastEventID(ctx); id != "" {
				t.Errorf("skip %v: LastEventID = %q, an event never sent", skip, id)
			}
			for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if id, ok := b.Data["sentry.event_id"]; ok {
					t.Errorf("skip %v: a breadcrumb names event %v, never sent", skip, id)
				}
			}
			if n := len(rec.Events()); n != 0 {
				t.Errorf("skip %v: %d events sent, want 0", skip, n)
			}
		}()
	}
}
