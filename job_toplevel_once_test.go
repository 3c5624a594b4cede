package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobAtTopLevelErrorOnce: a RunJob at the top of a program (a
// consumer's loop, whose context carries no unit of work), whose caller
// logs the error RunJob returns as the usual "if err != nil { log it }"
// does, on that context: the job's event is the one event of the bug,
// for an error the job logged and returned and for a panic it recovered.
func TestJobAtTopLevelErrorOnce(t *testing.T) {
	jobs := map[string]func(log *slog.Logger) func(context.Context) error{
		"logged and returned": func(log *slog.Logger) func(context.Context) error {
			return func(ctx context.Context) error {
				err := errors.New("bad message")
				log.ErrorContext(ctx, "step failed", "err", err)
				return err
			}
		},
		"panic": func(*slog.Logger) func(context.Context) error {
			return func(context.Context) error { panic("boom") }
		},
	}
	for name, job := range jobs {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			log := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
			base := sentry.SetHubOnContext(context.Background(), opts.Hub)
			err := logcrumbs.RunJob(base, "consume", logcrumbs.JobOptions{Recover: true, Options: opts}, job(log))
			if err == nil {
				t.Fatal("RunJob returned nil")
			}
			log.ErrorContext(base, "message failed", "err", err)
			rec.OnlyEvent()
		})
	}
}
