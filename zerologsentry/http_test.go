package zerologsentry_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestPanicLevelInMiddlewareIsOneEvent: log.Panic() inside
// logcrumbs.Middleware is one event, not one for the record and one for the
// panic zerolog raises with its message.
func TestPanicLevelInMiddlewareIsOneEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	base := zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(zerologsentry.Options{}))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(
		hlog.NewHandler(base)(zerologsentry.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hlog.FromRequest(r).Panic().Msg("invariant broken")
		}))))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	if evs := rec.Events(); len(evs) != 1 {
		for _, e := range evs {
			t.Logf("event: %q level %s exc %+v", e.Message, e.Level, e.Exception)
		}
		t.Errorf("%d events for one log.Panic, want 1", len(evs))
	}
}

// TestHlogChain: a typical hlog chain with the Handler right after
// NewHandler keeps each request's trail apart, fields included.
func TestHlogChain(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	base := zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(zerologsentry.Options{}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hlog.FromRequest(r).Info().Msg("in " + r.URL.Path)
		if r.URL.Path == "/fail" {
			zerolog.Ctx(r.Context()).Error().Msg("failed")
		}
	})
	var h http.Handler = app
	h = hlog.RequestIDHandler("req_id", "")(h)
	h = hlog.AccessHandler(func(r *http.Request, status, size int, d time.Duration) {
		hlog.FromRequest(r).Info().Int("status", status).Msg("access " + r.URL.Path)
	})(h)
	h = hlog.MethodHandler("method")(h)
	h = zerologsentry.Handler(h)
	h = hlog.NewHandler(base)(h)
	h = logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(h)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/ok", nil))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/fail", nil))
	ev := rec.OnlyEvent()
	for _, b := range ev.Event.Breadcrumbs {
		t.Logf("bc %q %v", b.Message, b.Data)
		if b.Message == "in /ok" || b.Message == "access /ok" {
			t.Errorf("other request's breadcrumb")
		}
	}
	if ev.Contexts["log"]["req_id"] == nil {
		t.Errorf("log ctx %v", ev.Contexts["log"])
	}
}
