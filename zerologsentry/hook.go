// Package zerologsentry feeds logcrumbs from github.com/rs/zerolog: a hook
// that turns a logger's events into breadcrumbs of their request's trail,
// and its errors into Sentry events that carry that trail.
//
//	logger := zerolog.New(os.Stdout).Hook(zerologsentry.NewHook(zerologsentry.Options{}))
//	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
//
//	ctx, log := zerologsentry.WithContext(r.Context(), logger) // per request
//	log.Info().Str("path", r.URL.Path).Msg("loading cart")     // a breadcrumb
//	log.Error().Err(err).Msg("checkout failed")                // an event with the trail
//
// # Binding a request
//
// The hook finds the trail (and the Sentry hub, if any) on the event's
// context, which zerolog takes from the event (.Ctx(ctx)) or from the logger
// (logger.With().Ctx(ctx).Logger()). [WithContext] makes such a request
// logger, attaches a trail to the context if it has none, and stores the
// logger in the context, so that zerolog.Ctx(ctx) returns it; [Handler] does
// the same for every HTTP request, after hlog.NewHandler. Events whose
// context carries no trail go to the process-wide fallback trail
// (logcrumbs.Fallback), so requests never share a trail as long as each
// logs with its own context. A request that logs through zerolog and slog
// with the same context has one trail.
//
// # What an event carries
//
// The fields of every event reach its breadcrumb with their JSON types: the
// hook copies zerolog's encoded bytes into the trail (strings, numbers,
// booleans, null, objects as nested data, arrays as JSON) and allocates
// nothing for it; they are decoded into Go values only when an event is sent.
// The hook sees all fields except those added by hooks that run after it:
// add it last. zerolog's level, time and stack fields are left out.
//
// zerolog gives hooks an error only as the text it wrote. The exception of
// an event is therefore:
//   - the real error value (type, %w chain, errors.Join, stack trace), when
//     the program has set zerolog.ErrorMarshalFunc to [ErrorMarshalFunc], for
//     every field whose text is that of a recently written error;
//   - otherwise an exception of type "error" with the text of the field named
//     zerolog.ErrorFieldName ("error"), and the stack zerolog encoded in the
//     field zerolog.ErrorStackFieldName when .Stack() and
//     zerolog.ErrorStackMarshaler (pkgerrors.MarshalStack) are used;
//   - with no error field at all, a message event.
//
// # Levels
//
// zerolog decides before any hook runs whether an event exists at all: a
// record below the logger's level, or below zerolog.SetGlobalLevel, or
// dropped by a sampler, never reaches the hook, so it is not in the trail
// either. To keep Debug records in the trail while the output shows Info
// and above, give the logger Debug and filter the output instead:
// zerolog.New(&zerolog.FilteredLevelWriter{Writer:
// zerolog.LevelWriterAdapter{Writer: os.Stdout}, Level: zerolog.InfoLevel}).
//
// # Bad input
//
// The hook never changes what zerolog writes, never panics and never blocks
// on Sentry, except for Fatal and Panic events: the process is about to stop,
// so the hook waits up to Options.FlushTimeout for the event to be delivered.
// Values beyond the limits of logcrumbs.Options are cut and marked; invalid
// UTF-8 is replaced when sent. Only zerolog's JSON encoding is read: with
// the binary_log build tag the records carry their level and message only.
package zerologsentry

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/escalate"
)

// Options configure the hook. The zero value keeps Debug and above as
// breadcrumbs and sends Error and above as events.
type Options struct {
	logcrumbs.Options

	// BreadcrumbLevel is the lowest level kept in the trail. The zero value
	// is zerolog.DebugLevel; set zerolog.TraceLevel to keep Trace records.
	BreadcrumbLevel zerolog.Level

	// EventLevel is the lowest level sent as an event. The zero value,
	// zerolog.DebugLevel, means zerolog.ErrorLevel: sending every record as
	// an event is never what is wanted.
	EventLevel zerolog.Level

	// FlushTimeout bounds how long a Fatal or Panic event waits to be
	// delivered before zerolog stops the process. Zero means 2 seconds.
	FlushTimeout time.Duration
}

// Hook is a zerolog.Hook that feeds logcrumbs. It is safe for concurrent
// use; one Hook serves every logger and request.
type Hook struct {
	esc             *escalate.Escalator
	breadcrumbLevel zerolog.Level
	eventLevel      zerolog.Level
	flushTimeout    time.Duration
}

// NewHook returns a hook to add to a logger with logger.Hook. Add it after
// the hooks that add fields, so that it sees them.
func NewHook(opts Options) *Hook {
	h := &Hook{
		esc:             escalate.New(opts.Options, "zerolog"),
		breadcrumbLevel: opts.BreadcrumbLevel,
		eventLevel:      opts.EventLevel,
		flushTimeout:    opts.FlushTimeout,
	}
	if h.eventLevel == zerolog.DebugLevel {
		h.eventLevel = zerolog.ErrorLevel
	}
	if h.flushTimeout <= 0 {
		h.flushTimeout = 2 * time.Second
	}
	return h
}

// Run keeps the event as a breadcrumb or sends it as a Sentry event. It is
// called by zerolog before the message is written.
func (h *Hook) Run(e *zerolog.Event, l zerolog.Level, msg string) {
	defer func() { _ = recover() }() // a log call never fails because of logcrumbs
	switch l {
	case zerolog.Disabled:
		return
	case zerolog.NoLevel: // logger.Log(): a record without level
		l = zerolog.InfoLevel
	}
	switch {
	case l >= h.eventLevel:
		ctx := e.GetCtx()
		h.event(ctx, l, msg, eventBuffer(e))
		if l >= zerolog.FatalLevel { // zerolog exits or panics next
			if hub := h.esc.Hub(ctx); hub.Client().IsEnabled() {
				hub.Flush(h.flushTimeout)
			}
		}
	case l >= h.breadcrumbLevel:
		h.breadcrumb(e.GetCtx(), l, msg, eventBuffer(e))
	}
}

func (h *Hook) breadcrumb(ctx context.Context, l zerolog.Level, msg string, fields []byte) {
	rec := h.start(l, msg, h.esc.BreadcrumbLimits())
	copyFields(rec, fields, skipMember)
	buffer.For(ctx).Append(rec)
}

func (h *Hook) event(ctx context.Context, l zerolog.Level, msg string, fields []byte) {
	rec := h.start(l, msg, h.esc.EventLimits())
	var errs []error
	var stack []byte
	s := scanner{
		member: func(key string, value []byte) bool {
			if key == zerolog.ErrorStackFieldName {
				stack = value
			}
			return skipMember(key, value)
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
	h.esc.Capture(ctx, rec, errs)
}

func (h *Hook) start(l zerolog.Level, msg string, limits buffer.Limits) *buffer.Record {
	rec := buffer.Get(time.Now(), level(l), limits)
	rec.SetLogger(h.esc.LoggerName())
	rec.SetMessage(msg)
	return rec
}

// skipMember leaves out the fields zerolog adds for its own output: the
// level and time (the breadcrumb has its own) and the error stack (it
// becomes the exception's).
func skipMember(key string, _ []byte) bool {
	return key == zerolog.LevelFieldName || key == zerolog.TimestampFieldName ||
		key == zerolog.ErrorStackFieldName || key == zerolog.MessageFieldName
}

// copyFields copies the encoded object fields into rec.
func copyFields(rec *buffer.Record, fields []byte, member func(string, []byte) bool) {
	s := scanner{member: member}
	s.copy(rec, fields)
}

// level maps zerolog's levels to Sentry's: Trace is debug, Fatal and Panic
// are fatal.
func level(l zerolog.Level) buffer.Level {
	switch {
	case l < zerolog.InfoLevel:
		return buffer.LevelDebug
	case l < zerolog.WarnLevel:
		return buffer.LevelInfo
	case l < zerolog.ErrorLevel:
		return buffer.LevelWarning
	case l < zerolog.FatalLevel:
		return buffer.LevelError
	}
	return buffer.LevelFatal
}
