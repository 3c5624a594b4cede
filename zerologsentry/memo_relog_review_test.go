package zerologsentry_test

import (
	"context"
	"io"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

type relogErr struct{ s string }

func (e *relogErr) Error() string { return e.s }

// TestScanMemoRelogsAnEventsError: a program that logs, with
// ErrorMarshalFunc, the error logcrumbs handed it (BeforeSend's
// OriginalException, a text-only error of the field "error") puts that
// error in the table of remembered errors; an error of its own with the
// same text, logged afterwards (here by another request, whose trail has
// skipped a repeat), is its text's newest value, and its event carries it:
// not the text-only error an earlier scan of the same fields found.
func TestScanMemoRelogsAnEventsError(t *testing.T) {
	for _, writer := range []bool{false, true} {
		t.Run(map[bool]string{false: "hook", true: "writer"}[writer], func(t *testing.T) {
			defer func(f func(error) any) { zerolog.ErrorMarshalFunc = f }(zerolog.ErrorMarshalFunc)
			zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(nil)
			text := "memo relog review " + map[bool]string{false: "hook", true: "writer"}[writer]
			var orig error
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
					if orig == nil {
						orig = hint.OriginalException
					}
					return ev
				}
			})
			opts := zerologsentry.Options{Options: rec.Options()}
			var base zerolog.Logger
			var bind func(ctx context.Context) zerolog.Logger
			if writer {
				w := zerologsentry.NewWriter(io.Discard, opts)
				base = zerolog.New(w)
				bind = func(ctx context.Context) zerolog.Logger { _, l := w.WithContext(ctx, base); return l }
			} else {
				base = zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts))
				bind = func(ctx context.Context) zerolog.Logger { _, l := zerologsentry.WithContext(ctx, base); return l }
			}
			a := bind(rec.Context(context.Background())) // one request
			a.Error().Str("error", text).Msg("failed")   // an event: a text-only error
			if orig == nil {
				t.Fatal("no OriginalException")
			}
			a.Warn().Err(orig).Msg("reported") // remembered by its text
			for range 3 {
				a.Error().Str("error", text).Msg("failed") // repeats: skipped
			}
			b := bind(rec.Context(context.Background())) // another request
			for range 2 {
				b.Error().Str("error", "memo relog other").Msg("other") // an event, then a skipped repeat
			}
			b.Error().Err(&relogErr{text}).Msg("failed") // the program's own error: this request's first
			events := rec.Events()
			if len(events) != 3 {
				t.Fatalf("%d events, want 3", len(events))
			}
			if ex := events[2].Exceptions(); len(ex) == 0 || ex[0].Type != "*zerologsentry_test.relogErr" {
				t.Errorf("the last event's exceptions %+v, want the program's *relogErr", ex)
			}
		})
	}
}
