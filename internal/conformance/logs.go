package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/getsentry/sentry-go/attribute"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// RunLogs runs the Sentry Logs cases: the integration's Logs level and
// Options.LogsOnEvent. Run runs them too.
func RunLogs(t *testing.T, d Driver) {
	t.Helper()
	for _, c := range []struct {
		name string
		run  func(*testing.T, Driver)
	}{
		{"LogsAtLevel", testLogsAtLevel},
		{"LogsKeyRepeated", testLogsKeyRepeated},
		{"LogsUserInfoAllowed", testLogsUserInfoAllowed},
		{"LogsErrorLevelOnly", testLogsErrorLevelOnly},
		{"LogsOnEvent", testLogsOnEvent},
		{"LogsOnEventNotTwice", testLogsOnEventNotTwice},
		{"LogsOnEventOrder", testLogsOnEventOrder},
		{"LogsOnEventChildOnce", testLogsOnEventChildOnce},
		{"LogsOnEventVolume", testLogsOnEventVolume},
		{"LogsEmptyMessage", testLogsEmptyMessage},
		{"LogsBeforeSendLogPanics", testLogsBeforeSendLogPanics},
		{"LogsSentryKeysNotOverwritten", testLogsSentryKeysNotOverwritten},
		{"PassThroughLaterErrors", testPassThroughLaterErrors},
		{"PassThroughNotOnTheFallbackTrail", testPassThroughNotOnTheFallbackTrail},
		{"LogsOnEventNotOnTheFallbackTrail", testLogsOnEventNotOnTheFallbackTrail},
		{"PassThroughAfterHandCapture", testPassThroughAfterHandCapture},
		{"LogsEventLink", testLogsEventLink},
		{"LogsWholeValues", testLogsWholeValues},
		{"PassThroughWholeValues", testPassThroughWholeValues},
		{"LogsKeepSameBreadcrumb", testLogsKeepSameBreadcrumb},
		{"PassThroughKeepSameBreadcrumb", testPassThroughKeepSameBreadcrumb},
		{"LogsExactIntegers", testLogsExactIntegers},
		{"LogsWithoutClientThenBound", testLogsWithoutClientThenBound},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, d) })
	}
}

// newLogsLogger is newLogger with the integration's Logs level set when
// logs is true (sentry-go v0.50's clients send Logs by default).
func newLogsLogger(t *testing.T, d Driver, logs bool, at Level, set func(*logcrumbs.Options), configure ...func(*sentry.ClientOptions)) (Logger, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t, configure...)
	opts := rec.Options()
	if set != nil {
		set(&opts)
	}
	return d.New(t, Config{Options: opts, Logs: logs, LogsLevel: at}), rec
}

func bodies(logs []sentry.Log) []string {
	out := make([]string, len(logs))
	for i, l := range logs {
		out[i] = l.Body
	}
	return out
}

// LogsAtLevel: with the Logs level at Info, Info and Error records go to
// Sentry Logs and Debug ones do not; their attributes are typed, groups
// flattened with dots, secrets scrubbed and the user's email gated as in
// events; they name the logger and carry the trace of the sentry-go span of
// the record's context.
func testLogsAtLevel(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, nil)
	span := sentry.StartSpan(rec.Context(context.Background()), "logs.test")
	defer span.Finish()
	log := logger.Bind(span.Context())
	log.Log(Debug, "below the level", Field{"n", 1})
	log.Log(Info, "at the level",
		Field{"n", 7}, Field{"ok", true}, Field{"f", 1.5}, Field{"s", "text"},
		Field{"password", "hunter2"},
		Field{"user", Group{{"id", "u-1"}, {"email", "bob@example.com"}}},
		Field{"g", Group{{"inner", 3}, {"h", Group{{"deep", "x"}}}}})
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	logs := rec.Logs()
	if got := strings.Join(bodies(logs), "|"); got != "at the level|failed" {
		t.Fatalf("logs %q, want the Info and the Error record", got)
	}
	info := logs[0]
	if info.Level != sentry.LogLevelInfo || logs[1].Level != sentry.LogLevelError {
		t.Errorf("levels %s, %s: want info, error", info.Level, logs[1].Level)
	}
	for key, want := range map[string]string{
		"n":                `{"value":7,"type":"integer"}`,
		"ok":               `{"value":true,"type":"boolean"}`,
		"f":                `{"value":1.5,"type":"double"}`,
		"s":                `{"value":"text","type":"string"}`,
		"password":         `{"value":"[Filtered]","type":"string"}`,
		"user.id":          `{"value":"u-1","type":"string"}`,
		"g.inner":          `{"value":3,"type":"integer"}`,
		"g.h.deep":         `{"value":"x","type":"string"}`,
		"logcrumbs.logger": fmt.Sprintf(`{"value":%q,"type":"string"}`, d.Category),
		"sentry.origin":    `{"value":"auto.log.logcrumbs","type":"string"}`,
	} {
		v, ok := info.Attributes[key]
		if got := js(v); !ok || got != want {
			t.Errorf("attribute %s = %s (present %v), want %s", key, got, ok, want)
		}
	}
	if got := js(info.Attributes); strings.Contains(got, "bob@example.com") || strings.Contains(got, "hunter2") {
		t.Errorf("gated or secret value sent: %s", got)
	}
	for i, l := range logs {
		if l.TraceID != span.TraceID || l.SpanID != span.SpanID {
			t.Errorf("log %d: trace %s span %s, want the span's %s %s", i, l.TraceID, l.SpanID, span.TraceID, span.SpanID)
		}
	}
	if _, ok := logs[1].Attributes["err"]; !ok && !strings.Contains(js(logs[1].Attributes["error"]), "boom") {
		t.Errorf("error record's log lacks its err attribute: %s", js(logs[1].Attributes))
	}
}

// LogsUserInfoAllowed: with a client that collects user info, a Sentry
// Log keeps the user's email, and is otherwise the log it would be without
// user data: the span's trace, the scope's attributes, the client's
// release (such a log is sent through the client that allowed its data,
// on the hub's scope).
func testLogsUserInfoAllowed(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, nil, func(o *sentry.ClientOptions) {
		o.DataCollection = &sentry.DataCollection{UserInfo: sentry.Set(true)}
		o.Release = "rel-1"
	})
	ctx := rec.Context(context.Background())
	sentry.GetHubFromContext(ctx).Scope().SetAttributes(attribute.String("scope.attr", "on-scope"))
	span := sentry.StartSpan(ctx, "logs.test")
	defer span.Finish()
	log := logger.Bind(span.Context())
	log.Log(Info, "with user", Field{"user", Group{{"id", "u-1"}, {"email", "bob@example.com"}}})
	log.Log(Info, "without")
	logs := rec.Logs()
	if len(logs) != 2 {
		t.Fatalf("logs %q, want 2", bodies(logs))
	}
	if got := js(logs[0].Attributes["user.email"]); got != `{"value":"bob@example.com","type":"string"}` {
		t.Errorf("user.email = %s, want the email (the client collects user info)", got)
	}
	for i, l := range logs {
		if l.TraceID != span.TraceID || l.SpanID != span.SpanID {
			t.Errorf("log %d: trace %s span %s, want the span's %s %s", i, l.TraceID, l.SpanID, span.TraceID, span.SpanID)
		}
		for key, want := range map[string]string{
			"scope.attr":     `{"value":"on-scope","type":"string"}`,
			"sentry.release": `{"value":"rel-1","type":"string"}`,
		} {
			if got := js(l.Attributes[key]); got != want {
				t.Errorf("log %d (%s): %s = %s, want %s", i, l.Body, key, got, want)
			}
		}
	}
}

// LogsKeyRepeated: a record that gives one key a map (the logger's
// generic field: slog.Any, zap.Any, zerolog's Interface, a logr value)
// and then a plain value sends to Sentry Logs what its data holds, the last
// value of the key, not the map's fields under dotted keys beside it.
// (logrus.Fields, a map, keeps only the last of a key before logcrumbs
// sees it.)
func testLogsKeyRepeated(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, nil)
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "repeated", Field{"a", map[string]any{"b": 1}}, Field{"a", "v"})
	logs := rec.Logs()
	if len(logs) != 1 {
		t.Fatalf("%d logs, want 1", len(logs))
	}
	attrs := logs[0].Attributes
	if got := js(attrs["a"]); got != `{"value":"v","type":"string"}` {
		t.Errorf("attribute a = %s, want the last value, v", got)
	}
	for k := range attrs {
		if strings.HasPrefix(k, "a.") {
			t.Errorf("attribute %s of the map the last value replaced: %s", k, js(attrs))
		}
	}
}

// LogsErrorLevelOnly: with the Logs level at Error, no Info record goes to
// Sentry Logs; the Error record does, once, beside its event.
func testLogsErrorLevelOnly(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Error, nil)
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "info")
	log.Log(Warn, "warn")
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	if got := strings.Join(bodies(rec.Logs()), "|"); got != "failed" {
		t.Errorf("logs %q, want the Error record only", got)
	}
	rec.OnlyEvent()
}

// LogsOnEvent: with Options.LogsOnEvent and no Logs level, a unit that
// sends no event sends no Logs; a unit that sends one sends its trail and
// the event's record, oldest first, with the event's trace and each
// record's own time; a second event sends only the records since the
// first, and a capture-once repeat sends nothing.
func testLogsOnEvent(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, false, Debug, func(o *logcrumbs.Options) { o.LogsOnEvent = true })
	pass := logger.Bind(rec.Context(context.Background()))
	pass.Log(Info, "passing 1")
	pass.Log(Warn, "passing 2")
	if logs := rec.Logs(); len(logs) != 0 {
		t.Fatalf("a unit without an event sent logs %q", bodies(logs))
	}
	fail := logger.Bind(rec.Context(context.Background()))
	fail.Log(Debug, "step 1", Field{"n", 1})
	fail.Log(Info, "step 2", Field{"password", "hunter2"})
	fail.Log(Warn, "step 3")
	err := errors.New("boom " + t.Name())
	fail.Log(Error, "failed", Field{"err", err})
	fail.Log(Error, "failed above", Field{"err", err}) // capture once: no event
	pass.Log(Info, "passing 3")
	fail.Log(Info, "step 4")
	fail.Log(Error, "failed again", Field{"err", errors.New("second " + t.Name())})
	logs := rec.Logs()
	want := "step 1|step 2|step 3|failed|failed above|step 4|failed again"
	if got := strings.Join(bodies(logs), "|"); got != want {
		t.Fatalf("logs %q, want %q", got, want)
	}
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
	}
	trace := func(ev *sentry.Event) string { return fmt.Sprint(ev.Contexts["trace"]["trace_id"]) }
	for i, l := range logs {
		if got := l.TraceID.String(); got != trace(evs[0].Event) {
			t.Errorf("log %d (%s): trace %s, want the event's %s", i, l.Body, got, trace(evs[0].Event))
		}
		if _, ok := l.Attributes["logcrumbs.time"]; !ok && i < 3 {
			t.Errorf("log %d (%s) lacks logcrumbs.time", i, l.Body)
		}
	}
	if strings.Contains(js(logs[1].Attributes), "hunter2") {
		t.Errorf("secret sent: %s", js(logs[1].Attributes))
	}
}

// LogsOnEventNotTwice: with LogsOnEvent and the Logs level at Error, the
// Error record goes to Sentry Logs once, and after the trail that led to
// it, as with LogsOnEvent alone (see LogsOnEventOrder).
func testLogsOnEventNotTwice(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Error, func(o *logcrumbs.Options) { o.LogsOnEvent = true })
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "step 1")
	log.Log(Warn, "step 2")
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	got := bodies(rec.Logs())
	if strings.Join(got, "|") != "step 1|step 2|failed" {
		t.Errorf("logs %q, want the trail, then the Error record, each once", got)
	}
}

// LogsOnEventChildOnce: a record that a child unit's trail copied from its
// parent's (logcrumbs.NewChildContext, JobOptions.Child) is one record: with
// LogsOnEvent it goes to Sentry Logs once, with the event of whichever unit
// fails first, and both events carry it as a breadcrumb.
func testLogsOnEventChildOnce(t *testing.T, d Driver) {
	for _, childFirst := range []bool{true, false} {
		t.Run(fmt.Sprint("childFirst=", childFirst), func(t *testing.T) {
			logger, rec := newLogsLogger(t, d, false, Debug, func(o *logcrumbs.Options) { o.LogsOnEvent = true })
			ctx := rec.Context(context.Background())
			parent := logger.Bind(ctx)
			parent.Log(Info, "step 1")
			parent.Log(Warn, "step 2")
			child := logger.Bind(logcrumbs.NewChildContext(ctx))
			child.Log(Info, "job step")
			fail := func(l Logger, msg string) { l.Log(Error, msg, Field{"err", errors.New(msg + " " + t.Name())}) }
			want := "step 1|step 2|job step|job failed|request failed"
			if childFirst {
				fail(child, "job failed")
				fail(parent, "request failed")
			} else {
				fail(parent, "request failed")
				fail(child, "job failed")
				want = "step 1|step 2|request failed|job step|job failed"
			}
			if got := strings.Join(bodies(rec.Logs()), "|"); got != want {
				t.Errorf("logs %q, want %q: each record once", got, want)
			}
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
			}
			for _, ev := range evs {
				var crumbs []string
				for _, b := range ev.Breadcrumbs() {
					crumbs = append(crumbs, b.Message)
				}
				if got := strings.Join(crumbs, "|"); !strings.HasPrefix(got, "step 1|step 2") {
					t.Errorf("event %q: breadcrumbs %q, want the parent's steps first", ev.Message, got)
				}
			}
		})
	}
}

// LogsOnEventVolume measures what LogsOnEvent costs in Logs volume against
// a Logs level that sends every record: 1,000 units of 5 records each, 1%
// of them failing with an error record. Counted as handed to sentry-go
// (BeforeSendLog), before its batching, which drops in bursts.
func testLogsOnEventVolume(t *testing.T, d Driver) {
	run := func(level bool) int64 {
		var n atomic.Int64
		count := func(o *sentry.ClientOptions) {
			o.BeforeSendLog = func(l *sentry.Log) *sentry.Log { n.Add(1); return nil }
		}
		logger, rec := newLogsLogger(t, d, level, Debug, func(o *logcrumbs.Options) { o.LogsOnEvent = !level }, count)
		for u := range 1000 {
			log := logger.Bind(rec.Context(context.Background()))
			for i := range 5 {
				log.Log(Info, "step", Field{"i", i})
			}
			if u%100 == 99 {
				log.Log(Error, "failed", Field{"err", fmt.Errorf("unit %d: %s", u, t.Name())})
			}
		}
		if got := len(rec.Events()); got != 10 {
			t.Fatalf("%d events, want 10", got)
		}
		return n.Load()
	}
	onEvent, all := run(false), run(true)
	if onEvent != 60 || all != 5010 {
		t.Errorf("LogsOnEvent sent %d logs, the Logs level %d: want 60 and 5010 (as Options.LogsOnEvent says)", onEvent, all)
	}
	t.Logf("LogsOnEvent: %d logs; Logs level at Debug: %d (%.1f%%)", onEvent, all, 100*float64(onEvent)/float64(all))
}
