package logcrumbs_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"
)

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
