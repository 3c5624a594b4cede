package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// rawError is an error whose text holds bytes of an upstream's answer.
type rawError struct{ body string }

func (e *rawError) Error() string { return "upstream answered " + e.body }

// TestErrorOfInvalidUTF8Text: with ErrorMarshalFunc, an error whose text
// is not valid UTF-8 (zerolog writes each bad byte as U+FFFD) is found by
// the text zerolog wrote, in .Err, .AnErr and .Errs fields: the event
// carries the error itself (its type and %w chain), with either binding.
func TestErrorOfInvalidUTF8Text(t *testing.T) {
	old := zerolog.ErrorMarshalFunc
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(old)
	defer func() { zerolog.ErrorMarshalFunc = old }()
	eachBinding(t, func(t *testing.T, writer bool) {
		rec := logcrumbstest.New(t)
		log := boundLogger(logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(10)),
			zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}}, writer)
		body := "\x1f\x8b\x08\xff in " + t.Name()
		log.Error().Err(fmt.Errorf("fetch: %w", &rawError{body})).Msg("err field")
		log.Error().AnErr("cause", &rawError{body + " (anerr)"}).Msg("anerr field")
		log.Error().Errs("errs", []error{&rawError{body + " (errs)"}, errors.New("other in " + t.Name())}).Msg("errs field")
		evs := rec.Events()
		if len(evs) != 3 {
			t.Fatalf("%d events: %v", len(evs), messagesOf(rec))
		}
		for _, ev := range evs {
			found := false
			for _, ex := range ev.Exceptions() {
				found = found || ex.Type == "*zerologsentry_test.rawError"
			}
			if !found {
				t.Errorf("%q: exceptions %v, want the *rawError", ev.Message, ev.Exceptions())
			}
		}
	})
}
