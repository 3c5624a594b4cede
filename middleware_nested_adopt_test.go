package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestNestedMiddlewareDroppedEventLeavesTheOuterOnesEvent: the router of
// a Middleware sends event A, then calls a nested Middleware (a
// sub-router's), whose handler logs an error whose event B the client
// holds (BeforeSend) while another log of the same error is folded into
// it, and then drops: the nested unit sent nothing. LastEventID in the
// router, and the outer one's EventIDHeader, still name A: an event the
// client dropped is no reference (eventref), and the nested unit's
// returning must not replace the router's own event by it.
func TestNestedMiddlewareDroppedEventLeavesTheOuterOnesEvent(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	rec, inFlight, release := heldDrop(t, "first")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	boom := errors.New("nested in flight: card declined")
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			logger.ErrorContext(r.Context(), "charge failed", "err", boom)
		}()
		<-inFlight
		logger.ErrorContext(r.Context(), "charge failed again", "err", boom) // folded into B
		close(release)
		<-done
	})
	opts := logcrumbs.Options{Hub: rec.Hub()}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: header})
	var a, page string
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "first failed", "err", errors.New("first"))
		a = string(logcrumbs.LastEventID(r.Context()))
		inner(app).ServeHTTP(w, r)
		page = string(logcrumbs.LastEventID(r.Context()))
	})
	resp := httptest.NewRecorder()
	outer(router).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
	if a == "" {
		t.Fatal("no event A")
	}
	if n := len(rec.Events()); n != 1 {
		t.Fatalf("%d events, want A only", n)
	}
	if page != a {
		t.Errorf("LastEventID in the router after the sub-router returned: %q, want A %q (the nested unit's event was dropped)", page, a)
	}
	if got := resp.Header().Get(header); got != a {
		t.Errorf("the response's %s: %q, want A %q", header, got, a)
	}
}

// TestMiddlewareUnderASharedBaseUnitKeepsItsEventToItself: a server whose
// BaseContext is a Bind unit of work (every request's context derives from
// it) runs each request through a Middleware: a request's event is the
// request's, not the base unit's. LastEventID of the base context (a
// background job of the process using it) must not name the event a
// request sent.
func TestMiddlewareUnderASharedBaseUnitKeepsItsEventToItself(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	base := logcrumbs.Bind(context.Background(), rec.Hub().Clone())
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined"))
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders", nil).WithContext(base))
	rec.OnlyEvent()
	if id := logcrumbs.LastEventID(base); id != "" {
		t.Errorf("LastEventID of the shared base context = %q, the event of a request: want none", id)
	}
}
