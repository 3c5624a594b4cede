package zerologsentry_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestHlogHandlerWithWriter: with the Writer as the base logger's
// writer, Handler binds each request's logger to its own trail, as it
// does a logger with the Hook: a request's event carries its own
// breadcrumbs, not another's (the fallback trail's), and goes to its
// hub (Middleware's), not the process's.
func TestHlogHandlerWithWriter(t *testing.T) {
	rec := logcrumbstest.New(t)
	w := zerologsentry.NewWriter(new(syncBuffer), zerologsentry.Options{})
	base := zerolog.New(w)
	app := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		log := hlog.FromRequest(r)
		log.Info().Msg("handling " + r.URL.Path)
		if r.URL.Path == "/fail" {
			zerolog.Ctx(r.Context()).Error().Msg("failed")
		}
	})
	var h http.Handler = hlog.NewHandler(base)(zerologsentry.Handler(hlog.MethodHandler("method")(app)))
	h = logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(h)
	for _, path := range []string{"/ok", "/fail", "/ok"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	ev := rec.OnlyEvent()
	if got := ev.BreadcrumbMessages(); len(got) != 1 || got[0] != "handling /fail" || ev.Event.Breadcrumbs[0].Data["method"] != "GET" {
		t.Errorf("breadcrumbs = %q, want only the failing request's, with hlog's field", got)
	}
}
