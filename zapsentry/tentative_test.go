package zapsentry_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestJobPanicAfterRequestDPanicThatDidNotPanic: a DPanic of the request
// in production (no panic) and then a job run in the request panicking
// through zap's Panic, not recovered by the job (JobOptions.Recover off):
// the panic going on up to Middleware is the job's Panic entry's event,
// not a second one, and the 500 names that event.
func TestJobPanicAfterRequestDPanicThatDidNotPanic(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true, EventIDHeader: "X-Event-Id"})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, log := zapsentry.WithContext(r.Context(), logger)
			log.DPanic("unexpected state")
			_ = logcrumbs.RunJob(r.Context(), "charge", logcrumbs.JobOptions{}, func(ctx context.Context) error {
				_, log := zapsentry.WithContext(ctx, logger)
				log.Panic("cannot continue")
				return nil
			})
		}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	var msgs []string
	var panicID string
	for _, ev := range rec.Events() {
		msgs = append(msgs, ev.Message)
		if ev.Message == "cannot continue" {
			panicID = string(ev.EventID)
		}
	}
	if len(msgs) != 2 {
		t.Errorf("events %q, want the two entries' alone", msgs)
	}
	if got := w.Header().Get("X-Event-Id"); got != panicID {
		t.Errorf("500 names %q, want the Panic entry's event %q", got, panicID)
	}
}
