package conformance

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// EscalateIfPanicIsNo: an Options.EscalateIf that panics on a record counts
// as declining it (the documented "never panic" of a logger on every
// request's path): the record stays a breadcrumb, sends no event of its
// own, the logging call returns, and the panic is counted in
// Stats().UserPanics.
func testEscalateIfPanicIsNo(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) {
		o.EscalateIf = func(r logcrumbs.Record) bool {
			if r.Message() == "predicate panics" {
				panic("EscalateIf " + t.Name())
			}
			return false
		}
	})
	log := logger.Bind(rec.Context(context.Background()))
	before := logcrumbs.Stats()
	logsWithoutPanic(t, func() { log.Log(Info, "predicate panics") })
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	ev := one(t, rec)
	if ev.Message != "failed" {
		t.Fatalf("event %q, want only the error record's (a panicking EscalateIf is no)", ev.Message)
	}
	if got := strings.Join(ev.BreadcrumbMessages(), "|"); !strings.Contains(got, "predicate panics") {
		t.Errorf("breadcrumbs %q, want the record EscalateIf panicked on", got)
	}
	if after := logcrumbs.Stats(); after.UserPanics == before.UserPanics {
		t.Errorf("the EscalateIf panic was not counted in Stats().UserPanics")
	}
}

// LogsOnEventNotOnTheFallbackTrail: Options.LogsOnEvent sends what led up to
// a unit of work's event; records logged outside any unit (the
// process-wide fallback trail, every goroutine's) are no unit's: an error
// logged there sends its event and no Sentry Logs, neither the records
// before it nor its own, as the option's documentation says.
func testLogsOnEventNotOnTheFallbackTrail(t *testing.T, d Driver) {
	noLogsOfTheFallbackTrail(t, d, func(o *logcrumbs.Options) { o.LogsOnEvent = true },
		logged{Info, "another goroutine's, earlier"}, logged{Error, "no unit"})
}

// StopsAreFatalEvents: a record at the logger's panic or fatal level is an
// event at level fatal, whether the logger then panics (Panic), goes on
// (NoPanic) or calls its exit hook (Fatal, the suite's returning here).
func testStopsAreFatalEvents(t *testing.T, d Driver) {
	for _, stop := range []Stop{Panic, NoPanic, Fatal} {
		t.Run(stop.String(), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			log := logger.Bind(rec.Context(context.Background()))
			func() {
				defer func() { _ = recover() }() // Panic's
				d.Stops(log, stop, func() {}, "stopped at "+stop.String())
			}()
			if ev := one(t, rec); ev.Level != sentry.LevelFatal {
				t.Errorf("%s record: event %q at level %q, want fatal", stop, ev.Message, ev.Level)
			}
		})
	}
}

// NoRepeatsNoSummary: an event that repeats nothing says nothing of
// repeats: no "logcrumbs" context with a count of 0 and a time of year 1,
// which Sentry would show on every issue.
func testNoRepeatsNoSummary(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	logger.Bind(rec.Context(context.Background())).Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	if c, ok := one(t, rec).Contexts["logcrumbs"]; ok {
		t.Errorf("event context logcrumbs %v, want none: nothing repeated", c)
	}
}
