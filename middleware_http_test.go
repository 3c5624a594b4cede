package logcrumbs_test

import (
	"errors"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestMiddlewareFlushThatFlushedNothing: under a writer that cannot flush
// (http.TimeoutHandler's, which buffers the response), a handler's Flush
// sends nothing: the response has not started. A panic after it is still
// a 500, not a connection cut, and an event logged after it is still named
// by the EventIDHeader.
func TestMiddlewareFlushThatFlushedNothing(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true, EventIDHeader: "X-Sentry-Event-ID"})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := http.NewResponseController(w).Flush(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Flush under http.TimeoutHandler: %v, want http.ErrNotSupported", err)
		}
		w.(http.Flusher).Flush()
		logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined"))
		if strings.HasSuffix(r.URL.Path, "/panic") {
			panic("after a flush that sent nothing")
		}
		_, _ = io.WriteString(w, "declined")
	})
	// Nested: a router's Middleware and a sub-router's, with Recover.
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})
	srv := quietServer(t, http.TimeoutHandler(mw(app), 10*time.Second, "timeout"))
	nested := quietServer(t, http.TimeoutHandler(mw(inner(app)), 10*time.Second, "timeout"))
	for _, path := range []string{"/write", "/panic", "nested/write", "nested/panic"} {
		url := srv.URL + path
		if p, ok := strings.CutPrefix(path, "nested"); ok {
			url = nested.URL + p
		}
		rec.Reset()
		res, err := http.Get(url)
		if err != nil {
			t.Errorf("%s: the client got %v, want a response", path, err)
			continue
		}
		res.Body.Close()
		evs := rec.Events()
		if want := map[bool]int{false: 200, true: 500}[strings.HasSuffix(path, "/panic")]; res.StatusCode != want {
			t.Errorf("%s: status %d, want %d", path, res.StatusCode, want)
		}
		if got := res.Header.Get("X-Sentry-Event-ID"); len(evs) == 0 || got != string(evs[len(evs)-1].EventID) {
			t.Errorf("%s: X-Sentry-Event-ID %q, want the last of %d events", path, got, len(evs))
		}
	}
}

// quietServer serves h over HTTP/1.1 on loopback, without net/http's
// error log (an aborted handler is logged there), until the test ends.
func quietServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.Cleanup(srv.Close)
	return srv
}
