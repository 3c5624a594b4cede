package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// dbError's Error dereferences its receiver: a nil *dbError in a join (a
// typed nil that errors.Join keeps, as it is not a nil interface) panics
// when the join is read.
type dbError struct{ code int }

func (e *dbError) Error() string { return fmt.Sprintf("db error %d", e.code) }

// TestJoinWithPanickingMemberWrapped: an error joined with one whose Error
// panics keeps its exception in the event, whether the join is logged as
// it is or wrapped (fmt.Errorf("cleanup: %w", join), whose text fmt made
// when it was built, reads; the join under it does not), as the same
// errors logged side by side do.
func TestJoinWithPanickingMemberWrapped(t *testing.T) {
	var typedNil *dbError
	errDisk := errors.New("disk full")
	join := errors.Join(errDisk, typedNil)
	for _, c := range []struct {
		name string
		err  error
	}{
		{"Join", join},
		{"Wrapped", fmt.Errorf("cleanup: %w", join)},
		{"WrappedTwice", fmt.Errorf("job: %w", fmt.Errorf("cleanup: %w", join))},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			logger.ErrorContext(rec.Context(context.Background()), "cleanup failed", "err", c.err)
			exs := rec.OnlyEvent().Exceptions()
			for _, ex := range exs {
				if ex.Value == "disk full" {
					return
				}
			}
			t.Errorf("exceptions %+v, want disk full's among them", exs)
		})
	}
}

// rev5BadText is an error whose Error panics.
type rev5BadText struct{}

func (rev5BadText) Error() string { panic("rev5BadText.Error") }

// TestUnreadableBesideErrorLoggedTwice: a record that logs one error
// twice, and beside it a value whose Error panics, has the event of the
// record without that value: the join of the error twice, as sentry-go
// makes it, not the error once (a wrapper that cannot be read, beside
// what it wraps, stands for that error once: wrapper_panicking_beside_test).
func TestUnreadableBesideErrorLoggedTwice(t *testing.T) {
	errA := errors.New("disk full")
	exceptions := func(args ...any) string {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		logger.ErrorContext(rec.Context(context.Background()), "cleanup failed", args...)
		return fmt.Sprintf("%+v", rec.OnlyEvent().Exceptions())
	}
	want := exceptions("err", errA, "again", errA)
	if got := exceptions("err", errA, "again", errA, "bad", rev5BadText{}); got != want {
		t.Errorf("exceptions %s, want %s (the record without the unreadable value)", got, want)
	}
}

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

// unreadableError's Error panics: an event of it says that reading it
// panicked.
type unreadableError struct{}

func (unreadableError) Error() string { panic("unreadableError.Error") }

// TestJobPanicUnreadableErrorStack: a job panics with an error that cannot
// be read. Its event says so, with the stack of the panic as an event of
// a readable panic value has it: ending at the panic, the function that
// panicked on top, not runtime.gopanic.
func TestJobPanicUnreadableErrorStack(t *testing.T) {
	rec := logcrumbstest.New(t)
	_ = logcrumbs.RunJob(rec.Context(context.Background()), "cleanup", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
		panic(unreadableError{})
	})
	exs := rec.OnlyEvent().Event.Exception
	if len(exs) == 0 || exs[len(exs)-1].Stacktrace == nil || len(exs[len(exs)-1].Stacktrace.Frames) == 0 {
		t.Fatalf("exceptions %+v, want the outermost with a stack", exs)
	}
	frames := exs[len(exs)-1].Stacktrace.Frames
	top := frames[len(frames)-1]
	if top.Module == "runtime" || top.Module != "github.com/logcrumbs/logcrumbs_test" {
		t.Errorf("the stack's top frame is %s.%s (line %d), want the function that panicked, in this test", top.Module, top.Function, top.Lineno)
	}
}

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
