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
