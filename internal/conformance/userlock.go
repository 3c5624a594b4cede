package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// returnsWithin runs f in a goroutine and fails t if it does not return
// within 5 seconds, or panics. A goroutine deadlocked on a trail's lock
// stays blocked, on the test's own trail (a unit of work of its own), not
// on the fallback trail the other cases share; the binary goes on.
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

// loggingErrs is an error of an incomparable type (a slice of field errors,
// as validator's ValidationErrors), which capture-once finds again by
// identity and the text it had when captured, and whose Error method logs
// with the logger of the unit of work it was made for, as a request's
// error type may (a debug line, a metric through a logging bridge).
type loggingErrs []loggingErr

type loggingErr struct {
	field, test string // test: the texts of the errors of a case are its own
	log         Logger
}

func (e loggingErrs) Error() string {
	texts := make([]string, len(e))
	for i, f := range e {
		f.log.Log(Info, "rendering a field error", Field{"field", f.field})
		texts[i] = f.field + ": invalid in " + f.test
	}
	return strings.Join(texts, "; ")
}

// newLoggingErrs returns the errors of fields, logging with log, of texts
// of t's own: zerologsentry's ErrorMarshalFunc remembers errors by their
// texts process-wide, which a text-errors driver's records would find.
func newLoggingErrs(t *testing.T, log Logger, fields ...string) loggingErrs {
	errs := make(loggingErrs, len(fields))
	for i, f := range fields {
		errs[i] = loggingErr{f, t.Name(), log}
	}
	return errs
}

// loggingWrap wraps err, and logs when unwrapped.
type loggingWrap struct {
	err error
	log Logger
}

func (w *loggingWrap) Error() string { return "wrapped: " + w.err.Error() }
func (w *loggingWrap) Unwrap() error {
	w.log.Log(Info, "unwrapping")
	return w.err
}

// textOnlyErr has a method of capture-once's TextOnly's name and shape
// (buffer.TextOnly), which logs: nothing keeps a user's type from having
// one.
type textOnlyErr struct {
	log  Logger
	text string
}

func (e *textOnlyErr) Error() string { return e.text }
func (e *textOnlyErr) TextOnly() (string, bool) {
	e.log.Log(Info, "asked for the text")
	return "", false
}

// renderErrs is an incomparable error whose Error method logs an error of
// its own, a new one each call (a template that failed to render the
// message): each call is one more error captured on the unit's trail. Past
// 200 calls it logs nothing more, so that the case ends whatever happens.
type renderErrs []*renderState

type renderState struct {
	log   Logger
	text  string
	mu    sync.Mutex
	calls int
}

func (e renderErrs) Error() string {
	s := e[0]
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	if n <= 200 {
		s.log.Log(Error, "rendering failed", Field{"err", fmt.Errorf("template %d: missing key", n)})
	}
	return s.text
}

// ErrorMethodsThatLog: no user code runs while logcrumbs holds a trail's
// lock. An error's methods (Error, Unwrap, a method of TextOnly's shape)
// may log to the very unit of work the error is logged in, whose trail
// takes that lock again, and Go's mutexes are not reentrant: the log call
// would block for good. The error logged twice, wrapped, captured by hand
// through the unit's hub after it was logged or twice, returned by a job
// (RunJob asks the job's trail what it became), a job's wrapper whose
// Unwrap logs, a job retried whose error is handed back twice: each
// returns, and capture-once holds (one event, which the later records'
// breadcrumbs and LastEventID name). An Error method that itself logs a
// new error each call leaves the logged error one event, its method
// called a few times, not once per entry of the trail.
func testErrorMethodsThatLog(t *testing.T, d Driver) {
	setup := func(t *testing.T) (Logger, *logcrumbstest.Recorder, context.Context, Logger) {
		logger, rec := newLogger(t, d, nil)
		ctx := rec.Context(context.Background())
		return logger, rec, ctx, logger.Bind(ctx)
	}
	// checkNamed checks that rec sent one event, of message want, and that
	// the unit's errorCrumbs error records (its own among them, when the
	// unit logged it) and LastEventID name it.
	checkNamed := func(t *testing.T, rec *logcrumbstest.Recorder, ctx context.Context, want string, errorCrumbs int) {
		t.Helper()
		evs := rec.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events %q, want 1 (capture once)", len(evs), messages(evs))
		}
		if evs[0].Message != want {
			t.Errorf("event %q, want %q", evs[0].Message, want)
		}
		n := 0
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			if b.Level != sentry.LevelError {
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
		if got := logcrumbs.LastEventID(ctx); got != evs[0].EventID {
			t.Errorf("LastEventID %q, want the event %q", got, evs[0].EventID)
		}
	}
	t.Run("logged twice", func(t *testing.T) {
		_, rec, ctx, log := setup(t)
		err := newLoggingErrs(t, log, "email", "age")
		returnsWithin(t, "logging the error twice", func() {
			log.Log(Error, "validation failed", Field{"err", err})
			log.Log(Error, "request failed", Field{"err", err})
		})
		checkNamed(t, rec, ctx, "validation failed", 2)
		rendered := false
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			rendered = rendered || b.Message == "rendering a field error"
		}
		if !rendered {
			t.Error("no breadcrumb of the Error method's log: it was not logged to the unit")
		}
	})
	t.Run("wrapped", func(t *testing.T) {
		_, rec, ctx, log := setup(t)
		err := newLoggingErrs(t, log, "email")
		returnsWithin(t, "logging the error, then wrapped", func() {
			log.Log(Error, "validation failed", Field{"err", err})
			log.Log(Error, "request failed", Field{"err", fmt.Errorf("handler: %w", err)})
		})
		checkNamed(t, rec, ctx, "validation failed", 2)
	})
	t.Run("captured by hand after logged", func(t *testing.T) {
		_, rec, ctx, log := setup(t)
		err := newLoggingErrs(t, log, "email")
		returnsWithin(t, "logging the error, then capturing it by hand", func() {
			log.Log(Error, "validation failed", Field{"err", err})
			sentry.GetHubFromContext(ctx).CaptureException(err)
		})
		checkNamed(t, rec, ctx, "validation failed", 1)
	})
	t.Run("captured by hand twice", func(t *testing.T) {
		_, rec, ctx, log := setup(t)
		err := newLoggingErrs(t, log, "email")
		returnsWithin(t, "capturing the error by hand twice", func() {
			hub := sentry.GetHubFromContext(ctx)
			hub.CaptureException(err)
			hub.CaptureException(err)
		})
		checkNamed(t, rec, ctx, "", 0)
	})
	t.Run("returned by a job", func(t *testing.T) {
		logger, rec, ctx, log := setup(t)
		var jobEvent sentry.EventID
		returnsWithin(t, "RunJob, then the caller's log", func() {
			err := logcrumbs.RunJob(ctx, "validate", logcrumbs.JobOptions{Options: rec.Options()}, func(jctx context.Context) error {
				jlog := logger.Bind(jctx)
				err := newLoggingErrs(t, jlog, "email")
				jlog.Log(Error, "validation failed", Field{"err", err})
				jobEvent = logcrumbs.LastEventID(jctx)
				return err
			})
			log.Log(Error, "request failed", Field{"err", err})
		})
		checkNamed(t, rec, ctx, "validation failed", 1)
		if jobEvent == "" {
			t.Error("the job's LastEventID is empty")
		}
	})
	t.Run("job's wrapper logs on Unwrap", func(t *testing.T) {
		logger, rec, ctx, log := setup(t)
		inner := errors.New("smtp down " + t.Name())
		returnsWithin(t, "RunJob, then the caller's log", func() {
			err := logcrumbs.RunJob(ctx, "send", logcrumbs.JobOptions{Options: rec.Options()}, func(jctx context.Context) error {
				jlog := logger.Bind(jctx)
				jlog.Log(Error, "send failed", Field{"err", &loggingWrap{err: inner, log: jlog}})
				return inner
			})
			log.Log(Error, "request failed", Field{"err", err})
		})
		checkNamed(t, rec, ctx, "send failed", 1)
	})
	t.Run("job retried, handed back twice", func(t *testing.T) {
		logger, rec, ctx, log := setup(t)
		err := newLoggingErrs(t, log, "email")
		var jobEvents []sentry.EventID
		returnsWithin(t, "RunJob twice, then the caller's log", func() {
			for range 2 {
				_ = logcrumbs.RunJob(ctx, "validate", logcrumbs.JobOptions{Options: rec.Options()}, func(jctx context.Context) error {
					logger.Bind(jctx).Log(Error, "validation failed", Field{"err", err})
					jobEvents = append(jobEvents, logcrumbs.LastEventID(jctx))
					return err
				})
			}
			log.Log(Error, "request failed", Field{"err", err})
		})
		evs := rec.Events()
		if len(evs) != 2 || len(jobEvents) != 2 {
			t.Fatalf("%d events %q, want the two runs'", len(evs), messages(evs))
		}
		if got := logcrumbs.LastEventID(ctx); got != jobEvents[1] || got == "" {
			t.Errorf("LastEventID of the caller %q, want the second run's event %q", got, jobEvents[1])
		}
	})
	t.Run("TextOnly method logs", func(t *testing.T) {
		_, rec, ctx, log := setup(t)
		err := &textOnlyErr{log: log, text: "text only? " + t.Name()}
		returnsWithin(t, "logging the error twice", func() {
			log.Log(Error, "failed", Field{"err", err})
			log.Log(Error, "failed again", Field{"err", err})
		})
		checkNamed(t, rec, ctx, "failed", 2)
	})
	t.Run("Error logs a new error", func(t *testing.T) {
		_, rec, ctx, log := setup(t)
		s := &renderState{log: log, text: "email: invalid " + t.Name()}
		err := renderErrs{s}
		var calls int // checked once returnsWithin returned: t is not used from its goroutine after a timeout
		returnsWithin(t, "logging the error, then capturing it by hand", func() {
			log.Log(Error, "validation failed", Field{"err", err})
			s.mu.Lock()
			before := s.calls
			s.mu.Unlock()
			sentry.GetHubFromContext(ctx).CaptureException(err)
			s.mu.Lock()
			defer s.mu.Unlock()
			calls = s.calls - before
		})
		if calls > 10 {
			t.Errorf("capturing the error by hand called its Error method %d times", calls)
		}
		var ours []string
		for _, ev := range rec.Events() {
			if ev.Message != "rendering failed" {
				ours = append(ours, ev.Message)
			}
		}
		if len(ours) != 1 {
			t.Errorf("%d events of the error %q, want 1 (capture once)", len(ours), ours)
		}
	})
}
