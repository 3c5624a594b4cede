package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestPassThroughNotOnTheFallbackTrail: Options.PassThroughLevel makes "a
// unit of work" talkative once it has sent an event. Records logged
// without one share the process-wide fallback trail, which is no unit
// (LogsOnEvent sends nothing of it either): an event sent from it must not
// make every later record of the process that has no unit of work, from
// any goroutine, a Sentry Log for the rest of the process's life.
func TestPassThroughNotOnTheFallbackTrail(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.PassThroughLevel = sentry.LevelInfo
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	logger.Error("cache refresh failed", "err", errors.New("timeout")) // no unit: the fallback trail
	logger.Info("cache warmed")                                        // another goroutine's, maybe
	ctx := rec.Context(context.Background())
	logger.ErrorContext(ctx, "checkout failed", "err", errors.New("card declined"))
	logger.InfoContext(ctx, "retrying")
	var bodies []string
	for _, l := range rec.Logs() {
		bodies = append(bodies, l.Body)
	}
	if len(rec.Events()) != 2 || len(bodies) != 1 || bodies[0] != "retrying" {
		t.Errorf("%d events, Sentry Logs %q; want 2 events and the unit's record after its event only, [\"retrying\"]", len(rec.Events()), bodies)
	}
}

// TestDefaultLimits: the zero Options bound a breadcrumb to 64 attributes
// (a group counting two besides its members), 1 KiB per text value and
// 4 KiB per record, and an event's record to 512 attributes and 16 KiB per
// text value (the message too); an exception's text is cut at 4 KiB; cut
// text ends with "…", dropped attributes are counted in
// "logcrumbs.dropped_attrs" (Options.BreadcrumbLimits, EventLimits, Limits).
func TestDefaultLimits(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	attrs := func(n int) []any {
		var args []any
		for i := range n {
			args = append(args, fmt.Sprintf("k%03d", i), i)
		}
		return args
	}
	logger.InfoContext(ctx, "many", attrs(70)...)
	logger.InfoContext(ctx, "long", "v", strings.Repeat("x", 2000))
	var groups []any
	for i := range 30 {
		groups = append(groups, slog.Group(fmt.Sprintf("g%02d", i), "a", 1))
	}
	logger.InfoContext(ctx, "groups", groups...)
	var big []any
	for i := range 10 {
		big = append(big, fmt.Sprintf("b%d", i), strings.Repeat("y", 1000))
	}
	logger.InfoContext(ctx, "big", big...)
	logger.ErrorContext(ctx, strings.Repeat("m", 20000), append(attrs(600), "v", strings.Repeat("x", 20000))...)
	logger.ErrorContext(ctx, "few", "v", strings.Repeat("x", 20000), "err", errors.New(strings.Repeat("e", 10000)))

	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	crumbs := evs[0].Breadcrumbs()
	if len(crumbs) != 4 {
		t.Fatalf("%d breadcrumbs, want 4", len(crumbs))
	}
	cut := func(s any, n int) bool {
		v, _ := s.(string)
		return len(v) == n && strings.HasSuffix(v, "…")
	}
	if d := crumbs[0].Data; len(d) != 65 || fmt.Sprint(d["logcrumbs.dropped_attrs"]) != "6" {
		t.Errorf("70 attributes kept as %d data entries, dropped_attrs %v; want 64 and 6", len(d), d["logcrumbs.dropped_attrs"])
	}
	if v := crumbs[1].Data["v"]; !cut(v, 1024) {
		t.Errorf("a 2,000-byte value kept as %d bytes; want 1 KiB ending in …", len(fmt.Sprint(v)))
	}
	if d := crumbs[2].Data; len(d) != 22 || fmt.Sprint(d["logcrumbs.dropped_attrs"]) != "9" {
		t.Errorf("30 groups of one kept as %d data entries, dropped_attrs %v; want 21 (3 attributes each) and 9", len(d), d["logcrumbs.dropped_attrs"])
	}
	size := len(crumbs[3].Message)
	for k, v := range crumbs[3].Data {
		if s, ok := v.(string); ok {
			size += len(k) + len(s)
		}
	}
	if size > 4096 || size < 4000 {
		t.Errorf("10 values of 1,000 bytes kept as %d bytes of text; want at most 4 KiB, and nearly that", size)
	}
	lc := evs[0].LogContext()
	if len(evs[0].Message) != 16<<10 || len(lc) != 514 || fmt.Sprint(lc["logcrumbs.dropped_attrs"]) != "89" || lc["logcrumbs.truncated"] != true {
		t.Errorf("event: message of %d bytes, %d log entries, dropped_attrs %v, truncated %v; want 16 KiB, 512 (and the two counts), 89 and true",
			len(evs[0].Message), len(lc), lc["logcrumbs.dropped_attrs"], lc["logcrumbs.truncated"])
	}
	if v := evs[1].LogContext()["v"]; !cut(v, 16<<10) {
		t.Errorf("event: a 20,000-byte value kept as %d bytes; want 16 KiB ending in …", len(fmt.Sprint(v)))
	}
	if ex := evs[1].Exceptions(); len(ex) != 1 || len(ex[0].Value) != 4<<10 {
		t.Errorf("event: exceptions %d, the first's text %d bytes; want one of 4 KiB", len(ex), len(ex[0].Value))
	}
}

// TestTagValuesCut: "Tag values are cut to Sentry's 200 characters", and a
// tag reads the attributes as the user gate leaves them.
func TestTagValuesCut(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.TagKeys = []string{"query", "name", "http.route", "app.user.email"}
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	logger.ErrorContext(rec.Context(context.Background()), "slow query", "query", strings.Repeat("q", 300), "name", strings.Repeat("é", 300),
		slog.Group("http", "route", "/cart"), slog.Group("app", slog.Group("user", "email", "a@example.com")))
	tags := rec.OnlyEvent().Tags
	for _, k := range []string{"query", "name"} {
		if v := tags[k]; utf8.RuneCountInString(v) != 200 || !strings.HasSuffix(v, "…") {
			t.Errorf("a 300-character tag value kept as %d characters (%d bytes); want 200, the last one …", utf8.RuneCountInString(v), len(v))
		}
	}
	if tags["http.route"] != "/cart" {
		t.Errorf("tag http.route = %q, want /cart", tags["http.route"])
	}
	if v, ok := tags["app.user.email"]; ok {
		t.Errorf("tag app.user.email = %q without user info; want none", v)
	}
}

// TestUserKeyDashFillsNoUser: UserKey "-" means no group fills the event's
// user; the "user" group stays in the log context (gated, without user
// info, to its id).
func TestUserKeyDashFillsNoUser(t *testing.T) {
	for _, pii := range []bool{false, true} {
		rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
			o.DataCollection = &sentry.DataCollection{UserInfo: sentry.Set(pii)}
		})
		opts := rec.Options()
		opts.UserKey = "-"
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
		logger.ErrorContext(rec.Context(context.Background()), "denied", slog.Group("user", "id", "7", "email", "a@example.com"))
		ev := rec.OnlyEvent()
		user, _ := ev.LogContext()["user"].(map[string]any)
		want := map[bool]int{false: 1, true: 2}[pii]
		if !ev.User.IsEmpty() || len(user) != want || user["id"] != "7" {
			t.Errorf("UserInfo %v: User %+v, log context user %v; want no User and the group, with %d entries", pii, ev.User, user, want)
		}
	}
}

// TestNoClientKeepsAnErrorBreadcrumb: "When the hub has no client, nothing
// is sent: the record is kept in the trail as an error-level breadcrumb
// instead", counted nowhere ("not at all when no Sentry client is
// enabled") and naming no event.
func TestNoClientKeepsAnErrorBreadcrumb(t *testing.T) {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: sentry.NewHub(nil, sentry.NewScope())}}))
	ctx := logcrumbs.NewContext(context.Background())
	before := logcrumbs.Stats()
	logger.ErrorContext(ctx, "checkout failed", "err", errors.New("card declined"))
	after := logcrumbs.Stats()
	crumbs := logcrumbs.FromContext(ctx).Breadcrumbs()
	if len(crumbs) != 1 || crumbs[0].Level != sentry.LevelError || crumbs[0].Message != "checkout failed" {
		t.Errorf("breadcrumbs %+v; want the record, at error level", crumbs)
	}
	if n := after.EventsSent + after.EventsFailed + after.EventsDeduplicated + after.EventsRateLimited -
		(before.EventsSent + before.EventsFailed + before.EventsDeduplicated + before.EventsRateLimited); n != 0 {
		t.Errorf("%d events counted; want none", n)
	}
	if id := logcrumbs.LastEventID(ctx); id != "" {
		t.Errorf("LastEventID %q; want none", id)
	}
}

// TestRateLimitDefault: the rate limit is 10 events a second with a burst
// of 100 (SetRateLimit; README "Noise"); setting it refills every bucket;
// a rate of zero removes it.
func TestRateLimitDefault(t *testing.T) {
	rec := logcrumbstest.NewRateLimited(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	burst := func() (events int, limited uint64) {
		before, n0, start := logcrumbs.Stats().EventsRateLimited, len(rec.Events()), time.Now()
		for i := range 150 {
			logger.Error("shard unreachable", "err", fmt.Errorf("shard %d: timeout", i))
		}
		events = len(rec.Events()) - n0
		if slack := int(time.Since(start).Seconds()*10) + 1; events < 100 || events > 100+slack {
			t.Errorf("150 distinct errors at once: %d events, want 100 (and at most %d refilled meanwhile)", events, slack)
		}
		return events, logcrumbs.Stats().EventsRateLimited - before
	}
	if events, limited := burst(); int(limited) != 150-events {
		t.Errorf("%d rate limited, want %d", limited, 150-events)
	}
	logcrumbs.SetRateLimit(10, 100) // the default, refilled
	burst()
	logcrumbs.SetRateLimit(0, 0)
	t.Cleanup(func() { logcrumbs.SetRateLimit(10, 100) })
	n0 := len(rec.Events())
	for i := range 150 {
		logger.Error("shard unreachable", "err", fmt.Errorf("shard %d: timeout", i))
	}
	if n := len(rec.Events()) - n0; n != 150 {
		t.Errorf("rate 0: %d events of 150", n)
	}
}

// TestChildJobInTheRequestsTrace: the job JobOptions.Child's doc shows, run
// on a NewChildContext of a request ("work a request hands on"), is "in
// the trace of the unit of work ctx belongs to (a request that runs the
// job)" (RunJob): the child is a unit "in the unit's trace"
// (NewChildContext), so the job's events share the request's trace ID,
// as a job run on the request's context itself does.
func TestChildJobInTheRequestsTrace(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
	done := make(chan struct{})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			logger.InfoContext(ctx, "order placed")
			logger.ErrorContext(ctx, "stock low", "err", errors.New("3 left"))
			go logcrumbs.RunJob(logcrumbs.NewChildContext(context.WithoutCancel(ctx)), "send-receipt",
				logcrumbs.JobOptions{Child: true}, func(ctx context.Context) error {
					defer close(done)
					logger.ErrorContext(ctx, "receipt not sent", "err", errors.New("smtp down"))
					return nil
				})
		}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/order", nil))
	<-done
	trace := map[string]string{}
	for _, ev := range rec.Events() {
		trace[ev.Message] = fmt.Sprint(ev.Contexts["trace"]["trace_id"])
	}
	if len(trace) != 2 || trace["receipt not sent"] != trace["stock low"] {
		t.Errorf("the request's event in trace %s, its child job's in %s; want one trace", trace["stock low"], trace["receipt not sent"])
	}
}
