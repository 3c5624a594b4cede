package logcrumbs_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestNestedMiddlewareRecoverAbortsAStartedResponse: a Middleware with
// Recover nested in another whose router started the response before
// calling it (a status and a byte of body written) aborts the response
// with http.ErrAbortHandler on a panic, as it does when its own handler
// started it, rather than write a 500 that can no longer be sent and let
// the cut response end as a whole one.
func TestNestedMiddlewareRecoverAbortsAStartedResponse(t *testing.T) {
	for _, outerHeader := range []string{"", "X-Sentry-Event-Id"} {
		t.Run("outer header "+outerHeader, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: outerHeader})
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("nil map " + t.Name()) })
			router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write([]byte("[{\"id\":1},"))
				inner(app).ServeHTTP(w, r)
			})
			resp := httptest.NewRecorder()
			var p any
			func() {
				defer func() { p = recover() }()
				outer(router).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
			}()
			if p != http.ErrAbortHandler {
				t.Errorf("the request ended with panic %v, want http.ErrAbortHandler: response %d %q taken for a whole one", p, resp.Code, resp.Body.String())
			}
			if n := len(rec.Events()); n != 1 {
				t.Errorf("%d events, want 1, the panic's", n)
			}
		})
	}
}
