package logcrumbs_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestPrintTransportRequestQuery: the printed request is the one the event
// carries, query included (scrubbed, as it would be sent): /cart?id=3 and
// /cart?id=4 are different requests to the developer reading it.
func TestPrintTransportRequestQuery(t *testing.T) {
	var out bytes.Buffer
	client, err := sentry.NewClient(sentry.ClientOptions{
		Transport: logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true, Frames: 1}),
	})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})
	mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "load failed", "err", errors.New("not found"))
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cart?id=3&token=abc", nil))
	if want := "  request: GET http://example.com/cart?id=3&token=[Filtered]\n"; !strings.Contains(out.String(), want) {
		t.Errorf("printed\n%s\nwant the line %q", out.String(), want)
	}
}
