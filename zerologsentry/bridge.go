package zerologsentry

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/escalate"
)

// bridge is what the Hook and the Writer share: the options, and the copy of
// one zerolog record into a trail or an event.
type bridge struct {
	esc             *escalate.Escalator
	breadcrumbLevel zerolog.Level
	eventLevel      zerolog.Level
	flushTimeout    time.Duration
}

func newBridge(opts Options) *bridge {
	b := &bridge{
		esc:             escalate.New(escalate.Options(opts.Options), "zerolog"),
		breadcrumbLevel: opts.BreadcrumbLevel,
		eventLevel:      opts.EventLevel,
		flushTimeout:    opts.FlushTimeout,
	}
	if b.eventLevel == zerolog.DebugLevel {
		b.eventLevel = zerolog.ErrorLevel
	}
	if b.flushTimeout <= 0 {
		b.flushTimeout = 2 * time.Second
	}
	return b
}

// handle keeps a record as a breadcrumb or sends it as an event. fields is
// the record's encoded object from its opening brace; the message is msg,
// or, when inFields (a writer sees the finished record), the message member
// zerolog writes last.
func (b *bridge) handle(ctx context.Context, l zerolog.Level, msg string, fields []byte, inFields bool) {
	switch l {
	case zerolog.Disabled:
		return
	case zerolog.NoLevel: // logger.Log(): a record without level
		l = zerolog.InfoLevel
	}
	var m message
	if inFields {
		m.raw, m.esc, fields, _ = splitMessage(fields, zerolog.MessageFieldName)
	} else {
		m.text = msg
	}
	switch {
	case l >= b.eventLevel:
		id := b.event(ctx, b.start(l, m, b.esc.EventLimits()), fields)
		if l == zerolog.PanicLevel { // zerolog panics with the message next
			escalate.NotePanic(ctx, m.String(), id)
		}
		if l >= zerolog.FatalLevel { // zerolog exits or panics next
			if hub := b.esc.Hub(ctx); hub.Client().IsEnabled() {
				hub.Flush(b.flushTimeout)
			}
		}
	case l >= b.breadcrumbLevel:
		rec := b.start(l, m, b.esc.BreadcrumbLimits())
		var errs []error
		if b.esc.CollectsBreadcrumbErrors() {
			errs = copyWithErrors(rec, fields) // for Options.EscalateIf
		} else {
			s := scanner{skip: skipMember}
			s.copy(rec, fields)
		}
		b.esc.Keep(ctx, rec, errs)
	}
}

// message is a record's message: text (the hook's), or the raw JSON
// string a writer found.
type message struct {
	text string
	raw  []byte
	esc  bool
}

// String returns the message's text.
func (m message) String() string {
	if m.raw != nil {
		return string(unescape(m.raw, m.esc))
	}
	return m.text
}

func (b *bridge) start(l zerolog.Level, m message, limits buffer.Limits) *buffer.Record {
	rec := buffer.Get(time.Now(), level(l), limits)
	rec.SetLogger(b.esc.LoggerName())
	if m.raw != nil {
		rec.BeginMessage()
		writeUnescaped(rec, m.raw, m.esc)
		rec.EndMessage()
	} else {
		rec.SetMessage(m.text)
	}
	return rec
}

// event copies the fields of an event-level record, gathering its errors,
// and sends it.
func (b *bridge) event(ctx context.Context, rec *buffer.Record, fields []byte) (id string) {
	return b.esc.Capture(ctx, rec, copyWithErrors(rec, fields))
}

// copyWithErrors copies the encoded fields into rec and returns the errors
// among them: the real values ErrorMarshalFunc remembered, else the text of
// the error field, with the stack zerolog encoded beside it.
func copyWithErrors(rec *buffer.Record, fields []byte) []error {
	var errs []error
	var stack []byte
	s := scanner{
		skip: skipMember,
		skipped: func(key string, value []byte) {
			if key == zerolog.ErrorStackFieldName {
				stack = value
			}
		},
		onString: func(key, text string) {
			if err := recent.find(text); err != nil {
				errs = append(errs, err)
			} else if key == zerolog.ErrorFieldName {
				errs = append(errs, &escalate.TextError{Text: text})
			}
		},
	}
	s.copy(rec, fields)
	if stack != nil {
		for _, err := range errs {
			if te, ok := err.(*escalate.TextError); ok {
				te.Stack = decodeStack(stack)
				break
			}
		}
	}
	return errs
}

// skipMember leaves out the fields zerolog adds for its own output: the
// level it writes first and the time (the breadcrumb has its own), and the
// error stack (it becomes the exception's). The message is not among the
// fields: a hook runs before zerolog adds it, and a writer takes it off the
// end (splitMessage), so a field of the user's named "message" is kept.
func skipMember(key string, index int) bool {
	return (index == 0 && key == zerolog.LevelFieldName) || key == zerolog.TimestampFieldName ||
		key == zerolog.ErrorStackFieldName
}

// level maps zerolog's levels to Sentry's: Trace is debug, Fatal and Panic
// are fatal.
func level(l zerolog.Level) buffer.Level {
	return buffer.LevelOf(l, zerolog.InfoLevel, zerolog.WarnLevel, zerolog.ErrorLevel, zerolog.FatalLevel)
}
