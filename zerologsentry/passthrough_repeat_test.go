package zerologsentry_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestPassThroughSkippedRepeats: with Options.PassThroughLevel, the
// capture-once repeats of an error a unit sent go to Sentry Logs as its
// other later records do, also those the hook and the writer skip
// without building their record (a run of repeats from one call site,
// escalate.Escalator.SkipRepeat).
func TestPassThroughSkippedRepeats(t *testing.T) {
	defer func(f func(error) any) { zerolog.ErrorMarshalFunc = f }(zerolog.ErrorMarshalFunc)
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	for _, writer := range []bool{false, true} {
		t.Run(map[bool]string{false: "hook", true: "writer"}[writer], func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			opts.PassThroughLevel = sentry.LevelInfo
			opts.DedupeWindow = time.Minute // repeats counted: the skipping path
			ctx := rec.Context(context.Background())
			var log zerolog.Logger
			if writer {
				_, log = zerologsentry.NewWriter(io.Discard, opts).WithContext(ctx, zerolog.New(io.Discard))
			} else {
				_, log = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
			}
			err := errors.New("db down " + t.Name())
			for range 5 {
				log.Error().Err(err).Msg("poll failed") // one call site
			}
			want := "poll failed|poll failed|poll failed|poll failed"
			var got []string
			for _, l := range rec.Logs() {
				got = append(got, l.Body)
			}
			if strings.Join(got, "|") != want {
				t.Errorf("logs %q, want the 4 repeats after the event", got)
			}
			rec.OnlyEvent()
		})
	}
}
