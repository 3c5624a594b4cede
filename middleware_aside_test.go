package logcrumbs_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// recoveredPanicError is the panic value of a worker that recovers it.
type recoveredPanicError struct{}

func (recoveredPanicError) Error() string { return "worker gave up" }

// TestSentryhttpPanicAfterAWorkersRecoveredPanic: a worker of the request
// captures a panic it recovers through the request's hub, as sentryhttp's
// RecoverWithContext does; then the handler panics (with no error), and sentryhttp,
// nested in logcrumbs' Middleware, recovers and reports it: one event for
// each panic, none from Middleware's recovery of the second.
func TestSentryhttpPanicAfterAWorkersRecoveredPanic(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() {
				if p := recover(); p != nil {
					sentry.GetHubFromContext(r.Context()).RecoverWithContext(r.Context(), p)
				}
			}()
			panic(recoveredPanicError{})
		}()
		<-done
		logger.InfoContext(r.Context(), "going on")
		panic("kaput") // no error: capture once does not know it
	})
	lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})
	sh := sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle
	if _, p := serve(withHub(lc(sh(app)), hub), "/x"); p == nil {
		t.Error("the panic did not go on")
	}
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("events (%s), want the two panics' alone", eventMessages(evs))
	}
}
