package logcrumbs_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestNestedMiddlewaresSameHeaderNamesTheLatestEvent: with Middlewares
// nested that both ask for the same EventIDHeader, an inner one whose
// handler wrote nothing does not fix the header when it returns (the
// response has not started: the outer one's router may still write): an
// event the outer unit sends afterwards (an error the router logs, a panic
// the outer one recovers, whose 500 the header must name) is the one the
// header names.
func TestNestedMiddlewaresSameHeaderNamesTheLatestEvent(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	for _, c := range []struct {
		name        string
		innerHeader string
		panics      bool
	}{
		{"outer logs", header, false},
		{"outer panics", header, true},
		{"outer logs, header spelled otherwise", "X-Sentry-Event-ID", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
			})
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: c.innerHeader})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: header})
			router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner(app).ServeHTTP(w, r)
				if c.panics {
					panic("nil map " + t.Name())
				}
				logger.ErrorContext(r.Context(), "render failed", "err", errors.New("template missing "+t.Name()))
				w.WriteHeader(http.StatusBadGateway)
			})
			resp := httptest.NewRecorder()
			outer(router).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2", len(evs))
			}
			want := string(evs[1].EventID)
			if got := resp.Header()[header]; len(got) != 1 || got[0] != want {
				t.Errorf("response %d with %s %q, want [%q], the request's last event (%q, the outer unit's); the inner unit's was %s",
					resp.Code, header, got, want, evs[1].Message, evs[0].EventID)
			}
		})
	}
}
