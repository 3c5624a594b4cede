package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestChildContextAfterTheRequestHandCapture: work a request hands on with
// NewChildContext, which goes on after the request ended, captures an
// error by hand through the hub of its context (hub.CaptureException, as
// other integrations do). The event carries the child's trail (the
// request's records copied, then its own), as its logged events do, not
// the request's emptied trail; and an error it logged already is not sent
// again by hand (capture once), as in a RunJob or Middleware unit.
func TestChildContextAfterTheRequestHandCapture(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	var child context.Context
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "order placed")
		child = logcrumbs.NewChildContext(context.WithoutCancel(r.Context()))
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/orders", nil))

	// The request has ended; the handed-on work goes on.
	logger.InfoContext(child, "rendering receipt")
	sentry.GetHubFromContext(child).CaptureException(errors.New("template missing"))
	if got := messages(rec.OnlyEvent()); got != "order placed,rendering receipt" {
		t.Errorf("hand-captured event's breadcrumbs %q, want the child's %q", got, "order placed,rendering receipt")
	}

	rec.Reset()
	err := errors.New("smtp down")
	logger.ErrorContext(child, "receipt failed", "err", err)
	sentry.GetHubFromContext(child).CaptureException(err) // an upper layer reports it by hand
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events for one error logged then captured by hand in the child, want 1: %v", len(evs), evMessages(evs))
	}
}
