package logcrumbs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// cyclicValue returns a map that holds itself.
func cyclicValue() map[string]any {
	m := map[string]any{"order": 17}
	m["self"] = []any{"items", m}
	return m
}

// TestMiddlewareRecoversACyclicPanicValue: a handler panics with a map
// that holds itself; Middleware with Recover answers 500 and sends one
// event. CapturePanic printed the value with fmt (the event's message and
// exception), which recursed through the map until the goroutine's stack
// overflowed: a fatal error, the process gone (attributes of such values
// are rendered "!UNENCODABLE"). net/http's own recovery (Recover off)
// prints the value with fmt too, but Recover promises a 500.
func TestMiddlewareRecoversACyclicPanicValue(t *testing.T) {
	rec := logcrumbstest.New(t)
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(cyclicValue())
	}))
	resp := httptest.NewRecorder()
	h.ServeHTTP(resp, httptest.NewRequest("GET", "/", nil))
	if resp.Code != http.StatusInternalServerError || len(rec.Events()) != 1 {
		t.Errorf("status %d, %d events; want 500 and one event", resp.Code, len(rec.Events()))
	}
}

// TestRunJobRecoversACyclicPanicValue: RunJob with Recover returns a panic
// with a map that holds itself as an error, which the job's event, the
// hand-back and the caller print: each printed the value with fmt (a
// fatal stack overflow).
func TestRunJobRecoversACyclicPanicValue(t *testing.T) {
	rec := logcrumbstest.New(t)
	err := logcrumbs.RunJob(rec.Context(context.Background()), "sync", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(context.Context) error {
		panic(cyclicValue())
	})
	if err == nil || len(err.Error()) > 1<<10 || len(rec.Events()) != 1 {
		t.Errorf("RunJob = %v, %d events; want an error and one event", err, len(rec.Events()))
	}
}
