package zerologsentry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestErrsFieldIsTheExceptionChain: with ErrorMarshalFunc, the errors of an
// .Errs field (on the call or added with With) are the event's exceptions,
// as those of .Err and .AnErr are, and as zap.Errors' are with zapsentry,
// whichever the binding; zerolog writes what it wrote without it.
func TestErrsFieldIsTheExceptionChain(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	for _, writer := range []bool{false, true} {
		for _, with := range []bool{false, true} {
			name := fmt.Sprintf("writer %v, with %v", writer, with)
			first := fmt.Errorf("charge %s: %w", name, &codedErr{402})
			second := &codedErr{len(name)*1000 + 7}
			errs := []error{first, nil, second}
			var outs [2]syncBuffer
			for i, wrapped := range []bool{false, true} {
				zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
				if wrapped {
					zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
				}
				rec := logcrumbstest.New(t)
				opts := zerologsentry.Options{Options: rec.Options()}
				ctx := rec.Context(context.Background())
				var log zerolog.Logger
				if writer {
					w := zerologsentry.NewWriter(&outs[i], opts)
					_, log = w.WithContext(ctx, zerolog.New(w))
				} else {
					_, log = zerologsentry.WithContext(ctx, zerolog.New(&outs[i]).Hook(zerologsentry.NewHook(opts)))
				}
				if with {
					l := log.With().Errs("errs", errs).Logger()
					l.Error().Msg("batch failed")
				} else {
					log.Error().Errs("errs", errs).Msg("batch failed")
				}
				if !wrapped {
					continue
				}
				var got []string
				for _, ex := range rec.OnlyEvent().Exceptions() {
					got = append(got, ex.Type+"="+ex.Value)
				}
				for _, want := range []string{"*fmt.wrapError=" + first.Error(), "*zerologsentry_test.codedErr=code 402",
					"*zerologsentry_test.codedErr=" + second.Error()} {
					if !strings.Contains(strings.Join(got, ","), want) {
						t.Errorf("%s: exceptions %q, want %s among them", name, got, want)
					}
				}
			}
			if outs[0].String() != outs[1].String() {
				t.Errorf("%s: output changed:\n%s%s", name, outs[0].String(), outs[1].String())
			}
		}
	}
}

// TestErrsOfAnErrorLoggedBeforeIsOneEvent: an error logged with .Err at one
// layer and in an .Errs field at the next is one event, as it is with
// zap.Error and zap.Errors.
func TestErrsOfAnErrorLoggedBeforeIsOneEvent(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(nil)
	for _, writer := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		log := boundLogger(rec.Context(context.Background()), zerologsentry.Options{Options: rec.Options()}, writer)
		err := fmt.Errorf("save (writer %v): %w", writer, &codedErr{507})
		log.Error().Err(err).Msg("save failed")
		log.Error().Errs("errs", []error{err}).Msg("batch failed")
		if evs := rec.Events(); len(evs) != 1 {
			t.Errorf("writer %v: %d events %q, want 1", writer, len(evs), messagesOf(rec))
		}
	}
}
