package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// Run runs the in-memory suite (everything but the end-to-end test, see
// RunE2E, and the allocation test, see RunAllocs) for d. The cases do not run in parallel: drivers may set
// process-wide state such as zerolog.ErrorMarshalFunc.
func Run(t *testing.T, d Driver) {
	t.Helper()
	for _, c := range []struct {
		name string
		run  func(*testing.T, Driver)
	}{
		{"TrailOldestFirst", testTrailOldestFirst},
		{"TrailCap", testTrailCap},
		{"TimesAreWhenLogged", testTimesAreWhenLogged},
		{"EscalatedTimesAreWhenLogged", testEscalatedTimesAreWhenLogged},
		{"TwoRequestsIsolated", testTwoRequestsIsolated},
		{"ConcurrentRequestsIsolated", testConcurrentRequestsIsolated},
		{"DebugKeptWhileOutputFilters", testDebugKeptWhileOutputFilters},
		{"OutputUnchanged", testOutputUnchanged},
		{"CaptureOnceAcrossLayers", testCaptureOnceAcrossLayers},
		{"JobErrorLoggedByCaller", testJobErrorLoggedByCaller},
		{"JobRetryLoggedByCaller", testJobRetryLoggedByCaller},
		{"CaptureOnceIncomparableError", testCaptureOnceIncomparableError},
		{"CaptureOnceWithHandCapture", testCaptureOnceWithHandCapture},
		{"LastEventID", testLastEventID},
		{"LastEventIDNotADroppedEvent", testLastEventIDNotADroppedEvent},
		{"LastEventIDNotAPanickedEvent", testLastEventIDNotAPanickedEvent},
		{"EventContents", testEventContents},
		{"TagValuesOnOneLine", testTagValuesOnOneLine},
		{"MessageEvent", testMessageEvent},
		{"SecretKeysScrubbed", testSecretKeysScrubbed},
		{"URLSecretsScrubbed", testURLSecretsScrubbed},
		{"URLParamsFilteredAsSentryGo", testURLParamsFilteredAsSentryGo},
		{"NilErrors", testNilErrors},
		{"NilPointerMethods", testNilPointerMethods},
		{"NilPointerInChain", testNilPointerInChain},
		{"BadValues", testBadValues},
		{"PanickingUserMethods", testPanickingUserMethods},
		{"PanickingErrorBesideAnother", testPanickingErrorBesideAnother},
		{"PanickingUnwrapKeepsTheChain", testPanickingUnwrapKeepsTheChain},
		{"PanickingMarshalJSONCounted", testPanickingMarshalJSONCounted},
		{"RepeatsInOneRequestAreCounted", testRepeatsInOneRequestAreCounted},
		{"RepeatsRideOnTheNextEvent", testRepeatsRideOnTheNextEvent},
		{"NoRepeatsNoSummary", testNoRepeatsNoSummary},
		{"ConcurrentDedupedRepeatsCounted", testConcurrentDedupedRepeatsCounted},
		{"ConcurrentRepeatsCountedAcrossEvents", testConcurrentRepeatsCountedAcrossEvents},
		{"OneBugAtThreeLayersIsOneEvent", testOneBugAtThreeLayersIsOneEvent},
		{"RepeatsAreOneLayers", testRepeatsAreOneLayers},
		{"RepeatsSummaryJoinsItsIssue", testRepeatsSummaryJoinsItsIssue},
		{"TwoBugsAtOneSiteAreTwoEvents", testTwoBugsAtOneSiteAreTwoEvents},
		{"DeliveryFollowed", testDeliveryFollowed},
		{"EscalateIfReadsGroups", testEscalateIfReadsGroups},
		{"EscalateIfPanicIsNo", testEscalateIfPanicIsNo},
		{"ErrorOfWith", testErrorOfWith},
		{"UserGatedInBreadcrumbs", testUserGatedInBreadcrumbs},
		{"UserGatedNested", testUserGatedNested},
		{"UserGatedAnyCase", testUserGatedAnyCase},
		{"UserStructFillsEventUser", testUserStructFillsEventUser},
		{"ErrorMethodsThatLog", testErrorMethodsThatLog},
		{"InFlightDroppedEventNamedByNothing", testInFlightDroppedEventNamedByNothing},
		{"OwnKeysNotOverwritten", testOwnKeysNotOverwritten},
		{"WrappedTwiceFeedsOnce", testWrappedTwiceFeedsOnce},
		{"LoggerOutlivesItsRequest", testLoggerOutlivesItsRequest},
		{"OneErrorFromManyGoroutines", testOneErrorFromManyGoroutines},
		{"BindNilContext", testBindNilContext},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, d) })
	}
	RunLogs(t, d)
	RunRebind(t, d)
	RunPanics(t, d)
	RunClientSetup(t, d)
}

// newLogger returns d's logger fed to a new Recorder, with opts' other
// fields set by the case (Hub and DedupeWindow come from the Recorder).
func newLogger(t *testing.T, d Driver, set func(*logcrumbs.Options), configure ...func(*sentry.ClientOptions)) (Logger, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t, configure...)
	opts := rec.Options()
	if set != nil {
		set(&opts)
	}
	return d.New(t, Config{Options: opts}), rec
}

// one returns the only event rec recorded.
func one(t *testing.T, rec *logcrumbstest.Recorder) logcrumbstest.Event {
	t.Helper()
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events %q, want 1", len(evs), messages(evs))
	}
	return evs[0]
}

func messages(evs []logcrumbstest.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Message
	}
	return out
}

// js is v as JSON: the suite compares values as Sentry receives them, so
// that int64(3), json.Number("3") and float64(3) are all 3.
func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "!" + err.Error()
	}
	return strings.ReplaceAll(string(b), `\u0026`, "&")
}

// checkChain checks that ev's exception chain is err's: with real errors,
// "save: disk full" (*fmt.wrapError) wrapping "disk full"; with text
// errors, that text alone, of type "error".
func checkChain(t *testing.T, d Driver, ev logcrumbstest.Event) {
	t.Helper()
	ex := ev.Exceptions()
	if d.TextErrors {
		if len(ex) != 1 || ex[0].Type != "error" || ex[0].Value != "save: disk full" {
			t.Errorf("exceptions %+v, want the error's text, of type error", ex)
		}
		return
	}
	if len(ex) != 2 || ex[0].Type != "*fmt.wrapError" || ex[0].Value != "save: disk full" || ex[1].Value != "disk full" {
		t.Errorf("exceptions %+v, want save: disk full (*fmt.wrapError) wrapping disk full", ex)
	}
	st := ev.Exception[len(ev.Exception)-1].Stacktrace
	if st == nil || len(st.Frames) == 0 {
		t.Fatal("the outermost exception has no stack trace")
	}
	checkTopFrame(t, st)
}

// checkTopFrame checks that a stack trace starts in the test's own code (the
// driver or the suite), not in a logger or in sentry-go.
func checkTopFrame(t *testing.T, st *sentry.Stacktrace) {
	t.Helper()
	top := st.Frames[len(st.Frames)-1]
	for _, p := range []string{"log/slog", "go.uber.org/zap", "github.com/rs/zerolog", "github.com/getsentry/sentry-go", "runtime", "testing"} {
		if top.Module == p || strings.HasPrefix(top.Module, p+"/") {
			t.Errorf("stack trace starts in %s.%s, want the caller's code", top.Module, top.Function)
		}
	}
	if !strings.HasSuffix(top.Module, "_test") && !strings.HasSuffix(top.Module, "internal/conformance") {
		t.Errorf("stack trace starts in %s.%s, want the test's code", top.Module, top.Function)
	}
}

// errorKinds are typed fields of every kind but error and group.
var (
	when       = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	typedKinds = []Field{{"s", "text"}, {"n", 3}, {"ok", true}, {"f", 2.5}, {"took", 1500 * time.Millisecond}, {"at", when}}
)

// checkTyped checks the typed fields of typedKinds in data, as Sentry
// receives them. A duration reads "1.5s" or, where the logger encodes
// durations as numbers (zerolog), the logger's own number of milliseconds.
func checkTyped(t *testing.T, data map[string]any) {
	t.Helper()
	for key, want := range map[string]string{"s": `"text"`, "n": `3`, "ok": `true`, "f": `2.5`} {
		if got := js(data[key]); got != want {
			t.Errorf("%s = %s, want %s (all data: %s)", key, got, want, js(data))
		}
	}
	if got := js(data["took"]); got != `"1.5s"` && got != `1500` {
		t.Errorf("took = %s, want 1.5s", got)
	}
	if got := js(data["at"]); !strings.HasPrefix(got, `"2024-01-02T03:04:05`) {
		t.Errorf("at = %s, want 2024-01-02T03:04:05 in RFC 3339", got)
	}
}

// TrailOldestFirst: an error event carries its request's records, oldest
// first, with their levels, the logger's category, their typed fields and
// groups; the logged error's chain with a stack trace from the caller; the
// record's fields as the "log" context.
func testTrailOldestFirst(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background())).With(Field{"svc", "api"})
	log.Log(Debug, "opening", Field{"path", "/tmp/x"})
	log.Log(Info, "loaded", typedKinds...)
	log.Log(Warn, "slow", Field{"db", Group{{"table", "users"}, {"rows", 7}}})
	log.Log(Error, "save failed", Field{"err", fmt.Errorf("save: %w", errors.New("disk full"))})

	ev := one(t, rec)
	if ev.Message != "save failed" || ev.Level != sentry.LevelError || ev.Logger != d.Category {
		t.Errorf("event message/level/logger = %q/%q/%q", ev.Message, ev.Level, ev.Logger)
	}
	var got []string
	for _, b := range ev.Breadcrumbs() {
		got = append(got, string(b.Level)+":"+b.Category+":"+b.Message)
	}
	want := strings.ReplaceAll("debug:L:opening,info:L:loaded,"+d.warning()+":L:slow", "L", d.Category)
	if strings.Join(got, ",") != want {
		t.Fatalf("breadcrumbs %v, want %s", got, want)
	}
	bs := ev.Breadcrumbs()
	if bs[0].Data["svc"] != "api" || bs[0].Data["path"] != "/tmp/x" {
		t.Errorf("breadcrumb data %v", bs[0].Data)
	}
	checkTyped(t, bs[1].Data)
	if got := js(bs[2].Data["db"]); got != `{"rows":7,"table":"users"}` {
		t.Errorf("group = %s", got)
	}
	checkChain(t, d, ev)
	if lc := ev.LogContext(); lc["svc"] != "api" || js(errField(lc)) != `"save: disk full"` {
		t.Errorf("log context %s", js(lc))
	}
}

// errField returns the error field of data: "err", or "error" where the
// driver logs errors under its logger's own error key (zerolog's Err).
func errField(data map[string]any) any {
	if v, ok := data["err"]; ok {
		return v
	}
	return data["error"]
}

// logWindows logs records 5 ms apart and remembers, for each, the clock's
// readings just before and just after its log call: the window its time
// must fall in, give or take a millisecond (how far zerolog's record clock
// may be from time.Now).
type logWindows struct {
	log     Logger
	windows [][2]time.Time
}

// logAt logs one record and notes its window.
func (l *logWindows) logAt(level Level, msg string, fields ...Field) {
	before := time.Now()
	l.log.Log(level, msg, fields...)
	l.windows = append(l.windows, [2]time.Time{before, time.Now()})
	time.Sleep(5 * time.Millisecond)
}

// check reports what's time at unless it is within the window of record i.
// It compares wall times, which are what Sentry receives: at and the
// window's readings are stripped of their monotonic readings (Round(0)),
// else a time that carries one (a breadcrumb's, an event's, kept as
// time.Time) would be compared by its monotonic reading alone, which the
// record clock keeps right whatever its wall time (a base whose monotonic
// clock was read late).
func (l *logWindows) check(t *testing.T, what string, at time.Time, i int) {
	t.Helper()
	const slack = time.Millisecond
	w := l.windows[i]
	if at, before, after := at.Round(0), w[0].Round(0), w[1].Round(0); at.Before(before.Add(-slack)) || at.After(after.Add(slack)) {
		t.Errorf("%s: time %s, logged between %s and %s", what, at.Format(time.RFC3339Nano), w[0].Format(time.RFC3339Nano), w[1].Format(time.RFC3339Nano))
	}
}

// TimesAreWhenLogged: each breadcrumb's timestamp, and the event's, is the
// time its record was logged: between the clock's readings just before and
// just after the log call, give or take a millisecond (how far zerolog's
// record clock may be from time.Now). So is the "logcrumbs.time" of the
// records the event sends to Sentry Logs after the fact (LogsOnEvent), and
// of the trail's breadcrumbs as Trail.Breadcrumbs converts them. The
// records are logged 5 ms apart, so that a time read late, or early, falls
// outside its window.
func testTimesAreWhenLogged(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, false, Debug, func(o *logcrumbs.Options) { o.LogsOnEvent = true })
	ctx := rec.Context(context.Background())
	l := &logWindows{log: logger.Bind(ctx)}
	l.logAt(Info, "first")
	l.logAt(Warn, "second")
	l.logAt(Info, "third")
	l.logAt(Error, "save failed", Field{"err", errors.New("disk full")})

	ev := one(t, rec)
	bs := ev.Event.Breadcrumbs
	if len(bs) != 3 {
		t.Fatalf("%d breadcrumbs, want 3", len(bs))
	}
	for i, b := range bs {
		l.check(t, "breadcrumb "+b.Message, b.Timestamp, i)
	}
	l.check(t, "event", ev.Timestamp, 3)
	logs := rec.Logs()
	if len(logs) != 4 {
		t.Fatalf("%d logs %q, want the event's 4 records", len(logs), bodies(logs))
	}
	for i, lg := range logs[:3] {
		at, err := time.Parse(time.RFC3339Nano, lg.Attributes["logcrumbs.time"].AsString())
		if err != nil {
			t.Fatalf("log %q: logcrumbs.time: %v", lg.Body, err)
		}
		l.check(t, "log "+lg.Body, at, i)
	}
	// And the trail's own breadcrumbs (Trail.Breadcrumbs), the event's
	// record kept as the last.
	trail := logcrumbs.FromContext(ctx).Breadcrumbs()
	if len(trail) != 4 {
		t.Fatalf("the trail holds %d breadcrumbs, want 4", len(trail))
	}
	for i, b := range trail {
		l.check(t, "trail's breadcrumb "+b.Message, b.Timestamp, i)
	}
}

// EscalatedTimesAreWhenLogged: TimesAreWhenLogged for records below the
// event level that EscalateIf sends as events (zerolog times those by its
// record clock, as breadcrumbs, not as events): each event's timestamp is
// its record's time, and so is the breadcrumb each leaves in the trail,
// kept in place (within the breadcrumb limits) or copied (beyond them),
// as the next event and the trail's own Breadcrumbs show them.
func testEscalatedTimesAreWhenLogged(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) {
		o.BreadcrumbLimits.MaxAttrs = 4
		o.EscalateIf = func(r logcrumbs.Record) bool { return strings.HasPrefix(r.Message(), "escalate") }
	})
	ctx := rec.Context(context.Background())
	l := &logWindows{log: logger.Bind(ctx)}
	l.logAt(Info, "first")
	l.logAt(Info, "escalate small", Field{"n", 1})
	l.logAt(Info, "third")
	l.logAt(Info, "escalate large", Field{"a", 1}, Field{"b", 2}, Field{"c", 3}, Field{"d", 4}, Field{"e", 5}, Field{"f", 6})
	l.logAt(Info, "fifth")
	l.logAt(Error, "save failed", Field{"err", errors.New("disk full")})

	evs := rec.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events %q, want 3", len(evs), messages(evs))
	}
	l.check(t, "escalated small event", evs[0].Timestamp, 1)
	l.check(t, "escalated large event", evs[1].Timestamp, 3)
	l.check(t, "error event", evs[2].Timestamp, 5)
	bs := evs[2].Event.Breadcrumbs
	if len(bs) != 5 {
		t.Fatalf("%d breadcrumbs, want 5", len(bs))
	}
	for i, b := range bs {
		l.check(t, "breadcrumb "+b.Message, b.Timestamp, i)
	}
	trail := logcrumbs.FromContext(ctx).Breadcrumbs()
	if len(trail) != 6 {
		t.Fatalf("the trail holds %d breadcrumbs, want 6", len(trail))
	}
	for i, b := range trail {
		l.check(t, "trail's breadcrumb "+b.Message, b.Timestamp, i)
	}
}

// TrailCap: a trail of 3 keeps the newest 3 records.
func testTrailCap(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	trail := logcrumbs.NewTrail(3)
	ctx := logcrumbs.Bind(logcrumbs.ContextWithTrail(context.Background(), trail), rec.Hub().Clone())
	log := logger.Bind(ctx)
	for i := range 5 {
		log.Log(Info, fmt.Sprint("step ", i))
	}
	log.Log(Error, "boom")
	if got := strings.Join(one(t, rec).BreadcrumbMessages(), ","); got != "step 2,step 3,step 4" {
		t.Errorf("breadcrumbs %s, want steps 2 to 4", got)
	}
	if trail.Dropped() != 3 { // steps 0 and 1, then 2 when the error's own breadcrumb went in
		t.Errorf("dropped %d, want 3", trail.Dropped())
	}
}

// TwoRequestsIsolated: two requests logging through one base logger,
// interleaved: each event carries its own request's records only.
func testTwoRequestsIsolated(t *testing.T, d Driver) {
	base, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.TagKeys = []string{"route"} })
	a := base.With(Field{"route", "/orders"}).Bind(rec.Context(context.Background()))
	b := base.Bind(rec.Context(context.Background()))
	a.Log(Info, "A1")
	b.Log(Info, "B1")
	a.Log(Info, "A2")
	b.Log(Error, "B failed", Field{"err", errors.New("timeout")})
	a.Log(Error, "A failed", Field{"err", errors.New("refused")})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	if got := strings.Join(evs[0].BreadcrumbMessages(), ","); got != "B1" {
		t.Errorf("B's trail %s", got)
	}
	if got := strings.Join(evs[1].BreadcrumbMessages(), ","); got != "A1,A2" {
		t.Errorf("A's trail %s", got)
	}
	if _, ok := evs[0].Tags["route"]; ok || evs[1].Tags["route"] != "/orders" {
		t.Errorf("tags B %v, A %v; want the route on A only", evs[0].Tags, evs[1].Tags)
	}
}

// ConcurrentRequestsIsolated: 64 requests through one base logger, each
// logging from 8 goroutines at once: every event carries exactly its own
// request's records, all of them (80 fit in the default trail of 100),
// each goroutine's in order.
func testConcurrentRequestsIsolated(t *testing.T, d Driver) {
	const requests, goroutines, perGoroutine = 64, 8, 10
	base, rec := newLogger(t, d, nil)
	var wg sync.WaitGroup
	for r := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := base.With(Field{"req", r}).Bind(rec.Context(context.Background()))
			var inner sync.WaitGroup
			for g := range goroutines {
				inner.Add(1)
				go func() {
					defer inner.Done()
					for i := range perGoroutine {
						log.Log(Info, "step", Field{"g", g}, Field{"i", i})
					}
				}()
			}
			inner.Wait()
			log.Log(Error, "failed", Field{"err", errors.New("boom")})
		}()
	}
	wg.Wait()
	evs := rec.Events()
	if len(evs) != requests {
		t.Fatalf("%d events, want %d", len(evs), requests)
	}
	seen := map[string]bool{}
	for _, ev := range evs {
		req := js(ev.LogContext()["req"])
		if seen[req] {
			t.Fatalf("a second event for request %s", req)
		}
		seen[req] = true
		bs := ev.Breadcrumbs()
		if len(bs) != goroutines*perGoroutine {
			t.Errorf("request %s: %d breadcrumbs, want %d", req, len(bs), goroutines*perGoroutine)
		}
		next := map[string]int{}
		for _, b := range bs {
			if got := js(b.Data["req"]); got != req {
				t.Fatalf("request %s's event carries a breadcrumb of request %s", req, got)
			}
			g, i := js(b.Data["g"]), js(b.Data["i"])
			if i != fmt.Sprint(next[g]) {
				t.Fatalf("request %s goroutine %s: breadcrumb %s out of order, want %d", req, g, i, next[g])
			}
			next[g]++
		}
	}
}

// DebugKeptWhileOutputFilters: with the output at Info, Debug records
// are not written but are in the trail.
func testDebugKeptWhileOutputFilters(t *testing.T, d Driver) {
	rec := logcrumbstest.New(t)
	var out syncBuffer
	log := d.New(t, Config{Options: rec.Options(), Out: &out, FilterDebug: true}).Bind(rec.Context(context.Background()))
	log.Log(Debug, "cache miss")
	log.Log(Info, "fetched")
	log.Log(Error, "boom")
	if got := strings.Join(one(t, rec).BreadcrumbMessages(), ","); got != "cache miss,fetched" {
		t.Errorf("breadcrumbs %s, want the debug and info records", got)
	}
	if s := out.String(); strings.Contains(s, "cache miss") || !strings.Contains(s, "fetched") || !strings.Contains(s, "boom") {
		t.Errorf("output %q, want info and error, no debug", s)
	}
}

// OutputUnchanged: the logger's own output is byte-for-byte what the bare
// logger writes, with and without a filtered Debug level, for every kind
// of field, With fields, groups, errors, and records of two requests.
func testOutputUnchanged(t *testing.T, d Driver) {
	for _, filter := range []bool{false, true} {
		t.Run(fmt.Sprint("FilterDebug=", filter), func(t *testing.T) {
			write := func(bare bool) string {
				rec := logcrumbstest.New(t)
				var out syncBuffer
				base := d.New(t, Config{Options: rec.Options(), Out: &out, FilterDebug: filter, Bare: bare})
				a := base.With(Field{"svc", "api"}).Bind(rec.Context(context.Background()))
				b := base.Bind(rec.Context(context.Background()))
				a.Log(Debug, "hidden?", Field{"k", "v"})
				a.Log(Info, "hello", append(typedKinds, Field{"g", Group{{"a", 1}, {"b", "x"}}})...)
				b.Log(Warn, "other request", Field{"password", "hunter2"}, Field{"u", "https://bob:pw@h.example/?token=t"})
				a.Log(Error, "boom", Field{"err", fmt.Errorf("save: %w", errors.New("disk full"))}, Field{"user", Group{{"id", "42"}}})
				base.Log(Error, "unbound", Field{"n", 1})
				return out.String()
			}
			without, with := write(true), write(false)
			if without != with {
				t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
			}
			if !strings.Contains(without, "hello") || !strings.Contains(without, "hunter2") || strings.Contains(without, "hidden?") == filter {
				t.Errorf("unexpected output (the driver's output is not what the suite asked): %s", without)
			}
		})
	}
}

// checkOneEvent checks that rec got one event, with message want, and that
// every error breadcrumb of ctx's trail names it.
func checkOneEvent(t *testing.T, rec *logcrumbstest.Recorder, ctx context.Context, want string, errorCrumbs int) {
	t.Helper()
	ev := one(t, rec)
	if ev.Message != want {
		t.Errorf("event %q, want %q", ev.Message, want)
	}
	n := 0
	for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		if b.Level != sentry.LevelError {
			continue
		}
		n++
		if b.Data["sentry.event_id"] != string(ev.EventID) {
			t.Errorf("breadcrumb %q names %v, want the event %s", b.Message, b.Data["sentry.event_id"], ev.EventID)
		}
	}
	if n != errorCrumbs {
		t.Errorf("%d error breadcrumbs, want %d", n, errorCrumbs)
	}
}

// CaptureOnceAcrossLayers: an error logged by the repository, wrapped with
// %w and logged by the service, then by the handler, is one event, and the
// later records are breadcrumbs that name it; another error in the same
// request, and the same error in another request, are events of their own.
func testCaptureOnceAcrossLayers(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	ctx := rec.Context(context.Background())
	log := logger.Bind(ctx)
	repo := errors.New("connection reset " + t.Name())
	svc := fmt.Errorf("svc: %w", repo)
	log.Log(Error, "repo failed", Field{"err", repo})
	log.Log(Error, "svc failed", Field{"err", svc})
	log.Log(Error, "handler failed", Field{"err", fmt.Errorf("h: %w", svc)})
	checkOneEvent(t, rec, ctx, "repo failed", 3)

	log.Log(Error, "render failed", Field{"err", errors.New("template missing")})
	evs := rec.Events()
	if len(evs) != 2 || len(evs[1].Breadcrumbs()) != 3 {
		t.Fatalf("another error: %d events, want 2, the second with the 3 earlier records", len(evs))
	}
	logger.Bind(rec.Context(context.Background())).Log(Error, "repo failed", Field{"err", repo})
	if n := len(rec.Events()); n != 3 {
		t.Errorf("the same error in another request: %d events, want 3", n)
	}
}

// JobErrorLoggedByCaller: the error RunJob returns, one the job logged
// (an event) or a panic it recovered (JobOptions.Recover), logged again by
// the caller in its unit of work, is the job's one event: capture once
// across the job's trail and the caller's. (At the top of a program, a
// context with no unit of work, only slog and logrus log into the
// fallback trail that remembers it: zap's, zerolog's and logr's
// WithContext start a trail of their own there.)
func testJobErrorLoggedByCaller(t *testing.T, d Driver) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panic=%v", panics), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			ctx := rec.Context(context.Background())
			err := logcrumbs.RunJob(ctx, "consume", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
				if panics {
					panic("boom " + t.Name())
				}
				err := errors.New("bad message " + t.Name())
				logger.Bind(ctx).Log(Error, "step failed", Field{"err", err})
				return err
			})
			if err == nil {
				t.Fatal("RunJob returned nil")
			}
			logger.Bind(ctx).Log(Error, "message failed", Field{"err", err})
			if evs := rec.Events(); len(evs) != 1 {
				t.Errorf("%d events %q, want the job's one", len(evs), messages(evs))
			}
		})
	}
}

// JobRetryLoggedByCaller: a unit of work runs a job twice (a retry), each
// run logging the same error value and returning it, each run's event
// sent; the caller logs what each run returned, wrapped: that run's event,
// no other (LastEventID of the caller names it). A job whose event
// BeforeSend drops, returning another error: the caller's log of it is no
// event, not offered again, and LastEventID stays.
func testJobRetryLoggedByCaller(t *testing.T, d Driver) {
	var offered []string
	var mu sync.Mutex
	logger, rec := newLogger(t, d, nil, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			mu.Lock()
			defer mu.Unlock()
			offered = append(offered, ev.Message)
			if ev.Tags["job"] == "dropped" {
				return nil
			}
			return ev
		}
	})
	ctx := rec.Context(context.Background())
	errSMTP := errors.New("smtp down " + t.Name())
	for i, name := range []string{"send", "send", "dropped"} {
		var jobEvent string
		err := logcrumbs.RunJob(ctx, name, logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			err := errSMTP
			if name == "dropped" {
				err = errors.New("queue full " + t.Name())
			}
			logger.Bind(ctx).Log(Error, "send failed", Field{"err", err}, Field{"try", i})
			jobEvent = string(logcrumbs.LastEventID(ctx))
			return err
		})
		before := string(logcrumbs.LastEventID(ctx))
		logger.Bind(ctx).Log(Error, "job failed", Field{"err", fmt.Errorf("try %d: %w", i, err)})
		got := string(logcrumbs.LastEventID(ctx))
		if name == "dropped" {
			if got != before {
				t.Errorf("run %d, its event dropped: caller's LastEventID %q, want it unchanged %q", i, got, before)
			}
			continue
		}
		if got != jobEvent || jobEvent == "" {
			t.Errorf("run %d: caller's LastEventID %q, want that run's event %q", i, got, jobEvent)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if evs := rec.Events(); len(evs) != 2 || len(offered) != 3 {
		t.Errorf("%d events %q, %d offered %q; want the two runs' sent, the third's alone offered more", len(evs), messages(evs), len(offered), offered)
	}
}

// fieldErrs is an error type that == cannot compare, shaped like
// validator's ValidationErrors.
type fieldErrs []string

func (e fieldErrs) Error() string { return strings.Join(e, "; ") }

// CaptureOnceIncomparableError: an error whose type is not comparable,
// wrapped and logged again, is one event; another value of the type, even
// of the same text, is another (with text errors, the same text is the
// same error, as the zerolog README says).
func testCaptureOnceIncomparableError(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	ctx := rec.Context(context.Background())
	log := logger.Bind(ctx)
	var err error = fieldErrs{"email: required " + t.Name()}
	svc := fmt.Errorf("svc: %w", err)
	log.Log(Error, "repo failed", Field{"err", err})
	log.Log(Error, "svc failed", Field{"err", svc})
	log.Log(Error, "handler failed", Field{"err", fmt.Errorf("h: %w", svc)})
	checkOneEvent(t, rec, ctx, "repo failed", 3)

	log.Log(Error, "other", Field{"err", fieldErrs{"email: required " + t.Name()}})
	want := 2
	if d.TextErrors {
		want = 1
	}
	if n := len(rec.Events()); n != want {
		t.Errorf("another value of the same text: %d events, want %d", n, want)
	}
	logger.Bind(rec.Context(context.Background())).Log(Error, "another request", Field{"err", svc})
	if n := len(rec.Events()); n != want+1 {
		t.Errorf("the same error in another request: %d events, want %d", n, want+1)
	}
}

// CaptureOnceWithHandCapture: an error captured by hand through the unit
// of work's hub and then logged wrapped by an upper layer is one event, the
// hand-captured one; logged first and captured by hand after, one event,
// the logged one.
func testCaptureOnceWithHandCapture(t *testing.T, d Driver) {
	// With TextErrors the logged error is its text alone: capture-once
	// matches it to the hand-captured error by text (buffer.TextOnly).
	t.Run("captured then logged", func(t *testing.T) {
		logger, rec := newLogger(t, d, nil)
		ctx := rec.Context(context.Background())
		err := errors.New("disk full " + t.Name())
		sentry.GetHubFromContext(ctx).CaptureException(err)
		logger.Bind(ctx).Log(Error, "save failed", Field{"err", fmt.Errorf("save: %w", err)})
		if evs := rec.Events(); len(evs) != 1 || evs[0].Message != "" {
			t.Errorf("events %q, want the hand-captured one only", messages(evs))
		}
	})
	t.Run("logged then captured", func(t *testing.T) {
		logger, rec := newLogger(t, d, nil)
		ctx := rec.Context(context.Background())
		err := errors.New("disk full " + t.Name())
		logger.Bind(ctx).Log(Error, "write failed", Field{"err", err})
		sentry.GetHubFromContext(ctx).CaptureException(fmt.Errorf("save: %w", err))
		if evs := rec.Events(); len(evs) != 1 || evs[0].Message != "write failed" {
			t.Errorf("events %q, want the logged one only", messages(evs))
		}
	})
}

// LastEventID: logcrumbs.LastEventID of a unit of work is the event its
// logged error became, stays that event when an upper layer logs the error
// again (capture-once), follows a hand capture through the unit's hub and
// the next logged error; a breadcrumb changes nothing; another unit whose
// error deduplication folds into the first event gets that event's ID.
func testLastEventID(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	ctx := rec.Context(context.Background())
	log := logger.Bind(ctx)
	last := func() sentry.EventID { return logcrumbs.LastEventID(ctx) }
	log.Log(Info, "step")
	if got := last(); got != "" {
		t.Errorf("before any event: %q", got)
	}
	err := errors.New("card declined " + t.Name())
	log.Log(Error, "charge failed", Field{"err", err})
	first := one(t, rec).EventID
	log.Log(Error, "checkout failed", Field{"err", fmt.Errorf("checkout: %w", err)})
	log.Log(Info, "step")
	if got := last(); got != first || first == "" || len(rec.Events()) != 1 {
		t.Errorf("after an error logged twice: %q, want the one event's %q", got, first)
	}
	hand := sentry.GetHubFromContext(ctx).CaptureMessage("by hand")
	if got := last(); hand == nil || got != *hand {
		t.Errorf("after a hand capture: %q, want %v", got, hand)
	}
	log.Log(Error, "render failed", Field{"err", errors.New("template missing " + t.Name())})
	if evs := rec.Events(); len(evs) != 3 || last() != evs[2].EventID {
		t.Errorf("after another error: %q, events %q", last(), messages(evs))
	}

	// Dedupe: the driver's Log is one call site, the error type is the same.
	logger, rec = newLogger(t, d, func(o *logcrumbs.Options) { o.DedupeWindow = time.Minute })
	a, b := rec.Context(context.Background()), rec.Context(context.Background())
	logger.Bind(a).Log(Error, "query failed", Field{"err", errors.New("deadlock " + t.Name())})
	logger.Bind(b).Log(Error, "query failed", Field{"err", errors.New("deadlock " + t.Name())})
	ev := one(t, rec)
	if ga, gb := logcrumbs.LastEventID(a), logcrumbs.LastEventID(b); ga != ev.EventID || gb != ev.EventID {
		t.Errorf("dedupe: LastEventID %q and %q, want both %q", ga, gb, ev.EventID)
	}
}

// LastEventIDNotADroppedEvent: an event the client dropped (BeforeSend) was
// never sent, so a record folded into it is no reference either: the error
// logged again by an upper layer (capture-once), the same error captured by
// hand through the unit's hub, and another unit's record of the same
// fingerprint (dedupe) leave LastEventID empty, and capture-once and dedupe
// still send nothing more.
func testLastEventIDNotADroppedEvent(t *testing.T, d Driver) {
	var offered int
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.DedupeWindow = time.Minute },
		func(o *sentry.ClientOptions) {
			o.BeforeSend = func(*sentry.Event, *sentry.EventHint) *sentry.Event { offered++; return nil }
		})
	ctx := rec.Context(context.Background())
	err := errors.New("card declined " + t.Name())
	logger.Bind(ctx).Log(Error, "charge failed", Field{"err", err})
	logger.Bind(ctx).Log(Error, "checkout failed", Field{"err", fmt.Errorf("checkout: %w", err)})
	if got := logcrumbs.LastEventID(ctx); got != "" {
		t.Errorf("capture-once into a dropped event: LastEventID %q, want empty", got)
	}
	sentry.GetHubFromContext(ctx).CaptureException(err)
	if got := logcrumbs.LastEventID(ctx); got != "" {
		t.Errorf("hand capture of a dropped event's error: LastEventID %q, want empty", got)
	}
	other := rec.Context(context.Background())
	logger.Bind(other).Log(Error, "charge failed", Field{"err", errors.New("card declined " + t.Name())})
	if got := logcrumbs.LastEventID(other); got != "" {
		t.Errorf("dedupe into a dropped event: LastEventID %q, want empty", got)
	}
	if offered != 1 || len(rec.Events()) != 0 {
		t.Errorf("BeforeSend offered %d events (want 1: capture-once and dedupe hold), %d sent", offered, len(rec.Events()))
	}
}

// LastEventIDNotAPanickedEvent: an event whose BeforeSend panics (logcrumbs
// recovers) was never sent either, as LastEventIDNotADroppedEvent's: the
// error logged again (capture-once) leaves LastEventID empty, its
// breadcrumb names no event (sentry.event_id), and nothing more is sent.
func testLastEventIDNotAPanickedEvent(t *testing.T, d Driver) {
	var offered int
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.DedupeWindow = time.Minute },
		func(o *sentry.ClientOptions) {
			o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
				offered++
				panic("BeforeSend " + t.Name())
			}
		})
	ctx := rec.Context(context.Background())
	err := errors.New("card declined " + t.Name())
	for range 3 {
		logger.Bind(ctx).Log(Error, "charge failed", Field{"err", err})
	}
	logger.Bind(ctx).Log(Error, "checkout failed", Field{"err", fmt.Errorf("checkout: %w", err)})
	if got := logcrumbs.LastEventID(ctx); got != "" {
		t.Errorf("capture-once into a panicked event: LastEventID %q, want empty", got)
	}
	for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		if id, ok := b.Data["sentry.event_id"]; ok {
			t.Errorf("breadcrumb %q names event %v, never sent", b.Message, id)
		}
	}
	if offered != 1 || len(rec.Events()) != 0 {
		t.Errorf("BeforeSend offered %d events (want 1: capture-once holds), %d sent", offered, len(rec.Events()))
	}
}

// EventContents: tags (a With field and a dotted path into a group), the
// user group as the event's user (and not in the log context), the
// fingerprint key's value as the fingerprint, every field in the log
// context.
func testEventContents(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) {
		o.TagKeys = []string{"route", "http.status", "missing"}
		o.FingerprintKey = "fp"
	})
	log := logger.With(Field{"route", "/users/:id"}).Bind(rec.Context(context.Background()))
	log.Log(Error, "save failed", Field{"err", fmt.Errorf("save: %w", errors.New("disk full"))},
		Field{"http", Group{{"status", 500}, {"method", "GET"}}},
		Field{"user", Group{{"id", "42"}, {"email", "a@example.com"}}},
		Field{"fp", "users-timeout"})
	ev := one(t, rec)
	if ev.Tags["route"] != "/users/:id" || ev.Tags["http.status"] != "500" || len(ev.Tags) != 2 {
		t.Errorf("tags %v, want route and http.status", ev.Tags)
	}
	lc := ev.LogContext()
	if lc["route"] != "/users/:id" || js(lc["http"]) != `{"method":"GET","status":500}` || lc["fp"] != "users-timeout" {
		t.Errorf("log context %s", js(lc))
	}
	if _, ok := lc["user"]; ok {
		t.Errorf("the user group is in the log context too: %s", js(lc))
	}
	if ev.User.ID != "42" || ev.User.Email != "" {
		t.Errorf("user %+v, want id 42 and no email (the client does not collect user info)", ev.User)
	}
	if len(ev.Fingerprint) != 1 || ev.Fingerprint[0] != "users-timeout" {
		t.Errorf("fingerprint %v", ev.Fingerprint)
	}
	checkChain(t, d, ev)
}

// TagValuesOnOneLine: Sentry drops a tag whose value holds a newline; a
// TagKeys value of several lines is sent as one, its line breaks spaces,
// and the log context keeps it whole.
func testTagValuesOnOneLine(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.TagKeys = []string{"query"} })
	const query = "SELECT *\r\nFROM t\nWHERE x"
	logger.Bind(rec.Context(context.Background())).Log(Error, "slow query", Field{"query", query})
	ev := one(t, rec)
	if got, want := ev.Tags["query"], "SELECT *  FROM t WHERE x"; got != want {
		t.Errorf("tag query = %q, want %q", got, want)
	}
	if got := ev.LogContext()["query"]; got != query {
		t.Errorf("log context query = %q, want the value whole", got)
	}
}

// MessageEvent: an error record without an error is a message event with
// a stack trace from the caller; with RequireError it stays an error
// breadcrumb.
func testMessageEvent(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	logger.Bind(rec.Context(context.Background())).Log(Error, "quota exceeded", Field{"tenant", "acme"})
	ev := one(t, rec)
	if len(ev.Exception) != 0 || ev.Message != "quota exceeded" {
		t.Fatalf("exceptions %v message %q, want a message event", ev.Exception, ev.Message)
	}
	if len(ev.Threads) != 1 || ev.Threads[0].Stacktrace == nil || len(ev.Threads[0].Stacktrace.Frames) == 0 {
		t.Fatal("the message event carries no stack trace")
	}
	checkTopFrame(t, ev.Threads[0].Stacktrace)

	strict, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.RequireError = true })
	ctx := rec.Context(context.Background())
	strict.Bind(ctx).Log(Error, "quota exceeded")
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("RequireError: %d events for a record without an error", n)
	}
	if bs := logcrumbs.FromContext(ctx).Breadcrumbs(); len(bs) != 1 || bs[0].Level != sentry.LevelError {
		t.Errorf("the record is not kept as an error breadcrumb: %+v", bs)
	}
}

// SecretKeysScrubbed: values of secret-named keys, at the top, in groups,
// and in the user's own SecretKeys, and of keys longer than a record keeps
// whose secret name is past the cut, are [Filtered] in breadcrumbs and in
// the event; other values are sent as logged.
func testSecretKeysScrubbed(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) {
		o.SecretKeys = append(logcrumbs.DefaultSecretKeys(), "ssn")
	})
	log := logger.With(Field{"api_key", "k-with"}).Bind(rec.Context(context.Background()))
	fields := []Field{{"password", "hunter2"}, {"conn", Group{{"token", "tok-1"}, {"db", "orders"}}},
		{"Authorization", "Bearer abc"}, {"ssn", "ssn-9"}, {"page", 2},
		// A key longer than a record keeps, its secret's name past the cut.
		{strings.Repeat("x", 130) + "_password", "long-secret-9"}}
	log.Log(Info, "calling", fields...)
	log.Log(Error, "call failed", append(fields, Field{"err", errors.New("x")})...)
	ev := one(t, rec)
	for what, v := range map[string]any{"breadcrumb": ev.Breadcrumbs()[0].Data, "log context": ev.LogContext()} {
		got := js(v)
		for _, s := range []string{"hunter2", "tok-1", "Bearer abc", "ssn-9", "k-with", "long-secret-9"} {
			if strings.Contains(got, s) {
				t.Errorf("%s: secret %q sent: %s", what, s, got)
			}
		}
		for _, s := range []string{`"password":"[Filtered]"`, `"token":"[Filtered]"`, `"db":"orders"`, `"page":2`, `"ssn":"[Filtered]"`} {
			if !strings.Contains(got, s) {
				t.Errorf("%s: %s missing from %s", what, s, got)
			}
		}
	}
}

// URLSecretsScrubbed: URLs logged under innocent keys (as strings, a
// fmt.Stringer such as *url.URL, inside a group, inside longer text) lose
// their userinfo passwords and the values of secret-named query and
// fragment parameters (the defaults and the user's own SecretKeys) in the
// event's attributes, its breadcrumbs, its tags and Sentry Logs; the rest
// of each URL is sent as logged.
func testURLSecretsScrubbed(t *testing.T, d Driver) {
	var mu sync.Mutex
	var logs []*sentry.Log
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) {
		o.PassThroughLevel = sentry.LevelInfo
		o.TagKeys = []string{"target"}
		o.SecretKeys = append(logcrumbs.DefaultSecretKeys(), "ssn")
	}, func(o *sentry.ClientOptions) {
		o.BeforeSendLog = func(l *sentry.Log) *sentry.Log {
			mu.Lock()
			logs = append(logs, l)
			mu.Unlock()
			return l
		}
	})
	ptr := stringURL("https://alice:pw-ptr@ptr.example/p?api_key=k-ptr&x=1")
	fields := []Field{
		{"target", "https://bob:hunter2@api.example.com/v1/items?token=tok-1&page=2"},
		{"link", ptr},
		{"db", Group{{"url", "https://db.example/x?password=pw-nested"}}},
		{"note", "fetching https://carol:cpw@h.example/o?X-Amz-Signature=amz-sig then"},
		{"frag", "https://app.example/cb#access_token=frag-tok&state=s1"},
		{"own", "https://h.example/?SSN=ssn-9"},
	}
	secrets := []string{"hunter2", "tok-1", "pw-ptr", "k-ptr", "pw-nested", "cpw", "amz-sig", "frag-tok", "ssn-9"}
	kept := []string{
		"https://bob:[Filtered]@api.example.com/v1/items?token=[Filtered]&page=2",
		"https://alice:[Filtered]@ptr.example/p?api_key=[Filtered]&x=1",
		"https://db.example/x?password=[Filtered]",
		"fetching https://carol:[Filtered]@h.example/o?X-Amz-Signature=[Filtered] then",
		"https://app.example/cb#access_token=[Filtered]&state=s1",
		"https://h.example/?SSN=[Filtered]",
	}
	log := logger.Bind(rec.Context(context.Background()))
	for range 2 { // a breadcrumb and an event; then Sentry Logs (pass-through) and a breadcrumb
		log.Log(Info, "calling", fields...)
		log.Log(Error, "call failed", append(fields, Field{"err", errors.New("failed " + t.Name())})...)
	}
	rec.Hub().Flush(time.Second)
	ev := rec.Events()[0]
	mu.Lock()
	defer mu.Unlock()
	if len(logs) == 0 || len(ev.Breadcrumbs()) == 0 {
		t.Fatalf("%d logs, %d breadcrumbs: want both", len(logs), len(ev.Breadcrumbs()))
	}
	for what, v := range map[string]any{
		"log context": ev.LogContext(), "breadcrumb": ev.Breadcrumbs()[0].Data,
		"tags": ev.Tags, "Sentry Logs": logs[0].Attributes,
	} {
		got := js(v)
		for _, s := range secrets {
			if strings.Contains(got, s) {
				t.Errorf("%s: secret %q sent: %s", what, s, got)
			}
		}
		want := kept
		if what == "tags" {
			want = kept[:1]
		}
		for _, s := range want {
			if !strings.Contains(got, s) {
				t.Errorf("%s: %q missing from %s", what, s, got)
			}
		}
	}
}

// stringURL is a fmt.Stringer holding a URL, as *url.URL is.
type stringURL string

func (u stringURL) String() string { return string(u) }

// nilErr is an error type whose Error panics on a nil receiver.
type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg }

// NilErrors: a nil error and a typed nil error (a nil *T in an error) are
// no exceptions; the records are still events, and nothing panics.
func testNilErrors(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	var typedNil *nilErr
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Error, "nil error", Field{"err", error(nil)})
	log.Log(Error, "typed nil", Field{"err", error(typedNil)})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events %q, want 2 message events", len(evs), messages(evs))
	}
	for _, ev := range evs {
		if len(ev.Exception) != 0 {
			t.Errorf("%q: exception %+v from a nil error", ev.Message, ev.Exception)
		}
	}
}

// BadValues: a huge message and huge values are cut, with "…", to the
// documented limits (1 KiB a breadcrumb value, 16 KiB an event value);
// invalid UTF-8 in values and keys is repaired; NaN and infinities are
// kept; the event encodes as JSON.
func testBadValues(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background()))
	huge := strings.Repeat("é", 1<<20)
	log.Log(Info, huge, Field{"big", huge}, Field{"utf8", "bad \xff\xfe bytes"}, Field{"bad\xffkey", 1},
		Field{"nan", math.NaN()}, Field{"inf", math.Inf(-1)}, Field{"after", "kept"})
	log.Log(Error, "huge "+huge, Field{"big", huge})
	ev := one(t, rec)
	const crumbValue, eventValue = 1 << 10, 16 << 10
	b := ev.Breadcrumbs()[0]
	if len(b.Message) > crumbValue+len("…") || !strings.HasSuffix(b.Message, "…") || !utf8.ValidString(b.Message) {
		t.Errorf("breadcrumb message is %d bytes, not cut", len(b.Message))
	}
	if s, _ := b.Data["big"].(string); len(s) > crumbValue+len("…") || !strings.HasSuffix(s, "…") || !utf8.ValidString(s) {
		t.Errorf("breadcrumb value is %d bytes, not cut", len(s))
	}
	if s, _ := b.Data["utf8"].(string); !utf8.ValidString(s) || !strings.HasPrefix(s, "bad ") || !strings.HasSuffix(s, " bytes") {
		t.Errorf("invalid UTF-8 = %q", b.Data["utf8"])
	}
	for k := range b.Data {
		if !utf8.ValidString(k) {
			t.Errorf("invalid UTF-8 key %q kept", k)
		}
	}
	if b.Data["after"] != "kept" || b.Data["nan"] == nil || b.Data["inf"] == nil {
		t.Errorf("fields lost: %s", js(b.Data))
	}
	if len(ev.Message) > eventValue+len("…") || !strings.HasSuffix(ev.Message, "…") {
		t.Errorf("event message is %d bytes, not cut", len(ev.Message))
	}
	if s, _ := ev.LogContext()["big"].(string); len(s) > eventValue+len("…") || len(s) < eventValue/2 {
		t.Errorf("event value is %d bytes", len(s))
	}
	if _, err := json.Marshal(ev.Event); err != nil {
		t.Errorf("the event does not encode: %v", err)
	}
}

type panicStringer struct{}

func (panicStringer) String() string { panic("stringer exploded") }

type panicError struct{}

func (panicError) Error() string { panic("error exploded") }

// PanickingUserMethods: a String or Error method that panics is recovered
// and shown as "!PANIC in <type>.<method>: <value>"; the record and the
// fields after it are kept, and a panicking error is still the event's
// exception, typed, with the stack of the log call. (Not for loggers that
// call these methods themselves, before logcrumbs sees the record.)
func testPanickingUserMethods(t *testing.T, d Driver) {
	if d.UserPanicsReachCaller {
		t.Skip("the logger calls String and Error itself, before logcrumbs sees the record")
	}
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "survives", Field{"str", panicStringer{}}, Field{"error", panicError{}}, Field{"after", "kept"})
	log.Log(Error, "failed", Field{"err", panicError{}})
	ev := one(t, rec)
	data := ev.Breadcrumbs()[0].Data
	for key, want := range map[string]string{
		"str":   "!PANIC in conformance.panicStringer.String: stringer exploded",
		"error": "!PANIC in conformance.panicError.Error: error exploded",
		"after": "kept",
	} {
		if got, _ := data[key].(string); got != want {
			t.Errorf("%s = %q, want %q", key, data[key], want)
		}
	}
	if ex := ev.Exceptions(); len(ex) != 1 || ex[0].Type != "conformance.panicError" {
		t.Fatalf("exceptions %+v, want the panicking error, typed", ex)
	}
	if st := ev.Exception[0].Stacktrace; st == nil || len(st.Frames) == 0 {
		t.Error("the panicking error's exception has no stack trace")
	} else {
		checkTopFrame(t, st) // not runtime.gopanic: where the record was logged
	}
}

// PanickingErrorBesideAnother: an error field whose Error method panics,
// logged beside the record's real error, is shown as "!PANIC ..." and
// leaves the real error's exception chain as it is without it: one bad
// value does not replace what the event says of the error that was logged.
func testPanickingErrorBesideAnother(t *testing.T, d Driver) {
	if d.UserPanicsReachCaller {
		t.Skip("the logger calls Error itself, before logcrumbs sees the record")
	}
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Error, "failed", Field{"err", fmt.Errorf("save: %w", errors.New("disk full"))}, Field{"bad", panicError{}})
	ev := one(t, rec)
	if got, want := ev.LogContext()["bad"], "!PANIC in conformance.panicError.Error: error exploded"; got != want {
		t.Errorf("bad = %q, want %q", got, want)
	}
	checkChain(t, d, ev)
}

type unwrapPanics struct{}

func (unwrapPanics) Error() string { return "quota exceeded" }
func (unwrapPanics) Unwrap() error { panic("Unwrap exploded") }

type causePanics struct{}

func (causePanics) Error() string { return "upstream refused" }
func (causePanics) Cause() error  { panic("Cause exploded") }

type unwrapManyPanics struct{}

func (unwrapManyPanics) Error() string   { return "batch failed" }
func (unwrapManyPanics) Unwrap() []error { panic("Unwrap exploded") }

// PanickingUnwrapKeepsTheChain: an error whose Unwrap (or Cause) panics,
// but whose Error reads, is an event with the chain as far as it can be
// read, every text in it, as capture-once reads it (its chain ends at that
// error), the outermost exception with the log call's stack; on a3782d4
// the whole chain was one exception saying that reading the error
// panicked. A logger that sees only an error's text sees that text.
func testPanickingUnwrapKeepsTheChain(t *testing.T, d Driver) {
	for _, tc := range []struct {
		err  error
		want []string // outermost last, as Sentry orders them
	}{
		// The outer texts name the driver: zerolog's adapter finds an
		// error by its text among those it saw recently, and another
		// driver's run of this case (with the real error) would answer a
		// driver that sees only the text, depending on what ran between.
		{fmt.Errorf("charge card (%s): %w", d.Name, unwrapPanics{}), []string{"quota exceeded", "charge card (" + d.Name + "): quota exceeded"}},
		{fmt.Errorf("sync (%s): %w", d.Name, causePanics{}), []string{"upstream refused", "sync (" + d.Name + "): upstream refused"}},
		{fmt.Errorf("import (%s): %w", d.Name, unwrapManyPanics{}), []string{"batch failed", "import (" + d.Name + "): batch failed"}},
	} {
		t.Run(tc.want[0], func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			logger.Bind(rec.Context(context.Background())).Log(Error, "failed", Field{"err", tc.err})
			ev := one(t, rec)
			want := tc.want
			if d.TextErrors {
				want = want[1:]
			}
			var got []string
			for _, e := range ev.Exception {
				got = append(got, e.Value)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("exception values %q, want %q", got, want)
			}
			if n := len(ev.Exception); n == 0 || ev.Exception[n-1].Stacktrace == nil || len(ev.Exception[n-1].Stacktrace.Frames) == 0 {
				t.Fatal("the outermost exception has no stack trace")
			}
			checkTopFrame(t, ev.Exception[len(ev.Exception)-1].Stacktrace)
		})
	}
}

// RunAllocs runs the allocation case for d, apart from Run so that a
// test named for it (TestConformanceAllocs) is picked by scripts/test's
// second run without -race (-run Alloc).
func RunAllocs(t *testing.T, d Driver) {
	t.Helper()
	t.Run("BreadcrumbAllocatesNothing", func(t *testing.T) { testBreadcrumbAllocatesNothing(t, d) })
	t.Run("LogsAllocsAsSentryGo", func(t *testing.T) { testLogsAllocsAsSentryGo(t, d) })
}

// LogsAllocsAsSentryGo: with the Logs level at Info, an info record sent
// to Sentry Logs allocates at most 4 times more than sentry-go's own log
// API does for the same log (the same typed attributes, the same client
// and context), beyond what the bare logger allocates for the call and
// any hook (Driver.HookAllocs). slog, zap, logr and logrus pay 2: one copy
// of the record's text, which the log's strings share, and the hub of the
// unit of work on the context (a context.WithValue); zerolog's hook and
// writer 4 (2 in the integration's own path). Building a data map first,
// as SendLog did, cost 8 more for slog and zap. BeforeSendLog drops the
// logs, so that sentry-go's batching, the same for both, does not blur the
// counts. Skipped under -race.
func testLogsAllocsAsSentryGo(t *testing.T, d Driver) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	drop := func(o *sentry.ClientOptions) {
		o.BeforeSendLog = func(*sentry.Log) *sentry.Log { return nil }
	}
	fields := []Field{{"path", "/users/42"}, {"status", 200}, {"took", 3 * time.Millisecond}, {"cached", false}}
	measure := func(f func()) float64 {
		for range 2 * logcrumbs.DefaultCapacity {
			f()
		}
		return testing.AllocsPerRun(1000, f)
	}
	bareLog := d.New(t, Config{Options: logcrumbstest.New(t).Options(), Bare: true}).
		With(Field{"svc", "api"}).Bind(context.Background())
	bare := measure(func() { bareLog.Log(Info, "request served", fields...) })

	rec := logcrumbstest.New(t, drop)
	ctx := rec.Context(context.Background())
	log := d.New(t, Config{Options: rec.Options(), Logs: true, LogsLevel: Info}).
		With(Field{"svc", "api"}).Bind(ctx)
	got := measure(func() { log.Log(Info, "request served", fields...) })

	own := logcrumbstest.New(t, drop)
	ownCtx := own.Context(context.Background())
	logger := sentry.NewLogger(ownCtx)
	base := measure(func() {
		logger.Info().WithCtx(ownCtx).String("logcrumbs.logger", d.Category).String("svc", "api").
			String("path", "/users/42").Int64("status", 200).String("took", (3*time.Millisecond).String()).
			Bool("cached", false).Emit("request served")
	})
	t.Logf("a record sent to Sentry Logs allocates %.1f times, sentry-go's own log %.1f, the bare logger %.1f (+%.1f for any hook)", got, base, bare, d.HookAllocs)
	if got > base+bare+d.HookAllocs+4 {
		t.Errorf("a record sent to Sentry Logs allocates %.1f times, want at most %.1f: sentry-go's own log %.1f, the bare logger %.1f (+%.1f for any hook), +4",
			got, base+bare+d.HookAllocs+4, base, bare, d.HookAllocs)
	}
}

// BreadcrumbAllocatesNothing: keeping a breadcrumb through a bound logger
// with With fields adds no allocation to what the bare logger does for the
// same call (nothing, for slog and zerolog; zap's own one), beyond what the
// logger allocates to call any hook (Driver.HookAllocs). Skipped under
// -race, which makes sync.Pool drop items on purpose.
func testBreadcrumbAllocatesNothing(t *testing.T, d Driver) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	fields := []Field{{"path", "/users/42"}, {"status", 200}, {"took", 3 * time.Millisecond}, {"cached", false},
		{"note", "needs \"escaping\"\n"}}
	allocs := func(bare, standalone bool) float64 {
		rec := logcrumbstest.New(t)
		out := io.Writer(io.Discard)
		if standalone {
			out = nil
		}
		log := d.New(t, Config{Options: rec.Options(), Out: out, Bare: bare}).
			With(Field{"svc", "api"}).Bind(rec.Context(context.Background()))
		logOnce := func() { log.Log(Info, "request served", fields...) }
		for range 2 * logcrumbs.DefaultCapacity {
			logOnce()
		}
		return testing.AllocsPerRun(1000, logOnce)
	}
	bare := allocs(true, false)
	t.Logf("the bare logger allocates %.1f times per record, %.1f more with any hook", bare, d.HookAllocs)
	if got := allocs(false, false); got > bare+d.HookAllocs {
		t.Errorf("a breadcrumb allocates %.1f times per record, the bare logger %.1f (+%.1f for any hook)", got, bare, d.HookAllocs)
	}
	if got := allocs(false, true); got > bare+d.HookAllocs {
		t.Errorf("a breadcrumb without output allocates %.1f times per record, the bare logger %.1f (+%.1f for any hook)", got, bare, d.HookAllocs)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
