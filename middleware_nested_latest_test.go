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

// TestNestedMiddlewaresHeaderNamesTheLatestEvent: with Middlewares nested,
// the outer one's EventIDHeader names the request's last event, whichever
// unit sent it: an event the outer unit sent after the inner Middleware
// returned (the router's own code failing afterwards, a panic there the
// outer one recovers, whose 500 the header must name) is later than the
// inner unit's.
func TestNestedMiddlewaresHeaderNamesTheLatestEvent(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	for _, panics := range []bool{false, true} {
		name := "outer logs"
		if panics {
			name = "outer panics"
		}
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
			})
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: header})
			router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner(app).ServeHTTP(w, r)
				if panics {
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

// noUnwrapWriter is a middleware's writer that does not offer Unwrap.
type noUnwrapWriter struct{ http.ResponseWriter }

// TestNestedMiddlewaresHeaderThroughAWriterWithoutUnwrap: a middleware
// between the two whose writer does not Unwrap (one written before Go
// 1.20's http.ResponseController) does not hide the inner unit's event
// from the outer one's EventIDHeader.
func TestNestedMiddlewaresHeaderThroughAWriterWithoutUnwrap(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
		w.WriteHeader(http.StatusBadGateway)
	})
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: header})
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(noUnwrapWriter{w}, r)
		})
	}
	resp := httptest.NewRecorder()
	outer(wrap(inner(app))).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
	ev := rec.OnlyEvent()
	if got := resp.Header()[header]; len(got) != 1 || got[0] != string(ev.EventID) {
		t.Errorf("response %d with %s %q, want [%q], the event the inner unit sent", resp.Code, header, got, ev.EventID)
	}
}
