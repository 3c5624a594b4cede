package slogsentry_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

type unwrapPanics struct{}

func (unwrapPanics) Error() string { return "quota exceeded" }
func (unwrapPanics) Unwrap() error { panic("Unwrap exploded") }

type causePanics struct{}

func (causePanics) Error() string { return "upstream refused" }
func (causePanics) Cause() error  { panic("Cause exploded") }

type unwrapManyPanics struct{}

func (unwrapManyPanics) Error() string   { return "batch failed" }
func (unwrapManyPanics) Unwrap() []error { panic("Unwrap exploded") }

// TestUnwrapPanicKeepsTheReadableChain: an error whose Unwrap (or Cause)
// panics, but whose Error reads, is an event with the chain as far as it
// can be read, every text in it, as capture-once reads it (its chain ends
// at that error); on a3782d4 the whole chain was one exception that says
// reading the error panicked, the wrapper's and the error's texts gone.
func TestUnwrapPanicKeepsTheReadableChain(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want []string // outermost last, as Sentry orders them
	}{
		{fmt.Errorf("charge card: %w", unwrapPanics{}), []string{"quota exceeded", "charge card: quota exceeded"}},
		{fmt.Errorf("sync: %w", causePanics{}), []string{"upstream refused", "sync: upstream refused"}},
		{fmt.Errorf("import: %w", unwrapManyPanics{}), []string{"batch failed", "import: batch failed"}},
	} {
		t.Run(tc.want[0], func(t *testing.T) {
			logger, rec := newLogger(t, nil, slogsentry.Options{})
			logger.ErrorContext(logcrumbs.NewContext(context.Background()), "failed", "err", tc.err)
			ex := rec.OnlyEvent().Exception
			var got []string
			for _, e := range ex {
				got = append(got, e.Value)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("exception values %q, want %q", got, tc.want)
			}
			if n := len(ex); n > 0 && ex[n-1].Stacktrace == nil {
				t.Errorf("the outermost exception has no stack trace")
			}
		})
	}
}
