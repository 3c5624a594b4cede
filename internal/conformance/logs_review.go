package conformance

import (
	"context"
	"errors"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// LogsEmptyMessage: a record with no message (zerolog's Send, slog's
// Error("", ...)) still goes to Sentry Logs with its attributes: sentry-go
// drops a log whose body is empty, so the record would be lost silently.
func testLogsEmptyMessage(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, func(o *logcrumbs.Options) { o.LogsOnEvent = true })
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "", Field{"step", 1})
	log.Log(Error, "", Field{"err", errors.New("boom " + t.Name())})
	logs := rec.Logs()
	if len(logs) != 2 {
		t.Fatalf("%d logs %q, want the Info and the Error record", len(logs), bodies(logs))
	}
	for i, l := range logs {
		if l.Body == "" {
			t.Errorf("log %d has an empty body", i)
		}
	}
	if _, ok := logs[0].Attributes["step"]; !ok {
		t.Errorf("the Info record's log lacks its attribute: %s", js(logs[0].Attributes))
	}
	rec.OnlyEvent()
}

// LogsBeforeSendLogPanics: a BeforeSendLog that panics does not reach the
// logging call (logging never panics), and the event of an error record is
// still sent and counted as sent, with LogsOnEvent too.
func testLogsBeforeSendLogPanics(t *testing.T, d Driver) {
	panicky := func(o *sentry.ClientOptions) {
		o.BeforeSendLog = func(*sentry.Log) *sentry.Log { panic("BeforeSendLog " + t.Name()) }
	}
	for _, c := range []struct {
		name  string
		level bool
	}{{"Level", true}, {"OnEvent", false}} {
		t.Run(c.name, func(t *testing.T) {
			logger, rec := newLogsLogger(t, d, c.level, Info, func(o *logcrumbs.Options) { o.LogsOnEvent = !c.level }, panicky)
			log := logger.Bind(rec.Context(context.Background()))
			before := logcrumbs.Stats()
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("the logging call panicked: %v", p)
					}
				}()
				log.Log(Info, "step 1")
				log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
			}()
			rec.OnlyEvent()
			after := logcrumbs.Stats()
			if sent, failed := after.EventsSent-before.EventsSent, after.EventsFailed-before.EventsFailed; sent != 1 || failed != 0 {
				t.Errorf("stats: %d events sent, %d failed; want 1 and 0", sent, failed)
			}
			if after.UserPanics == before.UserPanics {
				t.Errorf("the BeforeSendLog panic was not counted in Stats().UserPanics")
			}
		})
	}
}
