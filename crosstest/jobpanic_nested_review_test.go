package crosstest_test

import (
	"context"
	"io"
	"testing"

	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestNestedJobLoggerPanicGoesUpAsItsEvent: a consumer (RunJob, Recover)
// runs a job without Recover whose logger's Panic record sent the event
// (zap's Panic, zerolog's Panic): the panic goes on up through the
// consumer, which must not send it again ("panic in job consumer"), and
// whose caller names the Panic record's event.
func TestNestedJobLoggerPanicGoesUpAsItsEvent(t *testing.T) {
	panics := map[string]func(rec *logcrumbstest.Recorder, ctx context.Context){
		"zap": func(rec *logcrumbstest.Recorder, ctx context.Context) {
			_, l := zapsentry.WithContext(ctx, zap.New(zapsentry.NewCore(zapsentry.Options{Options: rec.Options()})))
			l.Panic("cannot go on")
		},
		"zerolog hook": func(rec *logcrumbstest.Recorder, ctx context.Context) {
			hook := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()}))
			_, l := zerologsentry.WithContext(ctx, hook)
			l.Panic().Msg("cannot go on")
		},
	}
	for name, doPanic := range panics {
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
