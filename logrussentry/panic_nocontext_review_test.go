package logrussentry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// TestPanicWithoutContextIsOneEvent: a Panic entry of a logger used
// without WithContext (logrus' global logger, a package's own) inside
// RunJob or Middleware is one event, the entry's, as the package doc
// promises of the *logrus.Entry logrus panics with: not a second one for
// the panic, whose message printed the entry as a Go value, its Data
// (a password here) unscrubbed.
func TestPanicWithoutContextIsOneEvent(t *testing.T) {
	check := func(t *testing.T, rec *logcrumbstest.Recorder, want string) {
		t.Helper()
		evs := rec.Events()
		for _, ev := range evs {
			if strings.Contains(ev.Message, "hunter2") {
				t.Errorf("event %q shows the entry's Data", ev.Message)
			}
		}
		if len(evs) != 1 || evs[0].Message != want {
			var msgs []string
			for _, ev := range evs {
				msgs = append(msgs, ev.Message)
			}
			t.Errorf("events %q, want the Panic entry's only", msgs)
		}
	}
	t.Run("RunJob", func(t *testing.T) {
		l, rec := newLogger(t, nil, nil)
		func() {
			defer func() { _ = recover() }()
			_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				l.WithField("password", "hunter2").Panic("invariant broken")
				return nil
			})
		}()
		check(t, rec, "invariant broken")
	})
	t.Run("Middleware", func(t *testing.T) {
		l, rec := newLogger(t, nil, nil)
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.WithField("password", "hunter2").Panicf("bad order %d", 17)
		}))
		func() {
			defer func() { _ = recover() }()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		}()
		check(t, rec, "bad order 17")
	})
	// With Recover, the 500's EventIDHeader names the entry's event: the
	// request's panic is that event (it named none: the entry's event was
	// kept on the fallback trail, not the request's).
	t.Run("Middleware/EventIDHeader", func(t *testing.T) {
		l, rec := newLogger(t, nil, nil)
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true, EventIDHeader: "X-Sentry-Event-ID"})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.WithField("password", "hunter2").Panicf("bad order %d", 17)
		}))
		resp := httptest.NewRecorder()
		h.ServeHTTP(resp, httptest.NewRequest("GET", "/", nil))
		check(t, rec, "bad order 17")
		if evs := rec.Events(); len(evs) == 1 && resp.Header().Get("X-Sentry-Event-ID") != string(evs[0].EventID) {
			t.Errorf("X-Sentry-Event-ID %q, want the entry's event %q", resp.Header().Get("X-Sentry-Event-ID"), evs[0].EventID)
		}
	})
	// Two logcrumbs Middlewares, the inner one re-panicking: the outer one
	// learns that the panic going on up through it was the entry's event.
	t.Run("Middleware/nested", func(t *testing.T) {
		l, rec := newLogger(t, nil, nil)
		inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.WithField("password", "hunter2").Panicf("bad order %d", 17)
		}))
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})(inner)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		check(t, rec, "bad order 17")
	})
	for _, order := range []string{"sentryhttp outside", "logcrumbs outside"} {
		for _, bound := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/bound=%v", order, bound), func(t *testing.T) {
				l, rec := newLogger(t, nil, nil)
				app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					log := l.WithField("password", "hunter2")
					if bound {
						log = log.WithContext(r.Context())
					}
					log.Panicf("bad order %d", 17)
				})
				lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})
				sh := sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle
				h := sh(lc(app))
				if order == "logcrumbs outside" {
					h = lc(sh(app))
				}
				hub := rec.Hub()
				withHub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					h.ServeHTTP(w, r.WithContext(sentry.SetHubOnContext(r.Context(), hub.Clone())))
				})
				func() {
					defer func() { _ = recover() }()
					withHub.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
				}()
				check(t, rec, "bad order 17")
			})
		}
	}
}

// TestPanicEntryRecoveredBySentryhttpReadsAsItsMessage: a Panic entry
// whose own event is not sent (RequireError), recovered by sentryhttp
// inside logcrumbs.Middleware, is one event that reads as the entry's
// message, bound or not, as Middleware's own report of it does: not as
// sentry-go prints a panic value that is no error (%#v: the *Entry's
// Data, unscrubbed).
func TestPanicEntryRecoveredBySentryhttpReadsAsItsMessage(t *testing.T) {
	for _, bound := range []bool{false, true} {
		t.Run(fmt.Sprintf("bound=%v", bound), func(t *testing.T) {
			l, rec := newLogger(t, nil, func(o *logrussentry.Options) { o.RequireError = true })
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log := l.WithField("password", "hunter2")
				if bound {
					log = log.WithContext(r.Context())
				}
				log.Panicf("bad order %d", 17)
			})
			lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})
			h := lc(sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle(app))
			hub := rec.Hub()
			func() {
				defer func() { _ = recover() }()
				r := httptest.NewRequest("GET", "/", nil)
				h.ServeHTTP(httptest.NewRecorder(), r.WithContext(sentry.SetHubOnContext(r.Context(), hub.Clone())))
			}()
			evs := rec.Events()
			if len(evs) != 1 || !strings.Contains(evs[0].Message, "bad order 17") || strings.Contains(evs[0].Message, "hunter2") {
				var msgs []string
				for _, ev := range evs {
					msgs = append(msgs, ev.Message)
				}
				t.Errorf("events %q, want one that reads as the entry's message", msgs)
			}
		})
	}
}
