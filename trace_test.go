package logcrumbs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// traceID returns the trace ID an event carries.
func traceID(ev logcrumbstest.Event) string {
	if id, ok := ev.Contexts["trace"]["trace_id"]; ok {
		return fmt.Sprint(id)
	}
	return ""
}

// TestUnitOfWorkIsOneTrace: without tracing, the events of one request
// (logged outside any span, or captured by hand) share the request's trace
// ID, and two requests have two; a job the request runs stays in its
// trace, a job of its own starts one; a request that sent a sentry-trace
// header continues that trace.
func TestUnitOfWorkIsOneTrace(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			logger.ErrorContext(ctx, "first "+r.URL.Path, "err", errors.New("a"))
			sentry.GetHubFromContext(ctx).CaptureMessage("by hand " + r.URL.Path)
			_ = logcrumbs.RunJob(ctx, "child", logcrumbs.JobOptions{}, func(ctx context.Context) error {
				logger.ErrorContext(ctx, "job "+r.URL.Path, "err", errors.New("c"))
				return nil
			})
		}))
	serve(h, "/one")
	serve(h, "/two")
	_ = logcrumbs.RunJob(context.Background(), "alone", logcrumbs.JobOptions{Options: logcrumbs.Options{Hub: rec.Hub()}}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "alone", "err", errors.New("d"))
		return nil
	})
	req := httptest.NewRequest("GET", "/continued", nil)
	req.Header.Set(sentry.SentryTraceHeader, "0123456789abcdef0123456789abcdef-0123456789abcdef-1")
	h.ServeHTTP(httptest.NewRecorder(), req)
	trace := map[string]string{}
	for _, ev := range rec.Events() {
		trace[ev.Message] = traceID(ev)
	}
	one := trace["first /one"]
	if one == "" || trace["by hand /one"] != one || trace["job /one"] != one {
		t.Errorf("one request, several traces: %v", trace)
	}
	if two := trace["first /two"]; two == one || trace["by hand /two"] != two || trace["alone"] == one || trace["alone"] == two {
		t.Errorf("two units share a trace: %v", trace)
	}
	if got := trace["first /continued"]; got != "0123456789abcdef0123456789abcdef" {
		t.Errorf("the incoming trace was not continued: %v", got)
	}
}

// TestMalformedBaggageStartsATrace: a request whose baggage header does not
// parse (another vendor's, a broken proxy's) still gets a trace of its own,
// with its sentry-trace continued if that one is valid: sentry-go's
// ContinueTrace then set an all-zero propagation context, so that every
// such request had the trace ID 000…0 and Sentry linked them all.
func TestMalformedBaggageStartsATrace(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			logger.ErrorContext(r.Context(), "failed "+r.URL.Path, "err", errors.New("x"))
		}))
	const incoming = "0123456789abcdef0123456789abcdef"
	for _, path := range []string{"/a", "/b", "/continued"} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set(sentry.SentryBaggageHeader, "not a baggage header")
		if path == "/continued" {
			req.Header.Set(sentry.SentryTraceHeader, incoming+"-0123456789abcdef-1")
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	trace := map[string]string{}
	for _, ev := range rec.Events() {
		trace[ev.Message] = traceID(ev)
	}
	a, b := trace["failed /a"], trace["failed /b"]
	if len(a) != 32 || strings.Trim(a, "0") == "" || a == b {
		t.Errorf("two requests with malformed baggage: traces %q and %q, want two real ones", a, b)
	}
	if got := trace["failed /continued"]; got != incoming {
		t.Errorf("a valid sentry-trace beside malformed baggage: trace %q, want %q", got, incoming)
	}
}

// TestEventJoinsTrace: with tracing on, an event logged inside a request
// traced by sentryhttp carries the request transaction's trace.
func TestEventJoinsTrace(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) { o.EnableTracing = true; o.TracesSampleRate = 1 })
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		span := sentry.StartSpan(r.Context(), "db.query")
		logger.ErrorContext(span.Context(), "query failed", "err", errors.New("deadlock"))
		span.Finish()
	})
	h := withHub(sentryhttp.New(sentryhttp.Options{}).Handle(logcrumbs.Middleware(logcrumbs.MiddlewareOptions{})(app)), hub)
	serve(h, "/traced")
	var errEv, txn *sentry.Event
	for _, ev := range rec.Sent() {
		if ev.Type == "transaction" {
			txn = ev
		} else {
			errEv = ev
		}
	}
	if errEv == nil || txn == nil {
		t.Fatalf("events: error %v, transaction %v", errEv != nil, txn != nil)
	}
	trace := errEv.Contexts["trace"]
	if trace["trace_id"] != txn.Contexts["trace"]["trace_id"] || trace["trace_id"] == nil {
		t.Errorf("error trace %v, transaction trace %v", trace, txn.Contexts["trace"])
	}
	if trace["op"] != "db.query" {
		t.Errorf("the error is not linked to the span it happened in: %v", trace)
	}
}

// e2eTrace returns the trace and span IDs of a received event.
func e2eTrace(t *testing.T, ev e2e.Event) (traceID, spanID string) {
	t.Helper()
	var trace struct {
		TraceID string `json:"trace_id"`
		SpanID  string `json:"span_id"`
	}
	if err := json.Unmarshal(ev.Contexts["trace"], &trace); err != nil {
		t.Errorf("event %q: trace context %s: %v", ev.Message, ev.Contexts["trace"], err)
	}
	return trace.TraceID, trace.SpanID
}

// TestTraceLinkingEndToEnd, through sentry-go's HTTP transport to the real
// receiver: the two events of one Middleware request (logged outside any
// span) share a trace ID, another request's event has another; an error
// logged inside a span started with sentry.StartSpan carries that span's
// trace and span IDs.
func TestTraceLinkingEndToEnd(t *testing.T) {
	r := e2e.Start(t)
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: r.DSN(), EnableTracing: true, TracesSampleRate: 1})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	var span *sentry.Span
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			switch r.URL.Path {
			case "/one":
				logger.ErrorContext(ctx, "one: first", "err", errors.New("a"))
				logger.ErrorContext(ctx, "one: second", "err", errors.New("b"))
			case "/two":
				logger.ErrorContext(ctx, "two", "err", errors.New("c"))
			case "/span":
				// Not finished: the receiver gets the error alone, no
				// transaction.
				span = sentry.StartSpan(ctx, "db.query")
				logger.ErrorContext(span.Context(), "in span", "err", errors.New("d"))
			}
		}))
	for _, p := range []string{"/one", "/two", "/span"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	if !hub.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	traces := map[string][2]string{}
	for _, rep := range r.WaitReports(t, 4) {
		tr, sp := e2eTrace(t, rep.Event)
		traces[rep.Event.Message] = [2]string{tr, sp}
	}
	one := traces["one: first"][0]
	if len(one) != 32 || traces["one: second"][0] != one {
		t.Errorf("one request, not one trace: %v", traces)
	}
	if two := traces["two"][0]; len(two) != 32 || two == one {
		t.Errorf("two requests share trace %q: %v", one, traces)
	}
	if got := traces["in span"]; got != [2]string{span.TraceID.String(), span.SpanID.String()} {
		t.Errorf("error in span: trace %v, want span %s %s", got, span.TraceID, span.SpanID)
	}
}

// TestUnitsUnderABoundBaseContextTraceApart: a server whose BaseContext is
// bound with Bind (one hub for the process's background work) gives every
// request that context. Each request a Middleware handles is a trace of
// its own (or its caller's, from sentry-trace), and so is each job RunJob
// runs from the base context: before, each clone of the base unit's hub
// kept that hub's trace, taken for the request's own unit, so every
// request and job was one trace and a caller's sentry-trace was ignored.
func TestUnitsUnderABoundBaseContextTraceApart(t *testing.T) {
	rec := logcrumbstest.New(t)
	base := logcrumbs.Bind(context.Background(), rec.Hub().Clone())
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}}))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "request failed", "err", errors.New("request"))
	}))
	const caller = "0123456789abcdef0123456789abcdef"
	for i := range 3 {
		r := httptest.NewRequest("GET", "/", nil).WithContext(base)
		if i == 2 {
			r.Header.Set("sentry-trace", caller+"-0123456789abcdef-1")
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	for range 2 {
		logcrumbs.RunJob(base, "job", logcrumbs.JobOptions{Options: logcrumbs.Options{Hub: rec.Hub()}}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "job failed", "err", errors.New("job"))
			return nil
		})
	}
	seen := map[any]bool{}
	var traces []any
	for _, ev := range rec.Events() {
		tr := ev.Contexts["trace"]["trace_id"]
		traces = append(traces, tr)
		seen[tr] = true
	}
	if len(traces) != 5 || len(seen) != 5 {
		t.Errorf("trace IDs of 3 requests and 2 jobs: %v, want 5 apart", traces)
	}
	if len(traces) >= 3 && fmt.Sprint(traces[2]) != caller {
		t.Errorf("the request with sentry-trace is in trace %v, want its caller's %s", traces[2], caller)
	}
}
