package event

import (
	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// TextError is an error known only by its text: as zerolog hands a writer or
// hook its errors, or a panic with a value that is not an error. It becomes
// an exception of type Type ("error" if empty) with that text, and with
// Stack (the stack the logger encoded next to it) when there is one, else
// the caller's stack.
type TextError struct {
	Text  string
	Type  string
	Stack *sentry.Stacktrace
}

func (e *TextError) Error() string { return e.Text }

// TextOnly returns the text of an error a logger handed over as text (Type
// empty), for capture-once (buffer.TextOnly); a panic's text is not one.
func (e *TextError) TextOnly() (string, bool) { return e.Text, e.Type == "" }

var _ buffer.TextOnly = (*TextError)(nil)

// textErrorType is how sentry-go names a *TextError exception.
const textErrorType = "*event.TextError"

// fixTextErrors gives the exceptions of TextErrors in errs their type and
// stack.
func fixTextErrors(event *sentry.Event, errs []error) {
	for i := range event.Exception {
		ex := &event.Exception[i]
		if ex.Type != textErrorType {
			continue
		}
		ex.Type = "error"
		for _, err := range errs {
			if te, ok := err.(*TextError); ok && te.Text == ex.Value {
				if te.Type != "" {
					ex.Type = te.Type
				}
				if te.Stack != nil {
					ex.Stacktrace = te.Stack
				}
				break
			}
		}
	}
}
