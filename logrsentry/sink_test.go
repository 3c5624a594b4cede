package logrsentry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// TestLevels: V(0) is an info breadcrumb, V(1) a debug one, V(2) is not
// kept by default; Verbosity 3 keeps it, -1 keeps V(0) only; every Error is
// an event, with the name as its logger.
func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		verbosity int
		want      string
	}{
		{0, "info:ctrl:v0,debug:ctrl:v1"},
		{3, "info:ctrl:v0,debug:ctrl:v1,debug:ctrl:v2"},
		{-1, "info:ctrl:v0"},
	} {
		rec := logcrumbstest.New(t)
		base := logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options(), Verbosity: tc.verbosity}))
		_, log := logrsentry.WithContext(rec.Context(context.Background()), base.WithName("ctrl"))
		for v := range 3 {
			log.V(v).Info(fmt.Sprint("v", v))
		}
		log.Error(errors.New("boom"), "failed")
		evs := rec.Events()
		if len(evs) != 1 || evs[0].Level != sentry.LevelError || evs[0].Logger != "ctrl" {
			t.Fatalf("Verbosity %d: events %+v, want one error of logger ctrl", tc.verbosity, evs)
		}
		var got []string
		for _, b := range evs[0].Breadcrumbs() {
			got = append(got, string(b.Level)+":"+b.Category+":"+b.Message)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("Verbosity %d: breadcrumbs %v, want %s", tc.verbosity, got, tc.want)
		}
		if base.V(2).Enabled() != (tc.verbosity >= 2) {
			t.Errorf("Verbosity %d: V(2).Enabled() = %v", tc.verbosity, base.V(2).Enabled())
		}
	}
}

// TestOddListsAndMarshalers: what funcr writes for an odd list, a key that
// is not a string and a logr.Marshaler is what Sentry gets; the caller's
// list is not changed; the error passed to Error is the exception and an
// error among the values is collected too.
func TestOddListsAndMarshalers(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx, log := logrsentry.WithContext(rec.Context(context.Background()),
		logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()})))
	kv := []any{42, "v", "pw", secret("hunter2"), "dangling"}
	log.Info("odd", kv...)
	if kv[0] != 42 || len(kv) != 5 {
		t.Errorf("the caller's list changed: %v", kv)
	}
	log.Error(errors.New("outer"), "failed", "cause", errors.New("inner"), true, "odd")
	ev := rec.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	b := logcrumbs.FromContext(ctx).Breadcrumbs()[0].Data
	if b["<non-string-key: 42>"] != "v" || b["pw"] != "(hidden)" || b["dangling"] != "<no-value>" {
		t.Errorf("breadcrumb data %v", b)
	}
	lc := ev[0].LogContext()
	if lc["error"] != "outer" || lc["cause"] != "inner" || lc["<non-string-key: true>"] != "odd" {
		t.Errorf("log context %v", lc)
	}
	if ex := ev[0].Exceptions(); len(ex) != 3 || ex[1].Value != "outer" || ex[2].Value != "inner" {
		t.Errorf("exceptions %+v, want outer and inner, joined", ex)
	}
}

// TestWithContextAndFromContext: the logger WithContext returns is in the
// returned context, so code that takes its logger with logr.FromContext
// logs into the unit's trail; a logger whose sink is not logcrumbs' is
// returned as it is.
func TestWithContextAndFromContext(t *testing.T) {
	rec := logcrumbstest.New(t)
	base := logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()}))
	ctx, _ := logrsentry.WithContext(rec.Context(context.Background()), base)
	deep := func(ctx context.Context) {
		log := logr.FromContextOrDiscard(ctx)
		log.Info("deep down")
		log.Error(errors.New("no route"), "failed")
	}
	deep(ctx)
	if evs := rec.Events(); len(evs) != 1 || strings.Join(evs[0].BreadcrumbMessages(), ",") != "deep down" {
		t.Errorf("events %+v, want one with the breadcrumb logged through logr.FromContext", evs)
	}
	if _, l := logrsentry.WithContext(context.Background(), logr.Discard()); l != logr.Discard() {
		t.Error("logr.Discard() bound is not logr.Discard()")
	}
}

// quotaError is an error that also implements logr.Marshaler, as error
// types meant for structured logs do.
type quotaError struct{ code int }

func (e *quotaError) Error() string { return "quota exceeded" }

func (e *quotaError) MarshalLog() any { return map[string]int{"code": e.code} }

// TestErrorThatIsAMarshaler: an error that implements logr.Marshaler, passed
// to Error or among the values, is still the event's exception; the
// "error" value is its Error text, and other values its MarshalLog, as
// funcr writes them.
func TestErrorThatIsAMarshaler(t *testing.T) {
	var out strings.Builder
	user := funcr.NewJSON(func(obj string) { out.WriteString(obj) }, funcr.Options{})
	rec := logcrumbstest.New(t)
	_, log := logrsentry.WithContext(rec.Context(context.Background()),
		logrsentry.Wrap(user, logrsentry.Options{Options: rec.Options()}))
	log.Error(&quotaError{7}, "failed", "cause", &quotaError{8})
	if want := `"error":"quota exceeded","cause":{"code":8}`; !strings.Contains(out.String(), want) {
		t.Fatalf("funcr wrote %s, the test expects %s", out.String(), want)
	}
	ev := rec.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	lc := ev[0].LogContext()
	if lc["error"] != "quota exceeded" || fmt.Sprint(lc["cause"]) != "map[code:8]" {
		t.Errorf("log context %v, want funcr's values", lc)
	}
	ex := ev[0].Exceptions()
	var types []string
	for _, e := range ex {
		types = append(types, e.Type+":"+e.Value)
	}
	if !slices.Contains(types, "*logrsentry_test.quotaError:quota exceeded") || len(ex) < 2 {
		t.Errorf("exceptions %v, want both quota errors", types)
	}
}

// TestErrorOfErrorLeads: the err given to Error is the event's error even
// when the logger carries another error from WithValues: it leads the
// exception chain and is the hint's OriginalException that BeforeSend
// sees, as logrus' WithError error leads the entry's other error fields.
func TestErrorOfErrorLeads(t *testing.T) {
	var original error
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			original = hint.OriginalException
			return ev
		}
	})
	base := logrsentry.Wrap(logr.Discard(), logrsentry.Options{Options: rec.Options()})
	_, log := logrsentry.WithContext(rec.Context(context.Background()), base)
	earlier := errors.New("earlier")
	log = log.WithValues("lastErr", earlier)
	for _, text := range []string{"quota exceeded", "timeout"} { // the second: the WithValues errors are as they were
		rec.Reset()
		err := errors.New(text)
		log.Error(err, "reconcile failed")
		ev := rec.OnlyEvent()
		if original != err {
			t.Errorf("BeforeSend's OriginalException is %v, want Error's err %v", original, err)
		}
		if ex := ev.Exceptions(); len(ex) != 3 || ex[1].Value != text || ex[2].Value != "earlier" {
			t.Errorf("exceptions %+v, want the join of Error's err, then the WithValues error", ex)
		}
	}
}

// TestWrapTwiceIsOneTee: a logger wrapped twice (the program wraps the
// logger it hands to a library that wraps what it is given, or a
// constructor wraps a logger that main wrapped already) feeds logcrumbs
// once: the request's error is one event, with the request's trail and
// each breadcrumb once, and LastEventID names it. On 0e39369 the inner
// tee, which WithContext could not reach, kept every record a second time
// in the fallback trail and sent the error first from there: with the
// default DedupeWindow that event, carrying another request's
// breadcrumbs, was the one sent, and the request's own was dropped as its
// repeat; without deduplication, both were sent.
func TestWrapTwiceIsOneTee(t *testing.T) {
	for _, dedupe := range []bool{true, false} {
		rec := logcrumbstest.New(t)
		var out []string
		base := funcr.New(func(_, args string) { out = append(out, args) }, funcr.Options{})
		opts := logrsentry.Options{Options: rec.Options()}
		if dedupe {
			opts.DedupeWindow = 0 // the default window
		}
		once := logrsentry.Wrap(base, opts)
		once.Info("elsewhere " + t.Name()) // unbound: the fallback trail
		ctx, log := logrsentry.WithContext(rec.Context(context.Background()), logrsentry.Wrap(once, opts))
		log.Info("loading")
		log.Error(errors.New("quota exceeded"), "reconcile failed")

		evs := rec.Events()
		if len(evs) != 1 {
			t.Fatalf("dedupe %v: %d events, want 1", dedupe, len(evs))
		}
		if got := strings.Join(evs[0].BreadcrumbMessages(), ","); got != "loading" {
			t.Errorf("dedupe %v: breadcrumbs %q, want the request's own, once", dedupe, got)
		}
		if id := logcrumbs.LastEventID(ctx); id != evs[0].EventID {
			t.Errorf("dedupe %v: LastEventID %q, want the event's %q", dedupe, id, evs[0].EventID)
		}
		if len(out) != 3 {
			t.Errorf("dedupe %v: funcr wrote %d lines, want 3: %q", dedupe, len(out), out)
		}
	}
}
