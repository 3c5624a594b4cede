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

// TestJobLoggerPanicLoggedByCaller: a job whose logger's Panic record sent
// the event (zap's Panic, zerolog's Panic) and that RunJob recovers
// (Recover) returns an error that is that event to the caller: logged
// again by each logger, it sends nothing more, and the caller's
// LastEventID names the Panic record's event.
func TestJobLoggerPanicLoggedByCaller(t *testing.T) {
	for name, doPanic := range loggerPanics {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			ctx := rec.Context(context.Background())
			err := logcrumbs.RunJob(ctx, "sync", logcrumbs.JobOptions{Recover: true, Options: rec.Options()},
				func(ctx context.Context) error { doPanic(rec, ctx); return nil })
			if err == nil {
				t.Fatal("RunJob returned nil")
			}
			for logger, logErr := range errorLoggers(rec) {
				logErr(ctx, "job failed ("+logger+")", err)
			}
			ev := rec.OnlyEvent()
			if got := logcrumbs.LastEventID(ctx); got != ev.EventID {
				t.Errorf("LastEventID %q, want the Panic record's event %q (%s)", got, ev.EventID, ev.Message)
			}
		})
	}
}

// loggerPanics log "cannot go on" at the Panic level of zap and of
// zerolog (a hook), each bound to ctx, with rec's options: the logger
// panics with the message after its record's event.
var loggerPanics = map[string]func(rec *logcrumbstest.Recorder, ctx context.Context){
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
