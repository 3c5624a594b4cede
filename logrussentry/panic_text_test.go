package logrussentry_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// TestPanicEntryNotSentReadsAsItsMessage: a Panic entry that is sent as no
// event of its own (Options.RequireError and no error; the rate limit, a
// BeforeSend that drops it) leaves its panic to Middleware or RunJob,
// whose event reads as zap's and zerolog's do, "panic in GET /order: bad
// order 17", the entry's message: not the *logrus.Entry printed as a Go
// value (its logger's address, its time, its context) with the values of
// its fields, which escaped scrubbing ("password").
func TestPanicEntryNotSentReadsAsItsMessage(t *testing.T) {
	l, rec := newLogger(t, nil, func(o *logrussentry.Options) { o.RequireError = true })
	check := func(what, wantMsg string) {
		t.Helper()
		ev := rec.OnlyEvent()
		b, _ := json.Marshal(ev.Event)
		if ev.Message != wantMsg || strings.Contains(string(b), "hunter2") {
			t.Errorf("%s: event %q (exceptions %+v), want %q and no secret", what, ev.Message, ev.Exceptions(), wantMsg)
		}
		if ex := ev.Exceptions(); len(ex) != 1 || ex[0].Value != "bad order 17" {
			t.Errorf("%s: exceptions %+v, want the entry's message", what, ex)
		}
	}
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.WithContext(r.Context()).WithField("password", "hunter2").Panicf("bad order %d", 17)
	}))
	func() {
		defer func() { _ = recover() }()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/order", nil))
	}()
	check("Middleware", "panic in GET /order: bad order 17")

	rec.Reset()
	_ = logcrumbs.RunJob(context.Background(), "orders", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
		l.WithContext(ctx).WithField("password", "hunter2").Panicf("bad order %d", 17)
		return nil
	})
	check("RunJob", "panic in job orders: bad order 17")
}
