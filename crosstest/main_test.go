package crosstest_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// noDedupe are slogsentry options without deduplication: each record that
// should be an event is one.
var noDedupe = slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}

// TestMain lifts the process-wide event rate limit, which the tests of this
// package, sending many events within a second, would otherwise reach; the
// limit itself is tested in the root package.
func TestMain(m *testing.M) {
	logcrumbs.SetRateLimit(0, 0)
	os.Exit(m.Run())
}

// serve runs one request through h and returns what it panicked with.
func serve(h http.Handler, path string) (rec *httptest.ResponseRecorder, panicked any) {
	rec = httptest.NewRecorder()
	defer func() { panicked = recover() }()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec, nil
}

// withHub serves h with a clone of hub on the request's context, as
// sentryhttp does.
func withHub(h http.Handler, hub *sentry.Hub) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(sentry.SetHubOnContext(r.Context(), hub.Clone())))
	})
}

// repeatsOf returns the repeats an event reports.
func repeatsOf(ev logcrumbstest.Event) int {
	n, _ := ev.Contexts["logcrumbs"]["repeats"].(int)
	return n
}
