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

// TestNestedMiddlewaresEventIDHeader: with two Middlewares nested (a
// router's and a sub-router's), the response's EventIDHeader names the
// request's event, whichever of the two units sent it: the outer one's
// header names an event the inner unit sent (a logged error, a panic the
// inner one recovered, or the outer one, once), when the handler writes a
// status, writes nothing (net/http's implicit 200) or panics; the header is set once, with that
// event, when both ask for it, and under each name when they ask for two.
func TestNestedMiddlewaresEventIDHeader(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	type outcome int
	const (
		writes outcome = iota
		writesNothing
		panics
	)
	for _, c := range []struct {
		name          string
		innerHeader   string
		do            outcome
		outerRecovers bool
	}{
		{"inner without header, status written", "", writes, false},
		{"inner without header, nothing written", "", writesNothing, false},
		{"inner without header, panic recovered by the inner", "", panics, false},
		{"both with the header", header, writes, false},
		{"both with the header, panic recovered by the inner", header, panics, false},
		{"inner with another header", "X-Inner-Event-Id", writes, false},
		{"inner without header, panic recovered by the outer", "", panics, true},
		{"both with the header, panic recovered by the outer", header, panics, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch c.do {
				case panics:
					panic("nil map " + t.Name())
				case writes:
					logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
					w.WriteHeader(http.StatusBadGateway)
				case writesNothing:
					logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
				}
			})
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: c.do == panics && !c.outerRecovers, EventIDHeader: c.innerHeader})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: c.outerRecovers, EventIDHeader: header})
			resp := httptest.NewRecorder()
			outer(inner(app)).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
			ev := rec.OnlyEvent()
			want := []string{string(ev.EventID)}
			if got := resp.Header()[header]; len(got) != 1 || got[0] != want[0] {
				t.Errorf("response %d with %s %q, want %q, the event the inner unit sent", resp.Code, header, got, want)
			}
			if c.innerHeader != "" && c.innerHeader != header {
				if got := resp.Header()[c.innerHeader]; len(got) != 1 || got[0] != want[0] {
					t.Errorf("response %d with %s %q, want %q", resp.Code, c.innerHeader, got, want)
				}
			}
		})
	}
}
