package logrussentry_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"
	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// TestPanicIsOneEvent: a logrus Panic inside RunJob or Middleware is one
// event, the Panic entry's: logrus panics with the entry, which the unit
// of work recovers without sending it again.
func TestPanicIsOneEvent(t *testing.T) {
	t.Run("RunJob", func(t *testing.T) {
		l, rec := newLogger(t, nil, nil)
		func() {
			defer func() { _ = recover() }()
			_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				log := l.WithContext(ctx)
				log.Info("working")
				log.WithField("id", 7).Panic("invariant broken")
				return nil
			})
		}()
		if evs := rec.Events(); len(evs) != 1 || evs[0].Message != "invariant broken" || evs[0].Level != sentry.LevelFatal {
			t.Errorf("events %+v, want the Panic entry's only", evs)
		}
	})
	t.Run("Middleware", func(t *testing.T) {
		l, rec := newLogger(t, nil, nil)
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.WithContext(r.Context()).Panicf("bad order %d", 17)
		}))
		func() {
			defer func() { _ = recover() }()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		}()
		if evs := rec.Events(); len(evs) != 1 || evs[0].Message != "bad order 17" {
			t.Errorf("events %+v, want the Panic entry's only", evs)
		}
	})
}

// TestLogPanicLevelThenPanic: in a unit of work, an entry logged with
// Log(PanicLevel), which does not panic, and then a real Panic are two
// events: the first was taken for the panic, so the real panic, recovered
// by RunJob, was sent a third time as "panic in job".
func TestLogPanicLevelThenPanic(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	func() {
		defer func() { _ = recover() }()
		_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			log := l.WithContext(ctx)
			log.Log(logrus.PanicLevel, "severity only")
			log.Panic("invariant broken")
			return nil
		})
	}()
	var got []string
	for _, ev := range rec.Events() {
		got = append(got, ev.Message)
	}
	if s := strings.Join(got, " | "); s != "severity only | invariant broken" {
		t.Errorf("events %s, want the two entries'", s)
	}
}

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

// countHook counts the Panic entries fired, after logcrumbs' hook.
type countHook struct {
	n    atomic.Int32
	want int32
	done chan struct{}
}

func (h *countHook) Levels() []logrus.Level { return []logrus.Level{logrus.PanicLevel} }

func (h *countHook) Fire(*logrus.Entry) error {
	if h.n.Add(1) == h.want {
		close(h.done)
	}
	return nil
}

// TestPanicWithoutContextConcurrent: Panic entries of a logger used without
// WithContext, logged by many requests at once (a burst of one failure,
// each request's cleanup slow as its panic unwinds), are each one event, the entry's:
// not a second one for the panic, which prints the *Entry's Data.
func TestPanicWithoutContextConcurrent(t *testing.T) {
	const n = 8
	l, rec := newLogger(t, nil, nil)
	count := &countHook{want: n, done: make(chan struct{})}
	l.AddHook(count)
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The handler's cleanup (a transaction's rollback: a round trip
		// to the database) runs as the panic unwinds, before Middleware
		// recovers it; meanwhile the other requests log their entries.
		defer func() { <-count.done }()
		l.WithField("password", "hunter2").Panicf("bad order %s", r.URL.Query().Get("n"))
	}))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { _ = recover() }()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/?n=%d", i), nil))
		}()
	}
	wg.Wait()
	var msgs []string
	for _, ev := range rec.Events() {
		msgs = append(msgs, ev.Message)
	}
	sort.Strings(msgs)
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("bad order %d", i))
	}
	if strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("events %q, want the %d Panic entries' only", msgs, n)
	}
}

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

// TestRecoveredPanicEntryAsFieldReadsAsItsMessage: the value a program
// recovers after a Panic entry is the *logrus.Entry logrus panics with;
// logged back as a field, as logrus code does (log.WithField("panic",
// r).Error("recovered"), grpc-ecosystem's logrus recovery), it shows the
// entry's message, as Middleware and RunJob read that panic. On 0e39369 it
// showed "!UNENCODABLE *logrus.Entry: json: unsupported type: func(int)"
// (its Logger's ExitFunc), nothing of the panic.
func TestRecoveredPanicEntryAsFieldReadsAsItsMessage(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	log := l.WithContext(rec.Context(context.Background()))
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		log.WithField("password", "hunter2").Panic("invariant broken")
	}()
	if _, ok := recovered.(*logrus.Entry); !ok {
		t.Fatalf("logrus panicked with %T, want *logrus.Entry", recovered)
	}
	var none *logrus.Entry
	log.WithField("panic", recovered).WithField("none", none).Info("recovered once")
	log.WithField("panic", recovered).Error("recovered")
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want the Panic entry's and the Error's", len(evs))
	}
	ev := evs[1]
	if got := ev.LogContext()["panic"]; got != "invariant broken" {
		t.Errorf("event's panic = %q, want the entry's message", got)
	}
	var crumb map[string]any
	for _, b := range ev.Breadcrumbs() {
		if b.Message == "recovered once" {
			crumb = b.Data
		}
	}
	if crumb["panic"] != "invariant broken" || crumb["none"] != nil {
		t.Errorf("breadcrumb's data %v, want the entry's message and a null", crumb)
	}
	if b, _ := json.Marshal(ev.Event); strings.Contains(string(b), "hunter2") {
		t.Errorf("the event shows the entry's Data unscrubbed")
	}
}
