package zerologsentry

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/render"
)

// ErrorMarshalFunc wraps next (zerolog's current ErrorMarshalFunc, or nil for
// zerolog's default) so that logcrumbs can find the real error value behind
// the text zerolog writes, without changing what zerolog writes:
//
//	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
//
// zerolog hands hooks and writers an error only as its text. With this in
// place, the errors of .Err and .AnErr fields are remembered, by their text,
// in a small process-wide table (the 256 most recent), and an event whose
// field holds that text gets the real error: its type, its %w chain and its
// stack trace. Without it, the event's exception is the text, of type
// "error", with the stack zerolog encoded next to it, if any (see
// zerolog.ErrorStackMarshaler).
//
// The table is matched by text alone, across the process: a field whose
// text is that of an error written recently gets that error, whichever
// request wrote it and whatever the field (a .Str field with the same text
// too), and an error added to a logger with With() is written once, so an
// event of that logger may get a newer error of the same text. Errors with
// texts of their own (most wrapped errors) are not affected; short generic
// texts ("not found", "pending") may be. Each remembered error costs one
// small allocation.
func ErrorMarshalFunc(next func(error) any) func(error) any {
	return func(err error) any {
		v := any(err)
		if next != nil {
			v = next(err)
		}
		switch v.(type) {
		case zerolog.LogObjectMarshaler: // zerolog writes it as an object
			return v
		case *remembered: // ErrorMarshalFunc wrapped twice
			return v
		}
		if m, ok := v.(error); ok && !render.IsNil(m) {
			return &remembered{m}
		}
		return v
	}
}

// remembered is what zerolog writes in place of an error: the same text,
// noted in recent as zerolog asks for it.
type remembered struct{ err error }

func (r *remembered) Error() string {
	text := r.err.Error()
	recent.add(text, r.err)
	return text
}

// recent holds the errors zerolog wrote most recently, by text.
var recent errorTable

type errorTable struct {
	mu      sync.Mutex
	next    int
	entries [256]struct {
		text string
		err  error
	}
}

func (t *errorTable) add(text string, err error) {
	t.mu.Lock()
	t.entries[t.next].text, t.entries[t.next].err = text, err
	t.next = (t.next + 1) % len(t.entries)
	t.mu.Unlock()
}

// find returns the most recent error written as text, or nil.
func (t *errorTable) find(text string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range len(t.entries) {
		e := &t.entries[(t.next-1-k+2*len(t.entries))%len(t.entries)]
		if e.err != nil && e.text == text {
			return e.err
		}
	}
	return nil
}

// decodeStack converts the stack zerolog encoded with pkgerrors.MarshalStack
// (a list of {"func", "line", "source"}, innermost first) to a Sentry stack
// trace, outermost first. It returns nil for anything else.
func decodeStack(raw []byte) *sentry.Stacktrace {
	var frames []map[string]any
	if json.Unmarshal(raw, &frames) != nil || len(frames) == 0 {
		return nil
	}
	st := &sentry.Stacktrace{Frames: make([]sentry.Frame, 0, len(frames))}
	for i := len(frames) - 1; i >= 0; i-- {
		f := frames[i]
		fn, _ := f["func"].(string)
		file, _ := f["source"].(string)
		var line int
		switch l := f["line"].(type) {
		case string:
			line, _ = strconv.Atoi(l)
		case float64:
			line = int(l)
		}
		st.Frames = append(st.Frames, sentry.Frame{Function: fn, Filename: file, Lineno: line, InApp: true})
	}
	return st
}
