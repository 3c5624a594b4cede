package logrussentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// TestWriterLevelEventStack: an Error line written to
// logger.WriterLevel(logrus.ErrorLevel) (a log.Logger's output, an
// http.Server's ErrorLog) is an event whose stack says where it came
// from. Judgment call, left as it is: logrus scans the pipe on a goroutine
// of its own, which holds no frame of the program's; past logrus' frames,
// as every event's stack starts, only runtime.goexit is left, so the
// event's stack is that one frame. Keeping logrus' frames for such
// entries, or no stack, is a choice of what to show, not a lost frame.
// Unskipped, on 0e39369:
//
//	stack [runtime.goexit], want a frame that is not the runtime's
func TestWriterLevelEventStack(t *testing.T) {
	t.Skip("defect (judgment call): a WriterLevel entry's stack is runtime.goexit alone, the pipe's goroutine holding no frame of the program's; see the comment")
	l, rec := newLogger(t, nil, nil)
	w := l.WriterLevel(logrus.ErrorLevel)
	_, _ = w.Write([]byte("http: TLS handshake error\n"))
	_ = w.Close()
	evs := rec.WaitEvents(1, 2*time.Second)
	if len(evs) != 1 || len(evs[0].Threads) == 0 || evs[0].Threads[0].Stacktrace == nil {
		t.Fatalf("%d events, want 1 with a stack", len(evs))
	}
	var frames []string
	informative := false
	for _, f := range evs[0].Threads[0].Stacktrace.Frames {
		frames = append(frames, f.Module+"."+f.Function)
		if f.Module != "runtime" {
			informative = true
		}
	}
	if !informative {
		t.Errorf("stack [%s], want a frame that is not the runtime's", strings.Join(frames, " "))
	}
}

// TestWriterLevelMultilineIsOneEvent: one message of several lines written
// to logger.WriterLevel(logrus.ErrorLevel) (net/http's "http: panic
// serving ...", the panic and its stack in one ErrorLog call, when no
// logcrumbs.Middleware recovers it first) is one bug, and should be one
// event. Judgment call, left as it is: logrus' pipe scans the output line
// by line and logs each line as an entry of its own (its own output shows
// one line each too); the hook sees separate entries, each a message event
// of its text, with nothing that ties them together but timing. Joining
// them would mean holding entries back for a time, or guessing which lines
// continue a message, on the pipe's goroutine; dedupe cannot help, each line
// being a different message. Unskipped, on adb78a5:
//
//	4 events ("http: panic serving 1.2.3.4: boom", "goroutine 5 [running]:",
//	"net/http.(*conn).serve.func1()", "\t/usr/lib/go/src/net/http/server.go:1898 +0xbe"), want 1
func TestWriterLevelMultilineIsOneEvent(t *testing.T) {
	t.Skip("defect (judgment call): logrus' WriterLevel pipe logs each line as its own entry, so a multi-line message is one event per line; see the comment")
	l, rec := newLogger(t, nil, nil)
	w := l.WriterLevel(logrus.ErrorLevel)
	_, _ = w.Write([]byte("http: panic serving 1.2.3.4: boom\ngoroutine 5 [running]:\nnet/http.(*conn).serve.func1()\n\t/usr/lib/go/src/net/http/server.go:1898 +0xbe\n"))
	_ = w.Close()
	evs := rec.WaitEvents(1, 2*time.Second)
	time.Sleep(100 * time.Millisecond) // the pipe's other lines, if any
	if evs = rec.Events(); len(evs) != 1 {
		var msgs []string
		for _, ev := range evs {
			msgs = append(msgs, fmt.Sprintf("%q", ev.Message))
		}
		t.Errorf("%d events (%s), want 1", len(evs), strings.Join(msgs, ", "))
	}
}

// TestErrorAsArgumentIsItsError: log.Error(err), err passed as an argument
// rather than with WithError (common in logrus code), followed by the same
// error logged with WithError by the layer above, is one bug, and should
// be one event, with err as its exception. Judgment call, left as it is:
// logrus formats its arguments into the entry's message (fmt.Sprint)
// before any hook runs, so the hook gets err's text only, no value: the
// first entry is a message event of that text, with no exception, and
// capture-once, which goes by the error values, cannot know the second's
// error for that text. Taking an error-level message that equals an
// error's text for that error would turn every plain message ("payment
// failed") into a text exception and regroup issues. Use WithError, or
// Options.RequireError to keep entries without an error as breadcrumbs.
// Unskipped, on adb78a5:
//
//	2 events ("card declined" with 0 exceptions, "checkout failed" with 2 exceptions), want 1 with card declined's
func TestErrorAsArgumentIsItsError(t *testing.T) {
	t.Skip("defect (judgment call): logrus gives hooks the text of an error passed as an argument, not the error; see the comment")
	l, rec := newLogger(t, nil, nil)
	log := l.WithContext(rec.Context(context.Background()))
	err := errors.New("card declined")
	log.Error(err)
	log.WithError(fmt.Errorf("checkout: %w", err)).Error("checkout failed")
	evs := rec.Events()
	if len(evs) != 1 || len(evs[0].Exceptions()) == 0 || evs[0].Exceptions()[len(evs[0].Exceptions())-1].Value != err.Error() {
		var got []string
		for _, ev := range evs {
			got = append(got, fmt.Sprintf("%q with %d exceptions", ev.Message, len(ev.Exception)))
		}
		t.Errorf("%d events (%s), want 1 with card declined's", len(evs), strings.Join(got, ", "))
	}
}
