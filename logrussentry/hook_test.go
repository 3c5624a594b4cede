package logrussentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// newLogger returns a logger at Trace level with the hook fed to a new
// Recorder, writing JSON without timestamps to out (nil: nowhere).
func newLogger(t *testing.T, out *bytes.Buffer, set func(*logrussentry.Options)) (*logrus.Logger, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t)
	opts := logrussentry.Options{Options: rec.Options()}
	if set != nil {
		set(&opts)
	}
	l := logrus.New()
	l.SetLevel(logrus.TraceLevel)
	l.SetFormatter(&logrus.JSONFormatter{DisableTimestamp: true})
	l.SetOutput(&bytes.Buffer{})
	if out != nil {
		l.SetOutput(out)
	}
	l.AddHook(logrussentry.NewHook(opts))
	return l, rec
}

// TestLevels: Trace to Warn are breadcrumbs at Sentry's levels, Error an
// event; the levels are configurable with logrus' own.
func TestLevels(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	log := l.WithContext(rec.Context(context.Background()))
	log.Trace("t")
	log.Debug("d")
	log.Info("i")
	log.Warn("w")
	log.Error("e")
	evs := rec.Events()
	if len(evs) != 1 || evs[0].Level != sentry.LevelError {
		t.Fatalf("%d events, want 1 at error", len(evs))
	}
	var got []string
	for _, b := range evs[0].Breadcrumbs() {
		got = append(got, string(b.Level)+":"+b.Message)
	}
	if s := strings.Join(got, ","); s != "debug:t,debug:d,info:i,warning:w" {
		t.Errorf("breadcrumbs %s", s)
	}

	l, rec = newLogger(t, nil, func(o *logrussentry.Options) {
		o.BreadcrumbLevel, o.EventLevel = logrus.InfoLevel, logrus.WarnLevel
	})
	log = l.WithContext(rec.Context(context.Background()))
	log.Debug("d")
	log.Info("i")
	log.Warn("w")
	if evs := rec.Events(); len(evs) != 1 || evs[0].Message != "w" || evs[0].Level != sentry.LevelWarning ||
		strings.Join(evs[0].BreadcrumbMessages(), ",") != "i" {
		t.Errorf("with Info and Warn: events %+v", evs)
	}
}

// TestErrorFields: WithError's error and any other error field are the
// event's exceptions, as real values, WithError's first; other fields keep
// their Go types, nested maps nest; the entry's Data is not changed.
func TestErrorFields(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	cause := errors.New("disk full")
	other := &net{op: "dial"}
	data := logrus.Fields{"b_other": other, "n": int64(7), "u": uint32(8), "f32": float32(1.5),
		"meta": map[string]any{"attempt": 2, "inner": logrus.Fields{"ok": true}, "took": 1500 * time.Millisecond, "cause": errors.New("nested")}}
	seen := &seenHook{}
	l.AddHook(seen) // after the logcrumbs hook: sees Data as it left it
	entry := l.WithContext(rec.Context(context.Background())).WithFields(data).WithError(fmt.Errorf("save: %w", cause))
	entry.Error("save failed")
	ev := rec.Events()[0]
	ex := ev.Exceptions()
	var types []string
	for _, e := range ex {
		types = append(types, e.Type+"="+e.Value)
	}
	// errors.Join(WithError's, the other field's, the nested one): the
	// join, then its errors in order.
	want := "*errors.joinError=save: disk full\ndial failed\nnested,*fmt.wrapError=save: disk full,*errors.errorString=disk full,*logrussentry_test.net=dial failed,*errors.errorString=nested"
	if got := strings.Join(types, ","); got != want {
		t.Errorf("exceptions\n%s\nwant\n%s", got, want)
	}
	lc := ev.LogContext()
	for k, w := range map[string]string{"n": "7", "u": "8", "f32": "1.5", "meta": `{"attempt":2,"cause":"nested","inner":{"ok":true},"took":"1.5s"}`, "error": `"save: disk full"`} {
		if got := js(lc[k]); got != w {
			t.Errorf("%s = %s, want %s", k, got, w)
		}
	}
	if want := `{"b_other":{},"error":{},"f32":1.5,"meta":{"attempt":2,"cause":{},"inner":{"ok":true},"took":1500000000},"n":7,"u":8}`; seen.data != want {
		t.Errorf("the next hook got Data %s, want %s", seen.data, want)
	}
}

// seenHook keeps, as JSON, the Data of the last entry it was fired for.
type seenHook struct{ data string }

func (h *seenHook) Levels() []logrus.Level { return logrus.AllLevels }
func (h *seenHook) Fire(e *logrus.Entry) error {
	h.data = js(e.Data)
	return nil
}

type net struct{ op string }

func (e *net) Error() string { return e.op + " failed" }

// TestNoContextFallback: an entry without a context goes to the fallback
// trail, and a request's event does not carry it.
func TestNoContextFallback(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	l.Info("unbound " + t.Name())
	found := false
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		found = found || b.Message == "unbound "+t.Name()
	}
	if !found {
		t.Error("the unbound entry is not in the fallback trail")
	}
	l.WithContext(rec.Context(context.Background())).Error("bound")
	if got := rec.Events()[0].BreadcrumbMessages(); len(got) != 0 {
		t.Errorf("the request's event carries %v", got)
	}
}

// logAt logs an error from a line of its own: a call site.
func logAt(log *logrus.Entry, site int) {
	switch site {
	case 0:
		log.WithError(errors.New("same")).Error("failed")
	case 1: // Entry.Log is inlined here: the return address is in logrus' code
		log.WithError(errors.New("same")).Log(logrus.ErrorLevel, "failed")
	}
}

// TestCallSites: the same error and message from two call sites are two
// events, from one site repeated one; the stack's top frame is the
// caller's function, not logrus', with and without SetReportCaller.
func TestCallSites(t *testing.T) {
	for _, report := range []bool{false, true} {
		t.Run(fmt.Sprint("ReportCaller=", report), func(t *testing.T) {
			l, rec := newLogger(t, nil, func(o *logrussentry.Options) { o.DedupeWindow = time.Minute })
			l.SetReportCaller(report)
			for _, site := range []int{0, 1, 0, 1} {
				logAt(l.WithContext(rec.Context(context.Background())), site)
			}
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2 (one a call site)", len(evs))
			}
			for _, ev := range evs {
				st := ev.Exception[len(ev.Exception)-1].Stacktrace
				if st == nil || len(st.Frames) == 0 {
					t.Fatal("no stack trace")
				}
				if top := st.Frames[len(st.Frames)-1]; top.Function != "logAt" || !strings.HasSuffix(top.Module, "logrussentry_test") {
					t.Errorf("stack trace starts in %s.%s, want logAt", top.Module, top.Function)
				}
			}
		})
	}
}

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

// heldTransport delivers events only when flushed, as sentry-go's HTTP
// transport sends them only from its queue.
type heldTransport struct {
	mu              sync.Mutex
	held, delivered []*sentry.Event
}

func (t *heldTransport) Configure(sentry.ClientOptions) {}
func (t *heldTransport) SendEvent(ev *sentry.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.held = append(t.held, ev)
}
func (t *heldTransport) Flush(time.Duration) bool { return t.FlushWithContext(context.Background()) }
func (t *heldTransport) FlushWithContext(context.Context) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.delivered, t.held = append(t.delivered, t.held...), nil
	return true
}
func (t *heldTransport) Close() {}
func (t *heldTransport) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.delivered)
}

// TestFatalAndPanicFlush: before logrus exits (Fatal) or panics (Panic),
// the events sent so far are delivered; an Error entry does not wait.
func TestFatalAndPanicFlush(t *testing.T) {
	tr := &heldTransport{}
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://k@example.com/1", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	l := logrus.New()
	l.SetOutput(&bytes.Buffer{})
	l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	log := l.WithContext(logcrumbs.NewContext(context.Background()))

	log.Error("earlier " + t.Name())
	if n := tr.count(); n != 0 {
		t.Fatalf("an Error entry flushed: %d delivered", n)
	}
	atExit := -1
	l.ExitFunc = func(int) { atExit = tr.count() }
	log.Fatal("fatal " + t.Name())
	if atExit != 2 {
		t.Errorf("%d events delivered when logrus exits, want 2", atExit)
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				atExit = tr.count()
			}
		}()
		log.Panic("panic " + t.Name())
	}()
	if atExit != 3 {
		t.Errorf("%d events delivered when logrus panics, want 3", atExit)
	}
}

// TestOutputUnchangedTextFormatter: with logrus' text formatter, colors
// off, and caller reporting, the output is what it is without the hook.
func TestOutputUnchangedTextFormatter(t *testing.T) {
	write := func(hook bool) string {
		var out bytes.Buffer
		l := logrus.New()
		l.SetOutput(&out)
		l.SetLevel(logrus.TraceLevel)
		l.SetReportCaller(true)
		l.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true, DisableColors: true})
		if hook {
			l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbstest.New(t).Options()}))
		}
		log := l.WithContext(logcrumbs.NewContext(context.Background())).WithField("svc", "api")
		log.Trace("t")
		log.WithFields(logrus.Fields{"n": 1, "m": logrus.Fields{"a": "b"}, "password": "hunter2"}).Info("hello")
		log.WithError(fmt.Errorf("x: %w", errors.New("y"))).Error("failed")
		return out.String()
	}
	if without, with := write(false), write(true); without != with || !strings.Contains(with, "hunter2") {
		t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
}

// TestFireDoesNotBlock: with sentry-go's HTTP transport and a Sentry that
// never answers, Error entries return at once.
func TestFireDoesNotBlock(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: strings.Replace(srv.URL, "http://", "http://key@", 1) + "/1"})
	if err != nil {
		t.Fatal(err)
	}
	l := logrus.New()
	l.SetOutput(&bytes.Buffer{})
	l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())}}))
	log := l.WithContext(logcrumbs.NewContext(context.Background()))
	start := time.Now()
	for i := range 20 {
		log.WithError(fmt.Errorf("e%d", i)).Errorf("failed %d", i)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("20 Error entries took %v", d)
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestCyclicMap: a field whose map holds itself, twice, is sent at once
// with the cycle marked, not walked 2^32 times (it hung the logging
// goroutine); its error is the exception once.
func TestCyclicMap(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	l.SetFormatter(noOutput{}) // logrus' formatters do not survive cycles either
	cause := errors.New("cause")
	m := logrus.Fields{"err": cause, "n": 1}
	m["a"], m["b"] = m, m
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.WithContext(rec.Context(context.Background())).WithField("m", m).Error("cyclic")
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("logging a map that holds itself did not return")
	}
	ev := rec.Events()[0]
	if got, want := js(ev.LogContext()["m"]), `{"a":"!CYCLE: the map holds itself","b":"!CYCLE: the map holds itself","err":"cause","n":1}`; got != want {
		t.Errorf("m = %s, want %s", got, want)
	}
	if ex := ev.Exceptions(); len(ex) != 1 || ex[0].Value != "cause" {
		t.Errorf("exceptions %+v, want the one error", ex)
	}
}

// TestOnlyExitsAndPanicsWait: Fatal and Panic in all their forms wait for
// delivery; Log, Logf and Logln at FatalLevel or PanicLevel, which logrus
// documents as neither exiting nor panicking, are sent without waiting (they
// waited up to FlushTimeout each, 2 seconds with Sentry unreachable).
func TestOnlyExitsAndPanicsWait(t *testing.T) {
	tr := &heldTransport{}
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://k@example.com/1", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	l := logrus.New()
	l.SetOutput(&bytes.Buffer{})
	l.ExitFunc = func(int) {}
	l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())}}))
	log := l.WithContext(logcrumbs.NewContext(context.Background()))
	for i, c := range []struct {
		name  string
		log   func(msg string)
		waits bool
	}{
		{"Entry.Log(Fatal)", func(m string) { log.Log(logrus.FatalLevel, m) }, false},
		{"Entry.Logf(Panic)", func(m string) { log.Logf(logrus.PanicLevel, "%s", m) }, false},
		{"Logger.Logln(Fatal)", func(m string) { l.Logln(logrus.FatalLevel, m) }, false},
		{"Logger.Log(Panic)", func(m string) { l.Log(logrus.PanicLevel, m) }, false},
		{"Entry.Fatal", func(m string) { log.Fatal(m) }, true},
		{"Entry.Fatalf", func(m string) { log.Fatalf("%s", m) }, true},
		{"Logger.Fatalln", func(m string) { l.Fatalln(m) }, true},
		{"Logger.FatalFn", func(m string) { l.FatalFn(func() []any { return []any{m} }) }, true},
		{"Entry.Panic", func(m string) { log.Panic(m) }, true},
		{"Logger.Panicf", func(m string) { l.Panicf("%s", m) }, true},
		{"Entry.Panicln", func(m string) { log.Panicln(m) }, true},
	} {
		tr.FlushWithContext(context.Background()) // deliver what is held
		before := tr.count()
		func() {
			defer func() { _ = recover() }()
			c.log(fmt.Sprint(c.name, " ", i))
		}()
		if waited := tr.count() > before; waited != c.waits {
			t.Errorf("%s: waited for delivery %v, want %v", c.name, waited, c.waits)
		}
	}
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
