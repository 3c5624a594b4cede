package logcrumbs_test

import (
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// h2Server serves h over HTTP/2 (TLS) on loopback, without net/http's
// error log, until the test ends; its client speaks HTTP/2 to it.
func h2Server(t *testing.T, h http.Handler) (*httptest.Server, *http.Client) {
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, srv.Client()
}

// TestMiddlewareSwitchingProtocolsOverHTTP2: HTTP/2 has no 101 (RFC 9113
// 8.6): net/http's HTTP/2 writer sends a WriteHeader(101) as an
// informational header and the response goes on. A handler upgrading by
// hand as WebSocket libraries do (WriteHeader(101), then Hijack, which
// fails over HTTP/2) has not started its response: the error it logs is
// named by the EventIDHeader of the response it then writes, and a panic
// after it is a 500, not a stream reset.
func TestMiddlewareSwitchingProtocolsOverHTTP2(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true, EventIDHeader: "X-Sentry-Event-ID"})
	srv, client := h2Server(t, mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Upgrade", "websocket")
		w.WriteHeader(http.StatusSwitchingProtocols)
		if _, _, err := http.NewResponseController(w).Hijack(); err != nil {
			logger.ErrorContext(r.Context(), "upgrade failed", "err", err)
		}
		if r.URL.Path == "/panic" {
			panic("no connection to upgrade")
		}
	})))
	for path, status := range map[string]int{"/log": 200, "/panic": 500} {
		rec.Reset()
		res, err := client.Get(srv.URL + path)
		if err != nil {
			t.Errorf("%s: the client got %v, want a %d", path, err, status)
			continue
		}
		res.Body.Close()
		if res.ProtoMajor != 2 || res.StatusCode != status {
			t.Errorf("%s: %s %d, want HTTP/2.0 %d", path, res.Proto, res.StatusCode, status)
		}
		evs := rec.Events()
		if got := res.Header.Get("X-Sentry-Event-ID"); len(evs) == 0 || got != string(evs[len(evs)-1].EventID) {
			t.Errorf("%s: X-Sentry-Event-ID %q, want the last of %d events (%s)", path, got, len(evs), eventMessages(evs))
		}
	}
}
