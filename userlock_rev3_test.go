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
