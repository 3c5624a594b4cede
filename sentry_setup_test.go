package logcrumbs_test

import (
	"net/http"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestMiddlewarePanicHintCarriesTheRequest: a program's BeforeSend that
// reads the request of a panic's event from the hint, as Sentry's net/http
// guide shows for sentryhttp (hint.Context.Value(sentry.RequestContextKey)),
// finds it for Middleware's panic event too.
func TestMiddlewarePanicHintCarriesTheRequest(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			if hint.Context != nil {
				if r, ok := hint.Context.Value(sentry.RequestContextKey).(*http.Request); ok {
					if ev.Tags == nil {
						ev.Tags = map[string]string{}
					}
					ev.Tags["path"] = r.URL.Path
				}
			}
			return ev
		}
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	resp, panicked := serve(h, "/checkout")
	if panicked != nil || resp.Code != http.StatusInternalServerError {
		t.Fatalf("panicked %v, status %d, want a 500", panicked, resp.Code)
	}
	if got := rec.OnlyEvent().Tags["path"]; got != "/checkout" {
		t.Errorf("BeforeSend found the request's path %q in the panic's hint, want %q", got, "/checkout")
	}
}
