package logcrumbs_test

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestMiddlewareRecoverAnswersAWhole500: with Recover, the 500 that
// Middleware answers a panic with has no body, whatever the handler said
// of the body it meant to write before it panicked (its Content-Length):
// the client reads a whole 500, not a response cut short ("unexpected
// EOF" for the 100 bytes declared, and a connection dropped).
func TestMiddlewareRecoverAnswersAWhole500(t *testing.T) {
	hub := logcrumbstest.New(t).Hub()
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, Recover: true})
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		panic("encoding failed")
	})))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	defer srv.Close()
	for range 2 { // the second on the connection the first left, if any
		res, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusInternalServerError || err != nil {
			t.Errorf("status %d, body %q, read error %v; want a whole 500", res.StatusCode, body, err)
		}
	}
}
