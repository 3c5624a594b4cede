package oteltest_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	sentryotel "github.com/getsentry/sentry-go/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestErrorInOTelSpanEndToEnd: with sentry-go's OpenTelemetry integration
// (sentryotel.NewOtelIntegration), an error logged with the context of an
// OpenTelemetry span, inside a Middleware request, reaches the real
// receiver (through sentry-go's HTTP transport) with that span's trace ID
// and span ID; an error logged in the same request outside the span keeps
// the request's own trace.
func TestErrorInOTelSpanEndToEnd(t *testing.T) {
	r := e2e.Start(t)
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:          r.DSN(),
		Integrations: func(in []sentry.Integration) []sentry.Integration { return append(in, sentryotel.NewOtelIntegration()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	tp := sdktrace.NewTracerProvider() // a real, recording tracer; nothing exported
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracer := tp.Tracer("oteltest")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}}))

	var sc trace.SpanContext
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, span := tracer.Start(r.Context(), "charge")
			sc = span.SpanContext()
			logger.ErrorContext(ctx, "in otel span", "err", errors.New("card declined"))
			span.End()
			logger.ErrorContext(r.Context(), "outside span", "err", errors.New("render failed"))
		}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/checkout", nil))
	if !hub.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	got := map[string][2]string{}
	for _, rep := range r.WaitReports(t, 2) {
		var tr struct {
			TraceID string `json:"trace_id"`
			SpanID  string `json:"span_id"`
		}
		if err := json.Unmarshal(rep.Event.Contexts["trace"], &tr); err != nil {
			t.Errorf("%q: trace context %s: %v", rep.Event.Message, rep.Event.Contexts["trace"], err)
		}
		got[rep.Event.Message] = [2]string{tr.TraceID, tr.SpanID}
	}
	if !sc.IsValid() {
		t.Fatal("the OTel span has no valid span context")
	}
	want := [2]string{sc.TraceID().String(), sc.SpanID().String()}
	if got["in otel span"] != want {
		t.Errorf("error in the OTel span: trace, span = %v, want %v", got["in otel span"], want)
	}
	if out := got["outside span"]; len(out[0]) != 32 || out[0] == want[0] {
		t.Errorf("error outside the span: trace %v, want the request's own (not the span's %s)", out, want[0])
	}
}
