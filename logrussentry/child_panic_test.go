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

// TestChildPanicEntryNotSentReadsAsItsMessage: as
// TestPanicEntryNotSentReadsAsItsMessage, the Panic entry logged with a
// child context of the request or job (NewChildContext, on its
// goroutine): the panic goes on up to Middleware or RunJob, whose event
// reads as the entry's message, not the *logrus.Entry printed with the
// values of its fields.
func TestChildPanicEntryNotSentReadsAsItsMessage(t *testing.T) {
	l, rec := newLogger(t, nil, func(o *logrussentry.Options) { o.RequireError = true })
	check := func(what, wantMsg string) {
		t.Helper()
		ev := rec.OnlyEvent()
		b, _ := json.Marshal(ev.Event)
		if ev.Message != wantMsg || strings.Contains(string(b), "hunter2") {
			t.Errorf("%s: event %q (exceptions %+v), want %q and no secret", what, ev.Message, ev.Exceptions(), wantMsg)
		}
	}
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := logcrumbs.NewChildContext(logcrumbs.NewChildContext(r.Context()))
		l.WithContext(ctx).WithField("password", "hunter2").Panicf("bad order %d", 17)
	}))
	func() {
		defer func() { _ = recover() }()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/order", nil))
	}()
	check("Middleware", "panic in GET /order: bad order 17")

	rec.Reset()
	_ = logcrumbs.RunJob(context.Background(), "orders", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
		l.WithContext(logcrumbs.NewChildContext(ctx)).WithField("password", "hunter2").Panicf("bad order %d", 17)
		return nil
	})
	check("RunJob", "panic in job orders: bad order 17")
}
