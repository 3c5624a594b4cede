package zerologsentry_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestTopJobErrorLoggedByCallerTextErrors: at the top of a program (a
// consumer's loop: ctx carries the hub, no unit of work), a job logs its
// error with zerolog and returns it, and the loop logs what RunJob
// returned with the same zerolog logger (.Ctx(ctx), no WithContext): one
// event, as RunJob's doc says ("to the records logged without one") and as
// slog and logrus do, with zerolog's default error marshaling (text
// errors) too: the fallback trail, which matches no other text-only error
// by text (two units' logs of one text are not one bug), matches one to
// an error a job handed back, of the job's client within its window.
func TestTopJobErrorLoggedByCallerTextErrors(t *testing.T) {
	for _, text := range []bool{false, true} {
		t.Run(map[bool]string{false: "real errors", true: "text errors"}[text], func(t *testing.T) {
			saved := zerolog.ErrorMarshalFunc
			t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
			zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
			if !text {
				zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
			}
			rec := logcrumbstest.New(t)
			logger := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()}))
			ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
			errDown := errors.New("broker down " + t.Name())
			err := logcrumbs.RunJob(ctx, "consume", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				logger.Error().Ctx(ctx).Err(errDown).Msg("consume failed")
				return errDown
			})
			logger.Error().Ctx(ctx).Err(err).Msg("message failed")
			if evs := rec.Events(); len(evs) != 1 {
				msgs := make([]string, len(evs))
				for i, ev := range evs {
					msgs[i] = ev.Message
				}
				t.Errorf("%d events %q, want the job's one", len(evs), msgs)
			}
		})
	}
}
