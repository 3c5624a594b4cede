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
