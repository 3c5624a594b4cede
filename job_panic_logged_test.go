package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobPanicLoggedByCaller: the error RunJob returns for a panic it
// recovered (JobOptions.Recover), logged by its caller as the usual
// "if err != nil { log it }" does, is the panic's event: one event for the
// one bug (capture once), whose ID the caller's LastEventID gives; the
// error wraps a panic value that is an error.
func TestJobPanicLoggedByCaller(t *testing.T) {
	bad := errors.New("bad input")
	for _, p := range []any{"boom", bad} {
		rec := logcrumbstest.New(t)
		log := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		err := logcrumbs.RunJob(ctx, "sync", logcrumbs.JobOptions{Recover: true, Options: rec.Options()},
			func(context.Context) error { panic(p) })
		if err == nil {
			t.Fatalf("%v: RunJob returned nil", p)
		}
		log.ErrorContext(ctx, "job failed", "err", err)
		log.ErrorContext(ctx, "request failed", "err", err) // and a layer above
		ev := rec.OnlyEvent()
		if got := logcrumbs.LastEventID(ctx); got != ev.EventID {
			t.Errorf("%v: LastEventID %q, want the panic's event %q", p, got, ev.EventID)
		}
		if want := `logcrumbs: job "sync" panicked: ` + (map[bool]string{true: "boom", false: "bad input"})[p == "boom"]; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
		if e, ok := p.(error); ok && !errors.Is(err, e) {
			t.Errorf("%v: the error does not wrap the panic value", p)
		}
	}
}
