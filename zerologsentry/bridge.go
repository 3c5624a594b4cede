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
// or, when inFields (a writer sees the finished record), the message field.
func (b *bridge) handle(ctx context.Context, l zerolog.Level, msg string, fields []byte, inFields bool) {
	switch l {
	case zerolog.Disabled:
		return
	case zerolog.NoLevel: // logger.Log(): a record without level
		l = zerolog.InfoLevel
	}
	switch {
	case l >= b.eventLevel:
		b.event(ctx, b.start(l, msg, fields, inFields, b.esc.EventLimits()), fields)
		if l >= zerolog.FatalLevel { // zerolog exits or panics next
			if hub := b.esc.Hub(ctx); hub.Client().IsEnabled() {
				hub.Flush(b.flushTimeout)
			}
		}
	case l >= b.breadcrumbLevel:
		rec := b.start(l, msg, fields, inFields, b.esc.BreadcrumbLimits())
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

func (b *bridge) start(l zerolog.Level, msg string, fields []byte, inFields bool, limits buffer.Limits) *buffer.Record {
	rec := buffer.Get(time.Now(), level(l), limits)
	rec.SetLogger(b.esc.LoggerName())
	if inFields {
		if raw, esc, ok := findString(fields, zerolog.MessageFieldName); ok {
			rec.BeginMessage()
			writeUnescaped(rec, raw, esc)
			rec.EndMessage()
		}
	} else {
		rec.SetMessage(msg)
	}
	return rec
}

// event copies the fields of an event-level record, gathering its errors,
// and sends it.
func (b *bridge) event(ctx context.Context, rec *buffer.Record, fields []byte) {
	b.esc.Capture(ctx, rec, copyWithErrors(rec, fields))
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
// level and time (the breadcrumb has its own), the message (it is the
// breadcrumb's) and the error stack (it becomes the exception's).
func skipMember(key string) bool {
	return key == zerolog.LevelFieldName || key == zerolog.TimestampFieldName ||
		key == zerolog.ErrorStackFieldName || key == zerolog.MessageFieldName
}

// level maps zerolog's levels to Sentry's: Trace is debug, Fatal and Panic
// are fatal.
func level(l zerolog.Level) buffer.Level {
	return buffer.LevelOf(l, zerolog.InfoLevel, zerolog.WarnLevel, zerolog.ErrorLevel, zerolog.FatalLevel)
}
