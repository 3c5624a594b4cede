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

// TestHlogHandler: with hlog, each request's logger gets its own trail, and
// fields added by hlog's handlers reach its breadcrumbs.
func TestHlogHandler(t *testing.T) {
	base, rec := newLogger(t, zerologsentry.Options{}, nil)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := hlog.FromRequest(r)
		log.Info().Msg("handling " + r.URL.Path)
		if r.URL.Path == "/fail" {
			log.Error().Msg("failed")
		}
	})
	h := hlog.NewHandler(base)(zerologsentry.Handler(hlog.MethodHandler("method")(app)))
	for _, path := range []string{"/ok", "/fail", "/ok"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Message != "handling /fail" || ev.Event.Breadcrumbs[0].Data["method"] != "GET" {
		t.Errorf("breadcrumbs = %+v, want only the failing request's, with hlog's field", ev.Event.Breadcrumbs)
	}
}
