package crosstest_test

import (
	"context"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestNestedJobLoggerPanicGoesUpAsItsEvent: a consumer (RunJob, Recover)
// runs a job without Recover whose logger's Panic record sent the event
// (zap's Panic, zerolog's Panic): the panic goes on up through the
// consumer, which must not send it again ("panic in job consumer"), and
// whose caller names the Panic record's event.
func TestNestedJobLoggerPanicGoesUpAsItsEvent(t *testing.T) {
	for name, doPanic := range loggerPanics {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			ctx := rec.Context(context.Background())
			err := logcrumbs.RunJob(ctx, "consumer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
				return logcrumbs.RunJob(ctx, "sync", logcrumbs.JobOptions{Options: rec.Options()},
					func(ctx context.Context) error { doPanic(rec, ctx); return nil })
			})
			if err == nil {
				t.Fatal("RunJob returned nil")
			}
			for logger, logErr := range errorLoggers(rec) {
				logErr(ctx, "consumer failed ("+logger+")", err)
			}
			ev := rec.OnlyEvent()
			if got := logcrumbs.LastEventID(ctx); got != ev.EventID {
				t.Errorf("LastEventID %q, want the Panic record's event %q (%s)", got, ev.EventID, ev.Message)
			}
		})
	}
}
