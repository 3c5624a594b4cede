package logcrumbs_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

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
