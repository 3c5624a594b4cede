package logcrumbs_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestEventIDHeaderWhenTheHandlerWritesNothing: a handler that logs an
// error and returns without writing (net/http then sends its implicit 200
// itself, after the handler returned) still gets the event's ID on the
// response: the response starts after the event was sent, and its headers
// were not sent yet. So does one that sets only headers.
func TestEventIDHeaderWhenTheHandlerWritesNothing(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}, EventIDHeader: idHeader})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			logger.ErrorContext(r.Context(), "failed "+r.URL.Path, "err", errors.New("nothing written "+r.URL.Path))
			if r.URL.Path == "/headers" {
				w.Header().Set("Cache-Control", "no-store")
			}
		}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	for i, path := range []string{"/nothing", "/headers"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		evs := rec.Events()
		if len(evs) != i+1 {
			t.Fatalf("%d events, want %d", len(evs), i+1)
		}
		if got, want := res.Header.Get(idHeader), string(evs[i].EventID); got != want || res.StatusCode != http.StatusOK {
			t.Errorf("%s: response %d with %s %q, want 200 with %q", path, res.StatusCode, idHeader, got, want)
		}
	}
}
