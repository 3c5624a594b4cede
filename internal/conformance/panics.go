package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// RunPanics runs the cases of records at a logger's panic and fatal levels
// (Driver.Stops): what the unit of work reports of the panic that follows
// them. Run runs them too; each is skipped for a driver without Stops.
func RunPanics(t *testing.T, d Driver) {
	t.Helper()
	for _, c := range []struct {
		name string
		run  func(*testing.T, Driver)
	}{
		{"PanicIsOneEvent", testPanicIsOneEvent},
		{"PanicWithSentryhttpIsOneEvent", testPanicWithSentryhttpIsOneEvent},
		{"PanicDeduplicatedNamesTheFirst", testPanicDeduplicatedNamesTheFirst},
		{"PanicSentToLogsIsOneEvent", testPanicSentToLogsIsOneEvent},
		{"PanicOfManyRequestsAtOnce", testPanicOfManyRequestsAtOnce},
		{"ChildPanicIsOneEvent", testChildPanicIsOneEvent},
		{"ConcurrentChildrenPanic", testConcurrentChildrenPanic},
		{"PanicNotSentReadsAsItsMessage", testPanicNotSentReadsAsItsMessage},
		{"PanicAfterARecoveredPanic", testPanicAfterARecoveredPanic},
		{"PanicAfterNoPanic", testPanicAfterNoPanic},
		{"PanicAndFatalWaitForDelivery", testPanicAndFatalWaitForDelivery},
		{"PanicFoldedIntoInFlightEventHandsBackNone", testPanicFoldedIntoInFlightEventHandsBackNone},
		{"PanicByHandAfterNoPanic", testPanicByHandAfterNoPanic},
		{"PanicByHandAfterNoPanicOfSameText", testPanicByHandAfterNoPanicOfSameText},
		{"FatalHookPanicIsOneEvent", testFatalHookPanicIsOneEvent},
		{"StopsAreFatalEvents", testStopsAreFatalEvents},
	} {
		t.Run(c.name, func(t *testing.T) {
			if d.Stops == nil {
				t.Skipf("%s has no panic or fatal level (Driver.Stops)", d.Name)
			}
			c.run(t, d)
		})
	}
}

// secret is a field whose value no event may show: the logger's panic
// value printed (logrus' *Entry, with its Data) would.
var secret = Field{"password", "hunter2"}

// served is what one request through Middleware left: the events'
// messages, their IDs by message, and the header naming the 500's event.
type served struct {
	msgs   []string
	ids    map[string]string
	header string
}

// serve runs handler once behind Middleware (with Recover when
// rescue is true, else the panic is recovered here, past it) and returns what it
// left; opts are the Middleware's options.
func serve(t *testing.T, rec *logcrumbstest.Recorder, opts logcrumbs.Options, rescue bool, target string, handler http.Handler) served {
	t.Helper()
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: rescue, EventIDHeader: "X-Sentry-Event-ID"})(handler)
	w := httptest.NewRecorder()
	func() {
		defer func() { _ = recover() }()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	}()
	return result(t, rec, w.Header().Get("X-Sentry-Event-ID"))
}

func result(t *testing.T, rec *logcrumbstest.Recorder, header string) served {
	t.Helper()
	s := served{ids: map[string]string{}, header: header}
	for _, ev := range rec.Events() {
		s.msgs = append(s.msgs, ev.Message)
		s.ids[ev.Message] = string(ev.EventID)
		if b, _ := json.Marshal(ev.Event); strings.Contains(string(b), "hunter2") {
			t.Errorf("event %q shows the secret field's value", ev.Message)
		}
	}
	return s
}

// want checks that s has the events of msgs alone, in any order, and,
// unless named is empty, that the 500 names the event of named.
func (s served) want(t *testing.T, what, named string, msgs ...string) {
	t.Helper()
	got := append([]string(nil), s.msgs...)
	sort.Strings(got)
	msgs = append([]string(nil), msgs...)
	sort.Strings(msgs)
	if strings.Join(got, "|") != strings.Join(msgs, "|") {
		t.Errorf("%s: events %q, want %q alone", what, s.msgs, msgs)
	}
	if named != "" && s.header != s.ids[named] {
		t.Errorf("%s: the 500 names %q, want %q's event %q", what, s.header, named, s.ids[named])
	}
}

// PanicIsOneEvent: a record at the logger's panic level inside Middleware
// or RunJob is one event, the record's, at level fatal: the panic the
// logger raises after it, recovered by the unit of work, is not sent a
// second time, nor printed (logrus panics with its *Entry: its Data,
// unscrubbed), and the 500 names the record's event; with no unit at
// all, the record's event is sent before the logger panics. So with a logger
// not bound to the unit (a package's own), behind two Middlewares (the
// inner re-panicking), in a job of the request that does not recover
// it, and with a message longer than the event limits keep (the panic
// noted is the logger's whole message, not the record's cut copy).
func testPanicIsOneEvent(t *testing.T, d Driver) {
	long := strings.Repeat("invariant broken ", 8)
	for _, tc := range []struct {
		name                  string
		bound, nested, rescue bool
		inJob                 bool
		msg                   string
	}{
		{"Middleware", true, false, true, false, "invariant broken"},
		{"Middleware/no Recover", true, false, false, false, "invariant broken"},
		{"Middleware/unbound", false, false, true, false, "invariant broken"},
		{"Middleware/unbound/no Recover", false, false, false, false, "invariant broken"},
		{"Middleware/nested", true, true, true, false, "invariant broken"},
		{"Middleware/nested/unbound", false, true, true, false, "invariant broken"},
		{"Middleware/job", true, false, true, true, "invariant broken"},
		{"Middleware/long", true, false, true, false, long},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.EventLimits.MaxValueBytes = 64 })
			opts := rec.Options()
			opts.EventLimits.MaxValueBytes = 64
			var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				work := func(ctx context.Context) error {
					log := logger.With(secret)
					if tc.bound {
						log = log.Bind(ctx)
					}
					log.Log(Info, "working")
					d.Stops(log, Panic, nil, tc.msg, Field{"id", 7})
					return nil
				}
				if tc.inJob {
					_ = logcrumbs.RunJob(r.Context(), "charge", logcrumbs.JobOptions{}, work)
					return
				}
				_ = work(r.Context())
			})
			if tc.nested {
				h = logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})(h)
			}
			s := serve(t, rec, opts, tc.rescue, "/x", h)
			if !tc.rescue { // no 500 written: nothing names the event
				s.header = s.ids[tc.msg]
			}
			if tc.msg == long { // the event's message is cut at the limit
				if len(s.msgs) != 1 || !strings.HasPrefix(long, strings.TrimSuffix(s.msgs[0], "…")) || s.header != s.ids[s.msgs[0]] {
					t.Errorf("events %q, the 500 names %q; want the record's alone, named", s.msgs, s.header)
				}
			} else {
				s.want(t, tc.name, tc.msg, tc.msg)
			}
			if evs := rec.Events(); len(evs) == 1 && evs[0].Level != sentry.LevelFatal {
				t.Errorf("level %q, want fatal", evs[0].Level)
			}
		})
	}
	t.Run("no unit", func(t *testing.T) { // sent before the logger panics
		logger, rec := newLogger(t, d, nil)
		func() {
			defer func() { _ = recover() }()
			d.Stops(logger, Panic, nil, "giving up")
		}()
		if ev := rec.OnlyEvent(); ev.Level != sentry.LevelFatal {
			t.Errorf("level %q, want fatal", ev.Level)
		}
	})
	for _, bound := range []bool{true, false} {
		t.Run(fmt.Sprintf("RunJob/bound=%v", bound), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			for _, rescue := range []bool{true, false} {
				rec.Reset()
				func() {
					defer func() { _ = recover() }()
					_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: rec.Options(), Recover: rescue}, func(ctx context.Context) error {
						log := logger.With(secret)
						if bound {
							log = log.Bind(ctx)
						}
						log.Log(Info, "working")
						d.Stops(log, Panic, nil, "invariant broken")
						return nil
					})
				}()
				s := result(t, rec, "")
				s.want(t, fmt.Sprintf("Recover %v", rescue), "", "invariant broken")
				if evs := rec.Events(); len(evs) == 1 && evs[0].Level != sentry.LevelFatal {
					t.Errorf("level %q, want fatal", evs[0].Level)
				}
			}
		})
	}
}

// PanicWithSentryhttpIsOneEvent: sentry-go's own sentryhttp handler,
// re-panicking, outside or inside Middleware, with the record's logger
// bound to the request or not: the panic record is one event, not a
// second one for sentryhttp's report of the panic (printed: logrus' *Entry
// with its Data); with RequireError (the record sent as no event of its
// own), sentryhttp's report inside Middleware is the one event, and reads
// as the record's message.
func testPanicWithSentryhttpIsOneEvent(t *testing.T, d Driver) {
	for _, requireError := range []bool{false, true} {
		for _, order := range []string{"sentryhttp outside", "logcrumbs outside"} {
			for _, bound := range []bool{false, true} {
				if requireError && order == "sentryhttp outside" {
					continue // sentryhttp reports the panic before Middleware sees it
				}
				t.Run(fmt.Sprintf("RequireError=%v/%s/bound=%v", requireError, order, bound), func(t *testing.T) {
					logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.RequireError = requireError })
					app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						log := logger.With(secret)
						if bound {
							log = log.Bind(r.Context())
						}
						d.Stops(log, Panic, nil, "bad order 17")
					})
					lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})
					sh := sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle
					h := sh(lc(app))
					if order == "logcrumbs outside" {
						h = lc(sh(app))
					}
					hub := rec.Hub()
					func() {
						defer func() { _ = recover() }()
						r := httptest.NewRequest("GET", "/", nil)
						h.ServeHTTP(httptest.NewRecorder(), r.WithContext(sentry.SetHubOnContext(r.Context(), hub.Clone())))
					}()
					evs := result(t, rec, "").msgs
					if len(evs) != 1 || !strings.Contains(evs[0], "bad order 17") {
						t.Errorf("events %q, want one that reads as the record's message", evs)
					}
				})
			}
		}
	}
}

// PanicDeduplicatedNamesTheFirst: two requests log the same panic record
// within DedupeWindow: the second record is deduplicated against the
// first's event, and so is its panic, recovered by Middleware: one event,
// which both 500s name.
func testPanicDeduplicatedNamesTheFirst(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.DedupeWindow = time.Minute })
	msg := "bad order " + t.Name()
	var headers []string
	for range 2 {
		s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			d.Stops(logger.Bind(r.Context()), Panic, nil, msg)
		}))
		headers = append(headers, s.header)
	}
	s := result(t, rec, "")
	s.want(t, "", "", msg)
	if id := s.ids[msg]; headers[0] != id || headers[1] != id {
		t.Errorf("the 500s name %q, want the one event %q", headers, id)
	}
}

// PanicSentToLogsIsOneEvent: with the Logs level on, a panic record
// inside Middleware also goes to Sentry Logs, and is still one event,
// named by the 500.
func testPanicSentToLogsIsOneEvent(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, nil)
	msg := "cannot continue " + t.Name()
	s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.Stops(logger.Bind(r.Context()), Panic, nil, msg)
	}))
	s.want(t, "", msg, msg)
	if logs := bodies(rec.Logs()); len(logs) != 1 || logs[0] != msg {
		t.Errorf("logs %q, want the record's", logs)
	}
}

// PanicOfManyRequestsAtOnce: panic records of a logger not bound to the
// requests, logged by many requests at once (a burst of one failure, each
// request's cleanup slow as its panic unwinds, so that the others log
// meanwhile), are each one event, the record's.
func testPanicOfManyRequestsAtOnce(t *testing.T, d Driver) {
	const n = 8
	logger, rec := newLogger(t, d, nil)
	var logged sync.WaitGroup
	logged.Add(n)
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The handler's cleanup (a transaction's rollback) runs as the
		// panic unwinds, before Middleware recovers it.
		defer logged.Wait()
		defer logged.Done()
		d.Stops(logger.With(secret), Panic, nil, "bad order "+r.URL.Query().Get("n"))
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
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("bad order %d", i))
	}
	result(t, rec, "").want(t, "concurrent requests", "", want...)
}

// ChildPanicIsOneEvent: a panic record logged with a child context of the
// request (NewChildContext, used on the request's goroutine), or a child
// of a child, or in a job run in a child, is the report of the panic that
// goes on up to Middleware: one event, named by the 500; also after a
// record at the panic level that did not panic (NoPanic: its own event).
func testChildPanicIsOneEvent(t *testing.T, d Driver) {
	for _, tc := range []struct {
		name           string
		noPanic, inJob bool
		grandchild     bool
		want           []string
	}{
		{"child", false, false, false, []string{"cannot continue"}},
		{"grandchild", false, false, true, []string{"cannot continue"}},
		{"job in child", false, true, false, []string{"cannot continue"}},
		{"NoPanic then child", true, false, false, []string{"unexpected state", "cannot continue"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.noPanic {
					d.Stops(logger.Bind(r.Context()), NoPanic, nil, "unexpected state")
				}
				ctx := logcrumbs.NewChildContext(r.Context())
				if tc.grandchild {
					ctx = logcrumbs.NewChildContext(ctx)
				}
				work := func(ctx context.Context) error {
					d.Stops(logger.Bind(ctx), Panic, nil, "cannot continue")
					return nil
				}
				if tc.inJob {
					_ = logcrumbs.RunJob(ctx, "charge", logcrumbs.JobOptions{}, work)
				} else {
					_ = work(ctx)
				}
			}))
			s.want(t, tc.name, "cannot continue", tc.want...)
		})
	}
}

// ConcurrentChildrenPanic: many children of one request, each on a
// goroutine of its own, log a panic record in a job that recovers it,
// while the request goes on: no deadlock, no race, one event each (their
// messages differ: DedupeWindow would keep repeats of one from being
// sent).
func testConcurrentChildrenPanic(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	const n = 20
	s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		for i := range n {
			child := logcrumbs.NewChildContext(r.Context())
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { _ = recover() }()
				gc := logcrumbs.NewChildContext(child)
				_ = logcrumbs.RunJob(gc, "j", logcrumbs.JobOptions{Recover: true}, func(ctx context.Context) error {
					d.Stops(logger.Bind(ctx), Panic, nil, fmt.Sprint("worker gave up ", i))
					return nil
				})
			}()
		}
		wg.Wait()
	}))
	if len(s.msgs) != n {
		t.Errorf("%d events, want %d", len(s.msgs), n)
	}
}

// PanicNotSentReadsAsItsMessage: a panic record sent as no event of its
// own (Options.RequireError and no error; EscalateIf declining it below an
// event level it is under) leaves its panic to Middleware or RunJob,
// whose event reads "panic in GET /order: bad order 17", the record's
// message, with the message as its exception: not the logger's panic
// value printed (logrus' *Entry: its logger's address, its time, its
// fields' values, which escaped scrubbing). So when the record was logged
// with a child (or grandchild) context of the request or job.
func testPanicNotSentReadsAsItsMessage(t *testing.T, d Driver) {
	for _, depth := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("children=%d", depth), func(t *testing.T) {
			logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.RequireError = true })
			check := func(what, wantMsg string) {
				t.Helper()
				ev := rec.OnlyEvent()
				if ev.Message != wantMsg {
					t.Errorf("%s: event %q (exceptions %+v), want %q", what, ev.Message, ev.Exceptions(), wantMsg)
				}
				if ex := ev.Exceptions(); len(ex) != 1 || ex[0].Value != "bad order 17" {
					t.Errorf("%s: exceptions %+v, want the record's message", what, ex)
				}
				result(t, rec, "") // no secret
			}
			child := func(ctx context.Context) context.Context {
				for range depth {
					ctx = logcrumbs.NewChildContext(ctx)
				}
				return ctx
			}
			serve(t, rec, rec.Options(), false, "/order", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				d.Stops(logger.Bind(child(r.Context())).With(secret), Panic, nil, "bad order 17")
			}))
			check("Middleware", "panic in GET /order: bad order 17")

			rec.Reset()
			_ = logcrumbs.RunJob(context.Background(), "orders", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
				d.Stops(logger.Bind(child(ctx)).With(secret), Panic, nil, "bad order 17")
				return nil
			})
			check("RunJob", "panic in job orders: bad order 17")
		})
	}
}

// PanicAfterARecoveredPanic: a worker of the request logs a panic record
// whose panic it recovers itself; then the request's handler logs a panic
// record (on its own goroutine, or in a job it runs that does not recover
// it) whose panic goes on up to Middleware: that record's event is the
// report of the panic, not a third event, and the 500 names it.
func testPanicAfterARecoveredPanic(t *testing.T, d Driver) {
	for _, inJob := range []bool{false, true} {
		t.Run(fmt.Sprintf("job=%v", inJob), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log := logger.Bind(r.Context())
				done := make(chan struct{})
				go func() {
					defer close(done)
					defer func() { _ = recover() }()
					d.Stops(log, Panic, nil, "worker gave up")
				}()
				<-done
				panicLater(r.Context(), d, logger, inJob)
			}))
			s.want(t, "", "cannot continue", "worker gave up", "cannot continue")
		})
	}
}

// panicLater logs the Panic record "cannot continue" through logger bound
// to ctx, or to a job of ctx (RunJob) when inJob.
func panicLater(ctx context.Context, d Driver, logger Logger, inJob bool) {
	work := func(ctx context.Context) error {
		d.Stops(logger.Bind(ctx), Panic, nil, "cannot continue")
		return nil
	}
	if inJob {
		_ = logcrumbs.RunJob(ctx, "charge", logcrumbs.JobOptions{}, work)
	} else {
		_ = work(ctx)
	}
}

// PanicAfterNoPanic: a record after which the logger may not panic, and
// did not (NoPanic; a Fatal whose exit hook returns), does not keep a
// later panic record of the same request from being one event: the
// recovered panic is the later record's, not a third event, and the 500
// names it. So when the later record is logged in a job of the request
// that does not recover its panic, and in a job with no request, where
// the first record was taken for the panic (the real one was then sent a
// third time, "panic in job").
func testPanicAfterNoPanic(t *testing.T, d Driver) {
	for _, first := range []Stop{NoPanic, Fatal} {
		for _, inJob := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/job=%v", first, inJob), func(t *testing.T) {
				logger, rec := newLogger(t, d, nil)
				s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					d.Stops(logger.Bind(r.Context()), first, func() {}, "unexpected state")
					panicLater(r.Context(), d, logger, inJob)
				}))
				s.want(t, "", "cannot continue", "unexpected state", "cannot continue")
			})
		}
		t.Run(fmt.Sprintf("%v/RunJob", first), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			func() {
				defer func() { _ = recover() }()
				_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					log := logger.Bind(ctx)
					d.Stops(log, first, func() {}, "severity only")
					d.Stops(log, Panic, nil, "invariant broken")
					return nil
				})
			}()
			if got := strings.Join(result(t, rec, "").msgs, " | "); got != "severity only | invariant broken" {
				t.Errorf("events %s, want the two records'", got)
			}
		})
	}
}

// PanicByHandAfterNoPanicOfSameText: a record at the panic level after
// which the logger did not panic (NoPanic), then the handler panics by
// hand with the same text: the panic is an event of its own, not the
// record's.
//
// Left as it is: zap's development DPanic panics with exactly that value
// (a production one does not), zerolog cannot tell WithLevel(PanicLevel)
// from Panic(), and the recovery cannot tell the two apart (by value; the
// panicking stack would, at the price of reading it on every recovery a
// note of the same text waits for). The record's event carries the
// message and the trail; the by-hand panic's own stack is what is lost.
// (logrus, whose Log(PanicLevel) is known not to panic, passes.)
func testPanicByHandAfterNoPanicOfSameText(t *testing.T, d Driver) {
	t.Skip("judgement: a NoPanic record's note answers for a later panic of the same text (see the comment)")
	logger, rec := newLogger(t, d, nil)
	s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.Stops(logger.Bind(r.Context()), NoPanic, nil, "unexpected state")
		panic("unexpected state")
	}))
	if len(s.msgs) != 2 {
		t.Errorf("events %q, want the record's and the panic's", s.msgs)
	}
}

// HeldTransport is a sentry.Transport that delivers events only when
// flushed, as sentry-go's HTTP transport sends them only from its queue:
// Delivered tells whether a log call waited for delivery. The suite's
// delivery cases use it, and an adapter's tests of its own forms of them.
type HeldTransport struct {
	mu              sync.Mutex
	held, delivered []*sentry.Event
}

// Configure, SendEvent, Flush, FlushWithContext and Close implement
// sentry.Transport.
func (t *HeldTransport) Configure(sentry.ClientOptions) {}

func (t *HeldTransport) SendEvent(ev *sentry.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.held = append(t.held, ev)
}

func (t *HeldTransport) Flush(time.Duration) bool { return t.FlushWithContext(context.Background()) }

func (t *HeldTransport) FlushWithContext(context.Context) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.delivered, t.held = append(t.delivered, t.held...), nil
	return true
}

func (t *HeldTransport) Close() {}

// Delivered returns how many events a flush has delivered.
func (t *HeldTransport) Delivered() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.delivered)
}

// PanicAndFatalWaitForDelivery: before the logger exits (Fatal) or panics
// (Panic), the events sent so far are delivered; an Error record does not
// wait.
func testPanicAndFatalWaitForDelivery(t *testing.T, d Driver) {
	tr := &HeldTransport{}
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://k@example.com/1", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	log := d.New(t, Config{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}}).Bind(logcrumbs.NewContext(context.Background()))
	log.Log(Error, "earlier "+t.Name())
	if n := tr.Delivered(); n != 0 {
		t.Fatalf("an Error record flushed: %d delivered", n)
	}
	atExit := -1
	d.Stops(log, Fatal, func() { atExit = tr.Delivered() }, "fatal "+t.Name())
	if atExit != 2 {
		t.Errorf("%d events delivered when the logger exits, want 2", atExit)
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				atExit = tr.Delivered()
			}
		}()
		d.Stops(log, Panic, nil, "panic "+t.Name())
	}()
	if atExit != 3 {
		t.Errorf("%d events delivered when the logger panics, want 3", atExit)
	}
}

// PanicFoldedIntoInFlightEventHandsBackNone: in a job, a goroutine logs an
// error, whose event the client holds (BeforeSend), and the job logs it
// again at the panic level meanwhile: the panic record is folded into that
// event (capture once), which then reports the logger's panic, and
// RunJob, recovering the panic, hands it back to the unit running the job
// as that event. The client then drops the event: the unit's log of the
// error RunJob returned names no event, nor is it LastEventID.
func testPanicFoldedIntoInFlightEventHandsBackNone(t *testing.T, d Driver) {
	held := newHeldDrop(t)
	logger, rec := newLogger(t, d, nil, held.beforeSend)
	parent := rec.Context(context.Background())
	// Texts of this test's own: zerolog's ErrorMarshalFunc remembers
	// errors by text, process-wide, and a driver with text errors running
	// after one without would find another test's.
	boom := errors.New("job panic record in flight: card declined " + t.Name())
	var done <-chan struct{}
	var err error
	ran := make(chan struct{})
	go func() { // a recovery that waits on the held event fails the case, not the run
		defer close(ran)
		err = logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
			log := logger.Bind(ctx)
			done = held.hold(t, func() { log.Log(Error, "charge failed", Field{"err", boom}) })
			d.Stops(log, Panic, nil, "charge failed for good "+t.Name(), Field{"err", boom}) // folded into the event in the client's hands
			return nil
		})
	}()
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Errorf("RunJob did not return within 10 s while the client held the event: its recovery waits on it (the panic record noted nothing?)")
		held.Release()
		<-ran
	}
	if err == nil {
		t.Fatal("RunJob = nil, want the panic")
	}
	held.Release()
	wait(t, done, "the held log call")
	logger.Bind(parent).Log(Error, "job failed", Field{"err", err}) // the job's event, handed back
	if evs := rec.Events(); len(evs) != 0 {
		t.Fatalf("events %q, want none", messages(evs))
	}
	namesNoEvent(t, parent, "the parent")
}

// errExit is the value the suite's exit hook panics with.
var errExit = errors.New("exit hook: stopping")

// FatalHookPanicIsOneEvent: a Fatal record, sent as an event, whose exit
// hook (zap.WithFatalHook, zerolog.FatalExitFunc, logrus' ExitFunc: a
// test's stand-in for os.Exit, or a shutdown of the program's) panics
// with a value of its own, inside Middleware: the user may expect one
// event, the panic being how the Fatal stopped the request.
//
// Left as it is, two events: the Fatal's and the recovered panic's. The
// hook's value is not the record's (a hook is given no message by zerolog
// and logrus), so a note of the Fatal could only answer for whatever
// panic comes next in the unit; with a hook that returns (as tests use),
// the program goes on after the Fatal and that next panic may be a bug of
// its own (a nil dereference of what the Fatal was about), whose report
// (its stack, its value) would be lost in the Fatal's. Telling the hook's
// panic apart needs the panicking stack (the logger's exit call on it),
// read on every recovery that follows a Fatal. A second event, each true,
// costs less than a lost one. (zap's own WriteThenPanic panics with the
// message, and is one event: zapsentry's
// TestFatalThatPanicsInMiddlewareIsOneEvent.)
func testFatalHookPanicIsOneEvent(t *testing.T, d Driver) {
	t.Skip("judgement: an exit hook's panic with a value of its own is an event of its own (see the comment)")
	logger, rec := newLogger(t, d, nil)
	s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.Stops(logger.Bind(r.Context()), Fatal, func() { panic(errExit) }, "cannot go on")
	}))
	s.want(t, "", "cannot go on", "cannot go on")
}

// PanicByHandAfterNoPanic: a record at the panic level after which the
// logger did not panic (NoPanic; a Fatal whose exit hook returns), then the
// handler panics by hand with a value of its own (a nil map write): the
// panic is an event of its own, which the 500 names, beside the record's;
// the record's note is not taken for the report of a panic it did not
// raise, whether the note is tentative (zap's DPanic, a Fatal) or not
// (zerolog cannot tell WithLevel(PanicLevel) from Panic()). It fails when
// the recovery takes a note without comparing its value with the panic's
// (unit's samePanic always true).
func testPanicByHandAfterNoPanic(t *testing.T, d Driver) {
	for _, first := range []Stop{NoPanic, Fatal} {
		t.Run(first.String(), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil)
			s := serve(t, rec, rec.Options(), true, "/x", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				d.Stops(logger.Bind(r.Context()), first, func() {}, "unexpected state")
				panic("assignment to entry in nil map")
			}))
			s.want(t, "", "panic in GET /x: assignment to entry in nil map", "unexpected state", "panic in GET /x: assignment to entry in nil map")
		})
	}
}
