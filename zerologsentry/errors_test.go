package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	pkgerrors "github.com/pkg/errors"
	"github.com/rs/zerolog"
	zpkgerrors "github.com/rs/zerolog/pkgerrors"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// codedErr is a program's error type, whose value an event should carry.
type codedErr struct{ code int }

func (e *codedErr) Error() string { return fmt.Sprintf("code %d", e.code) }

// TestErrorMarshalFuncOverAStringMarshaler: zerologsentry.ErrorMarshalFunc
// wrapped around a program's zerolog.ErrorMarshalFunc that returns the
// error's text as a string (a common way to control what zerolog writes,
// fmt.Sprintf("%+v", err) for a stack), as its godoc invites, still gives
// the event the real error value, and zerolog writes what it wrote
// without it.
func TestErrorMarshalFuncOverAStringMarshaler(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	programs := map[string]func(error) any{
		"text":     func(err error) any { return err.Error() },
		"prefixed": func(err error) any { return "E: " + err.Error() },
	}
	for name, program := range programs {
		for _, writer := range []bool{false, true} {
			err := fmt.Errorf("charge: %w", &codedErr{402})
			var outs [2]syncBuffer
			for i, wrapped := range []bool{false, true} {
				zerolog.ErrorMarshalFunc = program
				if wrapped {
					zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(program)
				}
				rec := logcrumbstest.New(t)
				opts := zerologsentry.Options{Options: rec.Options()}
				var log zerolog.Logger
				ctx := rec.Context(context.Background())
				if writer {
					w := zerologsentry.NewWriter(&outs[i], opts)
					_, log = w.WithContext(ctx, zerolog.New(w))
				} else {
					_, log = zerologsentry.WithContext(ctx, zerolog.New(&outs[i]).Hook(zerologsentry.NewHook(opts)))
				}
				log.Error().Err(err).Msg("failed")
				if !wrapped {
					continue
				}
				var types []string
				for _, ex := range rec.OnlyEvent().Exception {
					types = append(types, ex.Type+"="+ex.Value)
				}
				if got := strings.Join(types, ","); !strings.Contains(got, "*zerologsentry_test.codedErr=code 402") ||
					!strings.Contains(got, "*fmt.wrapError=charge: code 402") {
					t.Errorf("%s, writer %v: exceptions = %v, want the real error chain", name, writer, types)
				}
			}
			if outs[0].String() != outs[1].String() {
				t.Errorf("%s, writer %v: output changed:\n%s%s", name, writer, outs[0].String(), outs[1].String())
			}
		}
	}
}

// TestPkgErrorsStack: without ErrorMarshalFunc, the stack zerolog encodes
// with pkgerrors.MarshalStack becomes the exception's stack.
func TestPkgErrorsStack(t *testing.T) {
	saved := zerolog.ErrorStackMarshaler
	t.Cleanup(func() { zerolog.ErrorStackMarshaler = saved })
	zerolog.ErrorStackMarshaler = zpkgerrors.MarshalStack

	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	logger.Error().Stack().Err(pkgerrors.New("from deep down")).Msg("failed")
	ev := rec.OnlyEvent()
	if len(ev.Exception) != 1 || ev.Exception[0].Value != "from deep down" {
		t.Fatalf("exception = %+v", ev.Exception)
	}
	frames := ev.Exception[0].Stacktrace.Frames
	if top := frames[len(frames)-1]; top.Function != "TestPkgErrorsStack" || top.Filename != "errors_test.go" || top.Lineno == 0 {
		t.Errorf("top frame = %+v, want the line pkgerrors.New was called on", top)
	}
	if _, ok := ev.Contexts["log"]["stack"]; ok {
		t.Error("the stack field is also in the log context")
	}
}

// TestTextErrorStackNotShared: text-only errors of the same text are
// shared between records (textError), so the stack zerolog encodes beside
// one record's error is that record's alone: events of the same text
// before and after it carry the caller's stack, not it.
func TestTextErrorStackNotShared(t *testing.T) {
	saved := zerolog.ErrorStackMarshaler
	t.Cleanup(func() { zerolog.ErrorStackMarshaler = saved })
	zerolog.ErrorStackMarshaler = zpkgerrors.MarshalStack

	logger, rec := newLogger(t, zerologsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}, nil)
	logIn := func(err error, stack bool) {
		_, log := zerologsentry.WithContext(context.Background(), logger) // a request each: no capture-once
		e := log.Error()
		if stack {
			e = e.Stack()
		}
		e.Err(err).Msg("failed")
	}
	logIn(errors.New("from deep down"), false)
	logIn(pkgerrors.New("from deep down"), true)
	logIn(errors.New("from deep down"), false)
	evs := rec.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	for i, ev := range evs {
		if len(ev.Exception) != 1 || ev.Exception[0].Stacktrace == nil {
			t.Fatalf("event %d: exception = %+v", i, ev.Exception)
		}
		frames := ev.Exception[0].Stacktrace.Frames
		top := frames[len(frames)-1]
		fromPkgErrors := top.Function == "TestTextErrorStackNotShared"
		if fromPkgErrors != (i == 1) {
			t.Errorf("event %d: top frame %s %s:%d; want pkgerrors' stack only in event 1", i, top.Function, top.Filename, top.Lineno)
		}
	}
}

// TestUnboundSameTextOtherLinesAreTwoEvents: two unbound records (the
// process-wide fallback trail, which mixes every request and so matches no
// error by its text) from two call sites, whose errors have one text, are
// two bugs and two events, as they were before text-only errors were
// shared: capture-once must not take the shared text-only error for the
// same error by its identity. Hook and writer.
func TestUnboundSameTextOtherLinesAreTwoEvents(t *testing.T) {
	for _, name := range []string{"hook", "writer"} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}
			var logger zerolog.Logger
			if name == "hook" {
				logger = zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(opts))
			} else {
				logger = zerolog.New(zerologsentry.NewWriter(new(syncBuffer), opts))
			}
			text := "connection refused " + t.Name()
			logger.Error().Err(errors.New(text)).Msg("fetch failed")  // one request's bug
			logger.Error().Err(errors.New(text)).Msg("notify failed") // another's, from another line
			if evs := rec.Events(); len(evs) != 2 {
				t.Errorf("%d events %q, want 2 (two call sites, unbound)", len(evs), messagesOf(rec))
			}
		})
	}
}

type relogErr struct{ s string }

func (e *relogErr) Error() string { return e.s }

// TestScanMemoRelogsAnEventsError: a program that logs, with
// ErrorMarshalFunc, the error logcrumbs handed it (BeforeSend's
// OriginalException, a text-only error of the field "error") puts that
// error in the table of remembered errors; an error of its own with the
// same text, logged afterwards (here by another request, whose trail has
// skipped a repeat), is its text's newest value, and its event carries it:
// not the text-only error an earlier scan of the same fields found.
func TestScanMemoRelogsAnEventsError(t *testing.T) {
	for _, writer := range []bool{false, true} {
		t.Run(map[bool]string{false: "hook", true: "writer"}[writer], func(t *testing.T) {
			defer func(f func(error) any) { zerolog.ErrorMarshalFunc = f }(zerolog.ErrorMarshalFunc)
			zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(nil)
			text := "memo relog review " + map[bool]string{false: "hook", true: "writer"}[writer]
			var orig error
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
					if orig == nil {
						orig = hint.OriginalException
					}
					return ev
				}
			})
			opts := zerologsentry.Options{Options: rec.Options()}
			var base zerolog.Logger
			var bind func(ctx context.Context) zerolog.Logger
			if writer {
				w := zerologsentry.NewWriter(io.Discard, opts)
				base = zerolog.New(w)
				bind = func(ctx context.Context) zerolog.Logger { _, l := w.WithContext(ctx, base); return l }
			} else {
				base = zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts))
				bind = func(ctx context.Context) zerolog.Logger { _, l := zerologsentry.WithContext(ctx, base); return l }
			}
			a := bind(rec.Context(context.Background())) // one request
			a.Error().Str("error", text).Msg("failed")   // an event: a text-only error
			if orig == nil {
				t.Fatal("no OriginalException")
			}
			a.Warn().Err(orig).Msg("reported") // remembered by its text
			for range 3 {
				a.Error().Str("error", text).Msg("failed") // repeats: skipped
			}
			b := bind(rec.Context(context.Background())) // another request
			for range 2 {
				b.Error().Str("error", "memo relog other").Msg("other") // an event, then a skipped repeat
			}
			b.Error().Err(&relogErr{text}).Msg("failed") // the program's own error: this request's first
			events := rec.Events()
			if len(events) != 3 {
				t.Fatalf("%d events, want 3", len(events))
			}
			if ex := events[2].Exceptions(); len(ex) == 0 || ex[0].Type != "*zerologsentry_test.relogErr" {
				t.Errorf("the last event's exceptions %+v, want the program's *relogErr", ex)
			}
		})
	}
}

// zlFieldErrs is an error of an incomparable type (a slice of field
// errors, found again by identity and its text by capture-once) whose
// Error method logs with the request's logger.
type zlFieldErrs []zlFieldErr

type zlFieldErr struct {
	field  string
	logger *zerolog.Logger
}

func (e zlFieldErrs) Error() string {
	texts := make([]string, len(e))
	for i, f := range e {
		f.logger.Info().Str("field", f.field).Msg("rendering a field error")
		texts[i] = f.field + ": invalid"
	}
	return strings.Join(texts, "; ")
}

// TestErrorThatLogsLoggedTwice: with ErrorMarshalFunc (the real error
// values reach logcrumbs), an incomparable error whose Error method logs
// to the request's logger, logged twice: the second log's capture-once
// look-up rechecked the captured error's text, its Error method, under
// the trail's lock, where its log waited for that lock forever.
func TestErrorThatLogsLoggedTwice(t *testing.T) {
	for _, writer := range []bool{false, true} {
		name := map[bool]string{false: "hook", true: "writer"}[writer]
		t.Run(name, func(t *testing.T) {
			defer func(f func(error) any) { zerolog.ErrorMarshalFunc = f }(zerolog.ErrorMarshalFunc)
			zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(nil)
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			var l zerolog.Logger
			ctx := rec.Context(context.Background())
			if writer {
				w := zerologsentry.NewWriter(io.Discard, opts)
				_, l = w.WithContext(ctx, zerolog.New(w))
			} else {
				_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
			}
			err := zlFieldErrs{{"email", &l}, {"age", &l}}
			done := make(chan struct{})
			go func() {
				defer close(done)
				l.Error().Err(err).Msg("validation failed")
				l.Error().Err(err).Msg("request failed")
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("logging the error twice did not return within 5 s: deadlocked on the trail's lock (user code ran under it)")
			}
			if evs := rec.Events(); len(evs) != 1 {
				t.Errorf("%d events, want 1 (capture once)", len(evs))
			}
		})
	}
}

// TestTopJobErrorLoggedByCallerTextErrors: at the top of a program (a
// consumer's loop: ctx carries the hub, no unit of work), a job logs its
// error with zerolog and returns it, and the loop logs what RunJob
// returned with the same zerolog logger (.Ctx(ctx), no WithContext): one
// event, as RunJob's doc says ("to the records logged without one") and as
// slog and logrus do, with zerolog's default error marshaling (text
// errors) too: the fallback trail, which matches no other text-only error
// by text (two units' logs of one text are not one bug), matches one to
// an error a job handed back, of the job's client within its window.
func TestTopJobErrorLoggedByCallerTextErrors(t *testing.T) {
	for _, text := range []bool{false, true} {
		t.Run(map[bool]string{false: "real errors", true: "text errors"}[text], func(t *testing.T) {
			saved := zerolog.ErrorMarshalFunc
			t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
			zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
			if !text {
				zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
			}
			rec := logcrumbstest.New(t)
			logger := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()}))
			ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
			errDown := errors.New("broker down " + t.Name())
			err := logcrumbs.RunJob(ctx, "consume", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				logger.Error().Ctx(ctx).Err(errDown).Msg("consume failed")
				return errDown
			})
			logger.Error().Ctx(ctx).Err(err).Msg("message failed")
			if evs := rec.Events(); len(evs) != 1 {
				msgs := make([]string, len(evs))
				for i, ev := range evs {
					msgs[i] = ev.Message
				}
				t.Errorf("%d events %q, want the job's one", len(evs), msgs)
			}
		})
	}
}
