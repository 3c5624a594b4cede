package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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
			logsWithoutPanic(t, func() {
				log.Log(Info, "step 1")
				log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
			})
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

// LogsOnEventOrder: with LogsOnEvent and a Logs level that sends the
// event's own record too, Sentry Logs get what led up to each event before
// the event's record, as with LogsOnEvent alone: sentry-go stamps a log
// when it is handed over and batches them in that order, so the order sent
// is the order the Logs view shows. So for an event of the event level,
// for a record below it that Options.EscalateIf sends as an event, and for
// a unit's second event, which sends only the records since the first.
func testLogsOnEventOrder(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Warn, func(o *logcrumbs.Options) {
		o.LogsOnEvent = true
		o.EscalateIf = func(r logcrumbs.Record) bool { return strings.HasPrefix(r.Message(), "escalate") }
	})
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "step 1")
	log.Log(Info, "step 2")
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	log.Log(Info, "step 3")
	log.Log(Info, "step 4")
	log.Log(Warn, "escalate me")
	log.Log(Info, "step 5")
	log.Log(Error, "failed again", Field{"err", errors.New("second " + t.Name())})
	want := "step 1|step 2|failed|step 3|step 4|escalate me|step 5|failed again"
	if got := strings.Join(bodies(rec.Logs()), "|"); got != want {
		t.Errorf("logs %q, want %q: what led up to each event before its record", got, want)
	}
	if evs := rec.Events(); len(evs) != 3 {
		t.Errorf("%d events %q, want 3", len(evs), messages(evs))
	}
}

// LogsSentryKeysNotOverwritten: the attributes sentry-go gives a Sentry
// Log under Sentry's own "sentry." names (the client's release and
// environment, which the Logs view filters on, the SDK, the server) are
// not replaced by a record's fields of those names: a program that logs
// its Sentry configuration (a "sentry" group with environment and
// release, or flat "sentry.environment") sends its log to the client's
// environment and release, as the record's event is, and keeps its fields
// under "attr." as logcrumbs' own keys are kept (a field already so
// prefixed is prefixed once more).
func testLogsSentryKeysNotOverwritten(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, nil, func(o *sentry.ClientOptions) {
		o.Environment = "production"
		o.Release = "rel-1"
	})
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "grouped", Field{"sentry", Group{{"environment", "staging"}, {"release", "cfg"}}})
	log.Log(Info, "flat", Field{"sentry.environment", "staging"}, Field{"sentry.release", "cfg"},
		Field{"attr.sentry.release", "theirs"}, Field{"sentry.origin", "mine"})
	// Values of every kind: a duration and a nil are no text, number or
	// boolean, and took another path to the log than those.
	log.Log(Info, "kinds", Field{"sentry.timeout", 2 * time.Second}, Field{"sentry.none", nil})
	log.Log(Info, "kinds", Field{"sentry", Group{{"flush", 3 * time.Second}, {"none", nil}}})
	log.Log(Error, "failed", Field{"sentry", Group{{"environment", "staging"}, {"release", "cfg"}}},
		Field{"err", errors.New("boom " + t.Name())})
	ev := rec.OnlyEvent()
	if ev.Environment != "production" || ev.Release != "rel-1" {
		t.Errorf("event environment %q release %q, want the client's", ev.Environment, ev.Release)
	}
	logs := rec.Logs()
	if len(logs) != 5 {
		t.Fatalf("logs %q, want 5", bodies(logs))
	}
	for _, l := range logs {
		if l.Body == "kinds" {
			keys := []string{"sentry.timeout", "sentry.none"}
			if _, ok := l.Attributes["attr.sentry.timeout"]; !ok && strings.Contains(js(l.Attributes), "flush") {
				keys = []string{"sentry.flush", "sentry.none"}
			}
			for _, k := range keys {
				if _, ok := l.Attributes["attr."+k]; !ok {
					t.Errorf("log %q: no attribute %s, want the field %s kept under it: attributes %s", l.Body, "attr."+k, k, js(l.Attributes))
				}
				if _, ok := l.Attributes["attr.attr."+k]; ok {
					t.Errorf("log %q: the field %s sent as %s, want %s", l.Body, k, "attr.attr."+k, "attr."+k)
				}
			}
			continue
		}
		want := map[string]any{
			"sentry.environment":      "production",
			"sentry.release":          "rel-1",
			"attr.sentry.environment": "staging",
			"attr.sentry.release":     "cfg",
		}
		if l.Body == "flat" {
			want["attr.attr.sentry.release"] = "theirs"
			want["sentry.origin"] = "auto.log.logcrumbs"
			want["attr.sentry.origin"] = "mine"
		}
		bad := false
		for k, v := range want {
			if got := l.Attributes[k].AsInterface(); got != v {
				t.Errorf("log %q: %s = %v, want %v", l.Body, k, got, v)
				bad = true
			}
		}
		if bad {
			t.Logf("log %q: attributes %s", l.Body, js(l.Attributes))
		}
	}
}

// PassThroughLaterErrors: with Options.PassThroughLevel, once a unit has
// sent an event, every record of its trail at or above the level goes to
// Sentry Logs, as the option says: its later error records too (a second
// event, and the capture-once repeats of an error logged again by upper
// layers), not only those kept as breadcrumbs, so that the Logs view of
// what followed the first error has no hole where the next ones were.
// The first event's own record, logged before the unit sent an event, and
// records below the level, are not sent.
func testPassThroughLaterErrors(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, false, Debug, func(o *logcrumbs.Options) { o.PassThroughLevel = sentry.LevelInfo })
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "step 1")
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	log.Log(Info, "step 2")
	err := errors.New("second " + t.Name())
	log.Log(Error, "failed again", Field{"err", err})
	for range 3 { // one call site: repeats a logger may skip without a record
		log.Log(Error, "failed above", Field{"err", err})
	}
	log.Log(Debug, "below")
	log.Log(Info, "step 3")
	want := "step 2|failed again|failed above|failed above|failed above|step 3"
	if got := strings.Join(bodies(rec.Logs()), "|"); got != want {
		t.Errorf("logs %q, want %q", got, want)
	}
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events %q, want 2", len(evs), messages(evs))
	}
}

// PassThroughAfterHandCapture: an error captured by hand through the
// unit's hub (hub.CaptureException) is an event the unit sent, with its
// trail: Options.PassThroughLevel makes the unit talkative from then on,
// as after an error record's event. A message captured by hand
// (CaptureMessage, level info) is not an error and does not.
func testPassThroughAfterHandCapture(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, false, Debug, func(o *logcrumbs.Options) { o.PassThroughLevel = sentry.LevelInfo })
	ctx := rec.Context(context.Background())
	log := logger.Bind(ctx)
	hub := sentry.GetHubFromContext(ctx)
	log.Log(Info, "step 1")
	hub.CaptureMessage("signed up " + t.Name())
	log.Log(Info, "step 2")
	hub.CaptureException(errors.New("boom " + t.Name()))
	log.Log(Info, "step 3")
	if got, want := strings.Join(bodies(rec.Logs()), "|"), "step 3"; got != want {
		t.Errorf("logs %q, want %q", got, want)
	}
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events %q, want 2", len(evs), messages(evs))
	}
}

// PassThroughNotOnTheFallbackTrail: Options.PassThroughLevel makes a unit
// of work talkative once it has sent an event; records logged outside any
// unit (the process-wide fallback trail) are no unit's: an error logged
// there does not send every later context-less record of the process, of
// any goroutine, to Sentry Logs for the rest of its life (LogsOnEvent
// leaves the fallback trail out too).
func testPassThroughNotOnTheFallbackTrail(t *testing.T, d Driver) {
	noLogsOfTheFallbackTrail(t, d, func(o *logcrumbs.Options) { o.PassThroughLevel = sentry.LevelInfo },
		logged{Error, "no unit"}, logged{Info, "later, another goroutine's"}, logged{Error, "no unit again"})
}

// logged is a record noLogsOfTheFallbackTrail logs: an error record gets
// an error of its own.
type logged struct {
	level Level
	msg   string
}

// noLogsOfTheFallbackTrail logs records with no unit of work (the
// fallback trail) through a logger with the option opt sets, and checks
// that each error record is an event and none is a Sentry Log: the Logs
// that options send for a unit (PassThroughLevel, LogsOnEvent) are no
// trail's of the whole process.
func noLogsOfTheFallbackTrail(t *testing.T, d Driver, opt func(*logcrumbs.Options), records ...logged) {
	log, rec := newLogsLogger(t, d, false, Debug, opt)
	// Not bound: zap's and zerolog's WithContext make the context a unit.
	nErrors := 0
	for i, r := range records {
		if r.level == Error {
			nErrors++
			log.Log(r.level, r.msg, Field{"err", fmt.Errorf("boom %d %s", i, t.Name())})
			continue
		}
		log.Log(r.level, r.msg)
	}
	if evs := rec.Events(); len(evs) != nErrors {
		t.Errorf("%d events %q, want the %d errors'", len(evs), messages(evs), nErrors)
	}
	if logs := rec.Logs(); len(logs) != 0 {
		t.Errorf("logs %q from the fallback trail, want none", bodies(logs))
	}
}

// LogsEventLink: every Sentry Log of an error record names the event the
// record was sent as, or folded into (capture-once: its error was sent
// already), under "sentry.event_id", as its breadcrumb does, whichever
// path sends it: the integration's Logs level and
// Options.PassThroughLevel, which send it as it is logged, and
// Options.LogsOnEvent, which sends it with the unit's next event (or, the
// event's own record, with its event). Users filter the Logs view by
// event: an error's log that names no event is one they cannot find from
// its issue. The record's own "sentry.event_id" field is kept under
// "attr.sentry.event_id", whether its attributes are sent flat or as a
// map (a group beside a dotted key); a record whose event the client
// dropped (BeforeSend) names none.
func testLogsEventLink(t *testing.T, d Driver) {
	for _, c := range []struct {
		name string
		logs bool // the Logs level, at Info
		set  func(*logcrumbs.Options)
		// sent: the records expected in Sentry Logs, in order.
		sent string
	}{
		{"Level", true, nil, "step|save failed|retry failed|retry failed|render failed"},
		{"PassThroughLevel", false, func(o *logcrumbs.Options) { o.PassThroughLevel = sentry.LevelInfo },
			"retry failed|retry failed|render failed"},
		{"LogsOnEvent", false, func(o *logcrumbs.Options) { o.LogsOnEvent = true },
			"step|save failed|retry failed|retry failed|render failed"},
		{"LevelAndLogsOnEvent", true, func(o *logcrumbs.Options) { o.LogsOnEvent = true },
			"step|save failed|retry failed|retry failed|render failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			logger, rec := newLogsLogger(t, d, c.logs, Info, c.set)
			log := logger.Bind(rec.Context(context.Background()))
			err := errors.New("disk full " + t.Name())
			log.Log(Info, "step", Field{"sentry.event_id", "user-0"})
			log.Log(Error, "save failed", Field{"err", err}, Field{"sentry.event_id", "user-1"})
			// Folded into the first event: flat, then as a map (a named
			// group beside the dotted key).
			log.Log(Error, "retry failed", Field{"err", fmt.Errorf("retry: %w", err)}, Field{"sentry.event_id", "user-2"})
			log.Log(Error, "retry failed", Field{"err", fmt.Errorf("retry: %w", err)}, Field{"sentry.event_id", "user-2"},
				Field{"job", Group{{"n", 7}}})
			log.Log(Error, "render failed", Field{"err", errors.New("template missing " + t.Name())})
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
			}
			first, second := string(evs[0].EventID), string(evs[1].EventID)
			want := map[string]map[string]any{
				"step":          {"sentry.event_id": nil, "attr.sentry.event_id": "user-0"},
				"save failed":   {"sentry.event_id": first, "attr.sentry.event_id": "user-1"},
				"retry failed":  {"sentry.event_id": first, "attr.sentry.event_id": "user-2", "attr.attr.sentry.event_id": nil},
				"render failed": {"sentry.event_id": second, "attr.sentry.event_id": nil},
			}
			logs := rec.Logs()
			if got := strings.Join(bodies(logs), "|"); got != c.sent {
				t.Fatalf("logs %q, want %q", got, c.sent)
			}
			for _, l := range logs {
				for k, v := range want[l.Body] {
					got, ok := l.Attributes[k]
					if v == nil && ok || v != nil && (!ok || got.AsInterface() != v) {
						g := "absent"
						if ok {
							g = fmt.Sprint(got.AsInterface())
						}
						t.Errorf("log %q: %s %s, want %v (attributes %s)", l.Body, k, g, v, js(l.Attributes))
					}
				}
			}
		})
	}
	t.Run("dropped event", func(t *testing.T) {
		logger, rec := newLogsLogger(t, d, true, Info, nil, func(o *sentry.ClientOptions) {
			o.BeforeSend = func(*sentry.Event, *sentry.EventHint) *sentry.Event { return nil }
		})
		log := logger.Bind(rec.Context(context.Background()))
		err := errors.New("disk full " + t.Name())
		log.Log(Error, "save failed", Field{"err", err}, Field{"sentry.event_id", "user-1"})
		log.Log(Error, "retry failed", Field{"err", fmt.Errorf("retry: %w", err)}, Field{"sentry.event_id", "user-2"})
		logs := rec.Logs()
		if len(logs) != 2 {
			t.Fatalf("logs %q, want 2", bodies(logs))
		}
		for i, l := range logs {
			if got, ok := l.Attributes["sentry.event_id"]; ok {
				t.Errorf("log %q names %v, want no event (attributes %s)", l.Body, got.AsInterface(), js(l.Attributes))
			}
			if got, want := l.Attributes["attr.sentry.event_id"].AsInterface(), fmt.Sprint("user-", i+1); got != want {
				t.Errorf("log %q keeps the user's sentry.event_id as %v, want %s (attributes %s)", l.Body, got, want, js(l.Attributes))
			}
		}
	})
}

// logsWithoutPanic runs the log calls of logs and fails t if they panic: a
// log call never fails because of logcrumbs, whatever the program's
// callbacks do.
func logsWithoutPanic(t *testing.T, logs func()) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("the logging call panicked: %v", p)
		}
	}()
	logs()
}
