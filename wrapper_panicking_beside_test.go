package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// badTextWrapper wraps an error and panics when its own text is read.
type badTextWrapper struct{ err error }

func (w *badTextWrapper) Error() string { panic("badTextWrapper.Error") }
func (w *badTextWrapper) Unwrap() error { return w.err }

// TestPanickingWrapperBesideWhatItWraps: a wrapper whose Error panics,
// logged beside the error it wraps, in either order, is the event of that
// error alone, as it was before wrappers were opened (readableMembers): not
// a group of the error twice ("disk full\ndisk full").
func TestPanickingWrapperBesideWhatItWraps(t *testing.T) {
	errDisk := errors.New("disk full")
	for _, c := range []struct {
		name string
		args []any
	}{
		{"WrapperFirst", []any{"err", &badTextWrapper{errDisk}, "cause", errDisk}},
		{"WrapperLast", []any{"cause", errDisk, "err", &badTextWrapper{errDisk}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			logger.ErrorContext(rec.Context(context.Background()), "cleanup failed", c.args...)
			exs := rec.OnlyEvent().Exceptions()
			if len(exs) != 1 || exs[0].Value != "disk full" {
				t.Errorf("exceptions %+v, want disk full's alone", exs)
			}
		})
	}
}
