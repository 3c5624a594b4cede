package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestUnreadableWrapperBesideErrorLoggedTwice: a wrapper whose Error
// panics, logged beside the error it wraps, stands for that error once
// (TestPanickingWrapperBesideWhatItWraps); the error logged twice beside
// it reads twice, as it does without the wrapper
// (TestUnreadableBesideErrorLoggedTwice), wherever the wrapper stands.
func TestUnreadableWrapperBesideErrorLoggedTwice(t *testing.T) {
	errA := errors.New("disk full")
	exceptions := func(args ...any) string {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		logger.ErrorContext(rec.Context(context.Background()), "cleanup failed", args...)
		return fmt.Sprintf("%+v", rec.OnlyEvent().Exceptions())
	}
	want := exceptions("err", errA, "again", errA)
	for _, c := range []struct {
		name string
		args []any
	}{
		{"WrapperFirst", []any{"w", &badTextWrapper{errA}, "err", errA, "again", errA}},
		{"WrapperBetween", []any{"err", errA, "w", &badTextWrapper{errA}, "again", errA}},
		{"WrapperLast", []any{"err", errA, "again", errA, "w", &badTextWrapper{errA}}},
		{"JoinFirst", []any{"j", errors.Join(errA, rev5BadText{}), "err", errA, "again", errA}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := exceptions(c.args...); got != want {
				t.Errorf("exceptions %s, want %s (the error logged twice, as without the wrapper)", got, want)
			}
		})
	}
}

// TestUnreadableBesideCounts: a record with values that cannot be read
// (rev5BadText, a wrapper or join of an error whose own text panics) has
// the event of the record without them, where an unreadable wrapper or
// join of an error logged beside it stands for it once: the error logged
// twice alone reads twice, once (or only as a member) reads once.
func TestUnreadableBesideCounts(t *testing.T) {
	errA := errors.New("disk full")
	exceptions := func(args ...any) string {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		logger.ErrorContext(rec.Context(context.Background()), "cleanup failed", args...)
		return fmt.Sprintf("%+v", rec.OnlyEvent().Exceptions())
	}
	once, twice := exceptions("err", errA), exceptions("err", errA, "again", errA)
	bad := rev5BadText{}
	for _, c := range []struct {
		name string
		args []any
		want string
	}{
		{"TwiceBesideBad", []any{"a", errA, "b", errA, "bad", bad}, twice},
		{"BeforeJoin", []any{"a", errA, "j", errors.Join(errA, bad)}, once},
		{"AfterJoin", []any{"j", errors.Join(errA, bad), "a", errA}, once},
		{"AfterWrapper", []any{"w", &badTextWrapper{errA}, "a", errA}, once},
		{"AroundWrapper", []any{"a", errA, "w", &badTextWrapper{errA}, "b", errA}, twice},
		{"BeforeNestedJoin", []any{"a", errA, "j", errors.Join(errors.Join(errA, bad), bad)}, once},
		{"TwiceAfterNested", []any{"j", errors.Join(&badTextWrapper{errA}, bad), "a", errA, "b", errA}, twice},
		{"TwoWrappersThenTwice", []any{"w", &badTextWrapper{errA}, "v", &badTextWrapper{errA}, "a", errA, "b", errA}, twice},
		{"TwoWrappersOnly", []any{"w", &badTextWrapper{errA}, "v", &badTextWrapper{errA}}, once},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := exceptions(c.args...); got != c.want {
				t.Errorf("exceptions %s, want %s", got, c.want)
			}
		})
	}
}
