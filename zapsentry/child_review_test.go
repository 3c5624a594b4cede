package zapsentry_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// serve runs h once and returns the events' messages, the event ID named
// by msg, and the 500's header.
func serveOnce(t *testing.T, rec *logcrumbstest.Recorder, handler http.HandlerFunc, msg string) (msgs []string, id, header string) {
	t.Helper()
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}, Recover: true, EventIDHeader: "X-Event-Id"})(handler)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	for _, ev := range rec.Events() {
		msgs = append(msgs, ev.Message)
		if ev.Message == msg {
			id = string(ev.EventID)
		}
	}
	return msgs, id, w.Header().Get("X-Event-Id")
}

// TestChildDevelopmentDPanicWhileAWorkerPanics: as
// TestDevelopmentDPanicWhileAWorkerPanics, the DPanic logged with a child
// context of the request: two events, the 500 names the DPanic's.
func TestChildDevelopmentDPanicWhileAWorkerPanics(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}), zap.Development())
	msgs, id, got := serveOnce(t, rec, func(w http.ResponseWriter, r *http.Request) {
		_, log := zapsentry.WithContext(r.Context(), logger)
		defer func() {
			done := make(chan struct{})
			go func() {
				defer close(done)
				defer func() { _ = recover() }()
				log.Panic("worker gave up")
			}()
			<-done
		}()
		_, clog := zapsentry.WithContext(logcrumbs.NewChildContext(r.Context()), logger)
		clog.DPanic("unexpected state")
	}, "unexpected state")
	if len(msgs) != 2 || got != id {
		t.Errorf("events %q, 500 names %q; want the two entries' alone, the DPanic's %q", msgs, got, id)
	}
}
