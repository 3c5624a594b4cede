package logrsentry_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestSlogBridgeHubOfTheCallsContext: a slog record through
// logr.ToSlogHandler of a logger not bound by WithContext, logged with a
// context that carries a Sentry hub but no trail (sentryhttp's handler
// without logcrumbs.Middleware, sentry.SetHubOnContext), is sent through
// that hub, with its scope (the request, tags), as slogsentry sends the
// same record. On 0e39369 the context was dropped for having no trail, so
// the event went to the current hub instead: here one with no client, so
// the event was lost.
func TestSlogBridgeHubOfTheCallsContext(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub().Clone()
	hub.Scope().SetTag("request", "r1")
	ctx := sentry.SetHubOnContext(context.Background(), hub)

	bridge := slog.New(logr.ToSlogHandler(logr.New(logrsentry.NewSink(nil, logrsentry.Options{}))))
	bridge.ErrorContext(ctx, "through logr", "err", errors.New("a"))
	slog.New(slogsentry.NewHandler(nil, slogsentry.Options{})).ErrorContext(ctx, "through slogsentry", "err", errors.New("b"))

	got := map[string]string{}
	for _, ev := range rec.Events() {
		got[ev.Message] = ev.Tags["request"]
	}
	for _, msg := range []string{"through slogsentry", "through logr"} {
		if tag, ok := got[msg]; !ok || tag != "r1" {
			t.Errorf("%q: sent %v through the context's hub (tag %q), want it sent there; events %v", msg, ok, tag, got)
		}
	}
}
