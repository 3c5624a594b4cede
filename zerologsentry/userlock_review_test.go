package zerologsentry_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// zlFieldErrs is an error of an incomparable type (a slice of field
// errors, found again by identity and its text by capture-once) whose
// Error method logs with the request's logger.
type zlFieldErrs []zlFieldErr

type zlFieldErr struct {
	field  string
	logger *zerolog.Logger
}

func (e zlFieldErrs) Error() string {
	texts := make([]string, len(e))
	for i, f := range e {
		f.logger.Info().Str("field", f.field).Msg("rendering a field error")
		texts[i] = f.field + ": invalid"
	}
	return strings.Join(texts, "; ")
}

// TestErrorThatLogsLoggedTwice: with ErrorMarshalFunc (the real error
// values reach logcrumbs), an incomparable error whose Error method logs
// to the request's logger, logged twice: the second log's capture-once
// look-up rechecked the captured error's text, its Error method, under
// the trail's lock, where its log waited for that lock forever.
func TestErrorThatLogsLoggedTwice(t *testing.T) {
	for _, writer := range []bool{false, true} {
		name := map[bool]string{false: "hook", true: "writer"}[writer]
		t.Run(name, func(t *testing.T) {
			defer func(f func(error) any) { zerolog.ErrorMarshalFunc = f }(zerolog.ErrorMarshalFunc)
			zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(nil)
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			var l zerolog.Logger
			ctx := rec.Context(context.Background())
			if writer {
				w := zerologsentry.NewWriter(io.Discard, opts)
				_, l = w.WithContext(ctx, zerolog.New(w))
			} else {
				_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
			}
			err := zlFieldErrs{{"email", &l}, {"age", &l}}
			done := make(chan struct{})
			go func() {
				defer close(done)
				l.Error().Err(err).Msg("validation failed")
				l.Error().Err(err).Msg("request failed")
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("logging the error twice did not return within 5 s: deadlocked on the trail's lock (user code ran under it)")
			}
			if evs := rec.Events(); len(evs) != 1 {
				t.Errorf("%d events, want 1 (capture once)", len(evs))
			}
		})
	}
}
