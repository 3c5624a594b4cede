package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// No user code runs while logcrumbs holds a trail's lock: an error's
// methods (Error, Unwrap, ...) may log to the very context the error is
// logged with, whose trail takes that lock again, and Go's mutexes are not
// reentrant: the logging goroutine would block for good. Each test runs
// its log calls in a goroutine and fails if they do not return within 5
// seconds (the goroutine then stays blocked, on the test's own trail, not
// on the fallback trail the other tests share).

// returnsWithin runs f in a goroutine and fails t if it does not return
// within 5 seconds, or panics.
func returnsWithin(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		f()
	}()
	select {
	case p := <-done:
		if p != nil {
			t.Fatalf("%s panicked: %v", what, p)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return within 5 s: deadlocked on a trail's lock (user code ran under it)", what)
	}
}

// fieldErrs is an error of an incomparable type (a slice of field errors,
// as validator's ValidationErrors), which capture-once finds again by
// identity and the text it had when captured, and whose Error method logs
// to the context it was made for, as a request's error type may (a debug
// line, a metric through a logging bridge).
type fieldErrs []fieldErr

type fieldErr struct {
	field  string
	logger *slog.Logger
	ctx    context.Context
}

func (e fieldErrs) Error() string {
	texts := make([]string, len(e))
	for i, f := range e {
		f.logger.InfoContext(f.ctx, "rendering a field error", "field", f.field)
		texts[i] = f.field + ": invalid"
	}
	return strings.Join(texts, "; ")
}

// newFieldErrs returns field errors for fields, whose Error method logs
// with logger to ctx.
func newFieldErrs(logger *slog.Logger, ctx context.Context, fields ...string) fieldErrs {
	errs := make(fieldErrs, len(fields))
	for i, f := range fields {
		errs[i] = fieldErr{f, logger, ctx}
	}
	return errs
}

// loggingWrap wraps err, and logs when unwrapped.
type loggingWrap struct {
	err    error
	logger *slog.Logger
	ctx    context.Context
}

func (w *loggingWrap) Error() string { return "wrapped: " + w.err.Error() }
func (w *loggingWrap) Unwrap() error {
	w.logger.InfoContext(w.ctx, "unwrapping")
	return w.err
}

// textOnlyErr has a method of capture-once's TextOnly's name and shape,
// which logs: nothing keeps a user's type from having one.
type textOnlyErr struct {
	logger *slog.Logger
	ctx    context.Context
}

func (e *textOnlyErr) Error() string { return "text only?" }
func (e *textOnlyErr) TextOnly() (string, bool) {
	e.logger.InfoContext(e.ctx, "asked for the text")
	return "", false
}

func userLockSetup(t *testing.T) (*logcrumbstest.Recorder, *slog.Logger, context.Context) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	return rec, logger, rec.Context(context.Background())
}

// TestErrorThatLogsLoggedTwice: the second log of an incomparable error
// whose Error method logs to the request's context. Capture-once's look-up
// rechecked the captured entry's text (err.Error()) under the trail's lock,
// and the Error method's log waited for that lock forever.
func TestErrorThatLogsLoggedTwice(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	err := newFieldErrs(logger, ctx, "email", "age")
	returnsWithin(t, "logging the error twice", func() {
		logger.ErrorContext(ctx, "validation failed", "err", err)
		logger.ErrorContext(ctx, "request failed", "err", err)
	})
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1 (capture once): %v", len(evs), evMessages(evs))
	}
}

// TestErrorThatLogsWrappedLoggedAgain: the upper layer logs the error
// wrapped (fmt.Errorf's %w): the look-up finds it by identity in the
// wrapper's chain, and rechecks its text.
func TestErrorThatLogsWrappedLoggedAgain(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	err := newFieldErrs(logger, ctx, "email")
	returnsWithin(t, "logging the error, then wrapped", func() {
		logger.ErrorContext(ctx, "validation failed", "err", err)
		logger.ErrorContext(ctx, "request failed", "err", fmt.Errorf("handler: %w", err))
	})
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1 (capture once): %v", len(evs), evMessages(evs))
	}
}

// TestErrorThatLogsCapturedByHandAfterLogged: the error logged, then
// captured through the unit's hub (sentry-go's CaptureException): the
// unit's processor asks capture-once whether it was sent (CaptureByHand),
// which rechecked the entry's text under the trail's lock.
func TestErrorThatLogsCapturedByHandAfterLogged(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	err := newFieldErrs(logger, ctx, "email")
	returnsWithin(t, "logging the error, then capturing it by hand", func() {
		logger.ErrorContext(ctx, "validation failed", "err", err)
		sentry.GetHubFromContext(ctx).CaptureException(err)
	})
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1 (capture once): %v", len(evs), evMessages(evs))
	}
}

// TestErrorThatLogsCapturedByHandTwice: captured by hand twice through the
// unit's hub, never logged.
func TestErrorThatLogsCapturedByHandTwice(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	err := newFieldErrs(logger, ctx, "email")
	returnsWithin(t, "capturing the error by hand twice", func() {
		hub := sentry.GetHubFromContext(ctx)
		hub.CaptureException(err)
		hub.CaptureException(err)
	})
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1 (capture once): %v", len(evs), evMessages(evs))
	}
}

// TestJobErrorThatLogsReturned: a job logs an error made for its own
// context and returns it: RunJob asks the job's trail whether it was sent
// (CapturedAs), which rechecked the entry's text under the job trail's
// lock.
func TestJobErrorThatLogsReturned(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	returnsWithin(t, "RunJob", func() {
		_ = logcrumbs.RunJob(ctx, "validate", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			err := newFieldErrs(logger, ctx, "email")
			logger.ErrorContext(ctx, "validation failed", "err", err)
			return err
		})
	})
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1: %v", len(evs), evMessages(evs))
	}
}

// TestJobWrapperThatLogsOnUnwrap: a job logs a wrapper whose Unwrap
// method logs to the job's context, and returns the error it wraps:
// RunJob's look-up (CapturedAs) walked the captured wrapper's chain, its
// Unwrap, under the job trail's lock.
func TestJobWrapperThatLogsOnUnwrap(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	inner := errors.New("smtp down " + t.Name())
	returnsWithin(t, "RunJob", func() {
		_ = logcrumbs.RunJob(ctx, "send", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "send failed", "err", &loggingWrap{err: inner, logger: logger, ctx: ctx})
			return inner
		})
	})
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1: %v", len(evs), evMessages(evs))
	}
}

// TestJobRetryErrorThatLogsHandedBack: a request runs a job twice (a
// retry), each run logging and returning the request's error value, whose
// Error method logs to the request's context. The second hand-back to the
// request's trail (Trail.HandBack) rechecked the first's entry under that
// trail's lock. The request's log of it then names the second run's event.
func TestJobRetryErrorThatLogsHandedBack(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	err := newFieldErrs(logger, ctx, "email")
	var jobEvents []string
	returnsWithin(t, "RunJob twice, then the caller's log", func() {
		for range 2 {
			_ = logcrumbs.RunJob(ctx, "validate", logcrumbs.JobOptions{Options: rec.Options()}, func(jctx context.Context) error {
				logger.ErrorContext(jctx, "validation failed", "err", err)
				jobEvents = append(jobEvents, string(logcrumbs.LastEventID(jctx)))
				return err
			})
		}
		logger.ErrorContext(ctx, "request failed", "err", err)
	})
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events, want the two runs': %v", len(evs), evMessages(evs))
	}
	if len(jobEvents) == 2 {
		if got := string(logcrumbs.LastEventID(ctx)); got != jobEvents[1] {
			t.Errorf("LastEventID of the request %q, want the second run's event %q", got, jobEvents[1])
		}
	}
}

// TestErrorWithTextOnlyMethodThatLogs: an error whose type has a method
// of capture-once's TextOnly's shape, which logs: capture-once asked every
// error of the chain under the trail's lock whether it was text-only.
func TestErrorWithTextOnlyMethodThatLogs(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	err := &textOnlyErr{logger: logger, ctx: ctx}
	returnsWithin(t, "logging the error twice", func() {
		logger.ErrorContext(ctx, "failed", "err", err)
		logger.ErrorContext(ctx, "failed again", "err", err)
	})
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1 (capture once): %v", len(evs), evMessages(evs))
	}
}

// renderErrs is an incomparable error (a slice of field errors) whose
// Error method logs an error of its own to the request's context, a new
// one each call (a template that failed to render the message): each call
// is one more error captured on the request's trail. calls counts them;
// past 200 it logs nothing more, so that the test ends whatever happens.
type renderErrs []*renderState

type renderState struct {
	logger *slog.Logger
	ctx    context.Context
	calls  int
}

func (e renderErrs) Error() string {
	s := e[0]
	s.calls++
	if s.calls <= 200 {
		s.logger.ErrorContext(s.ctx, "rendering failed", "err", fmt.Errorf("template %d: missing key", s.calls))
	}
	return "email: invalid"
}

// TestErrorThatLogsErrorsCapturedByHandAfterLogged: the error logged, then
// captured by hand through the unit's hub. The processor's look-up
// (CaptureByHand) asks the captured entry's Error method outside the
// trail's lock, which logged a new error: the look-up, finding an entry
// added meanwhile, asked every entry again, and again, until the new
// errors had pushed the logged error's entry out of the trail's 32 (30
// calls of its Error method, 30 events of the user's renderings), and the
// error was sent a second time.
func TestErrorThatLogsErrorsCapturedByHandAfterLogged(t *testing.T) {
	rec, logger, ctx := userLockSetup(t)
	s := &renderState{logger: logger, ctx: ctx}
	err := renderErrs{s}
	returnsWithin(t, "logging the error, then capturing it by hand", func() {
		logger.ErrorContext(ctx, "validation failed", "err", err)
		before := s.calls
		sentry.GetHubFromContext(ctx).CaptureException(err)
		if n := s.calls - before; n > 10 {
			t.Errorf("capturing the error by hand called its Error method %d times", n)
		}
	})
	ours := 0
	for _, ev := range rec.Events() {
		if ev.Message != "rendering failed" {
			ours++
		}
	}
	if ours != 1 {
		t.Errorf("%d events of the error, want 1 (capture once): %v", ours, evMessages(rec.Events()))
	}
}

// mapErrs is an error of a map type whose Error method ranges over the map
// (in Go's random order, as a user's type may), so that its text differs
// from call to call.
type mapErrs map[string]string

func (e mapErrs) Error() string {
	var b []byte
	for k, v := range e {
		b = fmt.Appendf(b, "%s: %s; ", k, v)
	}
	return string(b)
}

// TestMapErrorOfUnsortedTextLoggedTwice: an incomparable error is found
// again by identity only while its text is the one it was captured with
// (a map cleared and refilled in place is another error): a map error
// whose Error ranges over the map unsorted has another text on most
// calls, and each log of it is a new event.
func TestMapErrorOfUnsortedTextLoggedTwice(t *testing.T) {
	t.Skip("defect (judgment call, as old as identity matching, not from 6124c4c): an incomparable error whose text varies between calls (a map ranged in random order) is never found again: one event per log")
	rec, logger, ctx := userLockSetup(t)
	err := mapErrs{"email": "invalid", "age": "negative", "name": "empty", "zip": "short"}
	for range 5 {
		logger.ErrorContext(ctx, "validation failed", "err", err)
	}
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1 (capture once): %v", len(evs), evMessages(evs))
	}
}
