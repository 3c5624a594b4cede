package crosstest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"testing"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// logErrorFunc logs err at error level with msg, in the unit of work of ctx.
type logErrorFunc func(ctx context.Context, msg string, err error)

// errorLoggers returns, for each logger and binding, a function that logs an
// error through it to rec. The zerolog ones log whatever
// zerolog.ErrorMarshalFunc is at the time.
func errorLoggers(rec *logcrumbstest.Recorder) map[string]logErrorFunc {
	opts := rec.Options()
	sl := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	zl := zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts}))
	hook := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts}))
	w := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts})
	return map[string]logErrorFunc{
		"slog": func(ctx context.Context, msg string, err error) { sl.ErrorContext(ctx, msg, "err", err) },
		"zap": func(ctx context.Context, msg string, err error) {
			_, l := zapsentry.WithContext(ctx, zl)
			l.Error(msg, zap.Error(err))
		},
		"zerolog hook": func(ctx context.Context, msg string, err error) {
			_, l := zerologsentry.WithContext(ctx, hook)
			l.Error().Err(err).Msg(msg)
		},
		"zerolog writer": func(ctx context.Context, msg string, err error) {
			_, l := w.WithContext(ctx, zerolog.New(w))
			l.Error().Err(err).Msg(msg)
		},
	}
}

// withErrorMarshalFunc sets zerolog.ErrorMarshalFunc to f for the test.
func withErrorMarshalFunc(t *testing.T, f func(error) any) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = f
}

// checkOneEvent checks that rec got exactly one event, with message want,
// and that each error breadcrumb of ctx's trail names it.
func checkOneEvent(t *testing.T, rec *logcrumbstest.Recorder, ctx context.Context, want string, errorCrumbs int) {
	t.Helper()
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events %v, want 1 (one bug)", len(evs), eventMessages(evs))
	}
	if evs[0].Message != want {
		t.Errorf("event %q, want %q", evs[0].Message, want)
	}
	n := 0
	for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		if b.Level != "error" {
			continue
		}
		n++
		if b.Data["sentry.event_id"] != string(evs[0].EventID) {
			t.Errorf("breadcrumb %q names %v, want the event %s", b.Message, b.Data["sentry.event_id"], evs[0].EventID)
		}
	}
	if n != errorCrumbs {
		t.Errorf("%d error breadcrumbs, want %d", n, errorCrumbs)
	}
}

func eventMessages(evs []logcrumbstest.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Message
	}
	return out
}

// fieldErrs is an error type that == cannot compare, shaped like
// validator's ValidationErrors.
type fieldErrs []string

func (e fieldErrs) Error() string { return fmt.Sprint([]string(e)) }

// TestCaptureOnceZerologText: without
// zerologsentry.ErrorMarshalFunc, as the README's zerolog quick start runs
// by default, an error logged at three layers of one request (so known only
// by its text) is one event, through the hook and through the writer;
// another error, or the same text in another request, is its own event.
func TestCaptureOnceZerologText(t *testing.T) {
	withErrorMarshalFunc(t, func(err error) any { return err }) // zerolog's default
	for _, name := range []string{"zerolog hook", "zerolog writer"} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logErr := errorLoggers(rec)[name]
			ctx := rec.Context(context.Background())
			repo := errors.New("repo failed " + t.Name())
			svc := fmt.Errorf("svc: %w", repo)
			logErr(ctx, "repo failed", repo)
			logErr(ctx, "svc failed", svc)
			logErr(ctx, "handler failed", fmt.Errorf("h: %w", svc))
			checkOneEvent(t, rec, ctx, "repo failed", 3)
			if ex := rec.Events()[0].Exceptions(); len(ex) != 1 || ex[0].Type != "error" {
				t.Errorf("exceptions %+v, want the error's text", ex)
			}

			logErr(ctx, "other failed", errors.New("x"+repo.Error()))
			logErr(rec.Context(context.Background()), "another request", svc)
			if got := eventMessages(rec.Events()); len(got) != 3 {
				t.Errorf("events %q, want 3: another text, another request", got)
			}
		})
	}
}

// TestLoggedThenPanickedUnderSentryhttp: a handler that
// logs an error and then panics with it (or with a wrapper of it) is one
// event, the logged one, with logcrumbs' middleware and sentryhttp nested
// either way, recovering or not.
func TestLoggedThenPanickedUnderSentryhttp(t *testing.T) {
	for _, order := range []string{"sentryhttp inside", "sentryhttp outside"} {
		for _, recoverIt := range []bool{false, true} {
			for _, wrap := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/recover=%v/wrapped=%v", order, recoverIt, wrap), func(t *testing.T) {
					rec := logcrumbstest.New(t)
					logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
					app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						logger.InfoContext(r.Context(), "start")
						err := errors.New("boom")
						logger.ErrorContext(r.Context(), "failed", "err", err)
						if wrap {
							panic(fmt.Errorf("panicking: %w", err))
						}
						panic(err)
					})
					lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: recoverIt})
					sh := sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle
					var h http.Handler
					if order == "sentryhttp inside" {
						h = lc(sh(app))
					} else {
						h = sh(lc(app))
					}
					_, p := serve(withHub(h, rec.Hub()), "/x")
					if (p == nil) != recoverIt {
						t.Errorf("panicked %v with Recover %v", p, recoverIt)
					}
					evs := rec.Events()
					if len(evs) != 1 || evs[0].Message != "failed" {
						t.Fatalf("events %q, want only the logged one", eventMessages(evs))
					}
					if got := evs[0].BreadcrumbMessages(); len(got) != 1 || got[0] != "start" {
						t.Errorf("breadcrumbs %q", got)
					}
				})
			}
		}
	}
}

// TestNewContextBehindMiddleware: the slog quick start's
// logcrumbs.NewContext inside a handler behind Middleware keeps the
// request's trail: an error captured by hand and logged is one event, and a
// panic event carries the handler's breadcrumbs. Inside RunJob the same.
// On a context with no unit of work NewContext still starts a new trail.
func TestNewContextBehindMiddleware(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := logcrumbs.NewContext(r.Context())
		logger.InfoContext(ctx, "start "+r.URL.Path)
		if r.URL.Path == "/panic" {
			panic("kaput")
		}
		err := errors.New("disk full")
		sentry.GetHubFromContext(ctx).CaptureException(err)
		logger.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", err))
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})(app)
	serve(h, "/capture")
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("hand capture and log: events %q, want 1", eventMessages(evs))
	}
	rec.Reset()
	serve(h, "/panic")
	if evs := rec.Events(); len(evs) != 1 || !slices.Equal(evs[0].BreadcrumbMessages(), []string{"start /panic"}) {
		t.Errorf("panic: events %q; want one, with the handler's breadcrumb", eventMessages(evs))
	}

	rec.Reset()
	_ = logcrumbs.RunJob(context.Background(), "j", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
		logger.InfoContext(logcrumbs.NewContext(ctx), "job step")
		panic("job kaput")
	})
	if evs := rec.Events(); len(evs) != 1 || !slices.Equal(evs[0].BreadcrumbMessages(), []string{"job step"}) {
		t.Errorf("job panic: events %q; want one, with the job's breadcrumb", eventMessages(evs))
	}

	plain := logcrumbs.NewContext(context.Background())
	if again := logcrumbs.NewContext(plain); logcrumbs.FromContext(again).Cap() != logcrumbs.DefaultCapacity ||
		again == plain {
		t.Error("NewContext on a context with a trail bound to no unit of work did not start a new trail")
	}
}

// errGone is a sentinel many unrelated errors of one request wrap.
var errGone = errors.New("gone")

// TestUnrelatedErrorsSharingASentinel: an error the handler logged and a
// different error it then panics with, or captures by hand, that only share
// a sentinel they both wrap are two bugs: two events. The panic (under
// sentryhttp, in either nesting order) or the hand capture must not be
// dropped as "already sent". The hub's event processor is the same for
// every logger, so slog proves it.
func TestUnrelatedErrorsSharingASentinel(t *testing.T) {
	for _, how := range []string{"panic/sentryhttp inside", "panic/sentryhttp outside", "hand capture"} {
		t.Run(how, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logger.ErrorContext(r.Context(), "load failed", "err", fmt.Errorf("load cart: %w", errGone))
				other := fmt.Errorf("render receipt: %w", errGone)
				if how == "hand capture" {
					sentry.GetHubFromContext(r.Context()).CaptureException(other)
					return
				}
				panic(other)
			})
			lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})
			sh := sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle
			h := lc(sh(app))
			if how == "panic/sentryhttp outside" {
				h = sh(lc(app))
			}
			serve(withHub(h, rec.Hub()), "/x")
			if evs := rec.Events(); len(evs) != 2 {
				t.Fatalf("events %q, want 2: the logged error and the other one", eventMessages(evs))
			}
		})
	}
}

// TestCaptureOnceReusedSliceError: a validator that reuses one slice for its
// errors (buf[:0], then append) returns two different errors that share the
// slice's elements; logged in one request they are two bugs, two events,
// with every logger (the zerolog ones with ErrorMarshalFunc, which hands
// them the values). The same error boxed twice is still one.
func TestCaptureOnceReusedSliceError(t *testing.T) {
	withErrorMarshalFunc(t, zerologsentry.ErrorMarshalFunc(nil))
	for name := range errorLoggers(logcrumbstest.New(t)) {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logErr := errorLoggers(rec)[name]
			ctx := rec.Context(context.Background())
			buf := make(fieldErrs, 0, 4)
			validate := func(field string) fieldErrs {
				buf = append(buf[:0], field+": required "+t.Name())
				return buf
			}
			first := validate("name")
			logErr(ctx, "name invalid", first)
			logErr(ctx, "name invalid again", fmt.Errorf("svc: %w", first)) // boxed again: the same error
			logErr(ctx, "email invalid", validate("email"))
			if got := eventMessages(rec.Events()); !slices.Equal(got, []string{"name invalid", "email invalid"}) {
				t.Errorf("events %q, want the name error once and the email error", got)
			}
		})
	}
}

// TestRunJobPerMessageInsideJob: the README's advice for a consumer inside
// a unit of work (NewContext returns the unit's context unchanged there):
// RunJob per message gives each message its own trail, so the same error
// in two messages is two events, each with its own message's breadcrumbs.
func TestRunJobPerMessageInsideJob(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	_ = logcrumbs.RunJob(context.Background(), "consume", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		for _, msg := range []string{"m1", "m2"} {
			_ = logcrumbs.RunJob(ctx, "message", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				logger.InfoContext(ctx, "handling "+msg)
				logger.ErrorContext(ctx, "failed", "err", errGone)
				return nil
			})
		}
		return nil
	})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("events %q, want one per message", eventMessages(evs))
	}
	for i, msg := range []string{"m1", "m2"} {
		if got := evs[i].BreadcrumbMessages(); !slices.Equal(got, []string{"handling " + msg}) {
			t.Errorf("message %s: breadcrumbs %q", msg, got)
		}
	}
}
