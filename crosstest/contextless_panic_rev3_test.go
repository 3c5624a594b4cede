package crosstest_test

import (
	"net/http"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestContextlessLoggerPanicAfterARecoveredOne: a request whose code
// recovers one Panic record of a context-less logger, then logs another
// of the same message that it does not recover: the 500's EventIDHeader
// names the panic Middleware recovered, the second record's event, as the
// same logger with the request's context gives, not the first one's,
// whose panic the program's own recover took.
func TestContextlessLoggerPanicAfterARecoveredOne(t *testing.T) {
	for _, name := range []string{"zap", "zerolog", "zerolog-writer"} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			o := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			logPanic := contextlessPanic(name, o)
			h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: o, Recover: true, EventIDHeader: "X-Sentry-Event-ID"})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				func() {
					defer func() { _ = recover() }()
					logPanic(name + " boom")
				}()
				logPanic(name + " boom")
			}))
			resp, _ := serve(h, "/")
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2: one for each Panic record", len(evs))
			}
			if got := resp.Header().Get("X-Sentry-Event-ID"); got != string(evs[1].EventID) {
				t.Errorf("X-Sentry-Event-ID %q, want the recovered panic's event %q (the first record's is %q)", got, evs[1].EventID, evs[0].EventID)
			}
		})
	}
}
