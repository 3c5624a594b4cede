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
// # Bindings
//
// There are two ways in, and they differ only in how they learn the
// request:
//
//   - The [Hook] (recommended) finds the trail, and the Sentry hub if any, on
//     the event's context, which zerolog takes from the event (.Ctx(ctx)) or
//     from the logger (logger.With().Ctx(ctx).Logger()). [WithContext] makes
//     such a request logger, attaches a trail to the context if it has none,
//     and stores the logger in the context for zerolog.Ctx; [Handler] does
//     the same for every HTTP request, after hlog.NewHandler. It sees every
//     field except those that hooks running after it add: add it last.
//     zerolog's Logger.Output returns a logger without the context (With,
//     Level, Hook and Sample keep it): a request logger given another
//     output logs to the fallback trail. Set the output on the base
//     logger, before WithContext.
//   - The [Writer] wraps the logger's writer and sees each finished record,
//     every field included, but no context: bind it to a request with
//     [Writer.WithContext], which gives the request logger a copy of the
//     writer that knows the request's trail.
//
// With both on one logger, the Writer keeps each record and the Hook steps
// aside (see [Writer]). Either way, records of a context without a trail,
// or of an unbound Writer, go to the process-wide fallback trail
// (logcrumbs.Fallback); requests never share a trail as long as each logs
// through its own bound logger. A request that logs through zerolog and slog
// with the same context has one trail.
//
// # What an event carries
//
// The fields of every record reach its breadcrumb with their JSON types:
// the hook or writer copies zerolog's encoded bytes into the trail (strings,
// numbers, booleans, null, objects as nested data, arrays as JSON) and
// allocates nothing for it; they become Go values only when an event is
// sent. zerolog's own fields are left out of the data: the level it writes
// first, the message it writes last, every field named as its time and
// stack fields (zerolog.TimestampFieldName, zerolog.ErrorStackFieldName);
// a field of yours named "message" or "level" elsewhere is kept. A record
// with no message (Send, Msg("")) whose last field is a string named
// "message" (zerolog.MessageFieldName) has that field as its message, with
// either binding: zerolog's output of it is the same as of Msg's, and its
// ConsoleWriter shows it as the message.
//
// zerolog gives hooks and writers an error only as the text it wrote. The
// exception of an event, with either binding, is therefore:
//   - the real error value (type, %w chain, errors.Join, stack trace), when
//     the program has set zerolog.ErrorMarshalFunc to [ErrorMarshalFunc], for
//     every top-level field whose text is that of a recently written error,
//     and every such text among a top-level array's (.Errs);
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
// The hook and the writer never change what zerolog writes, never panic and
// never block on Sentry, except for Fatal and Panic records they keep or
// send: the process is about to stop, so they wait up to
// Options.FlushTimeout for the events sent so far (this one's too, if it is
// an event) to be delivered. Values beyond the limits of logcrumbs.Options are cut and
// marked; each byte of invalid UTF-8 becomes one U+FFFD, as in zerolog's
// own output (in the message too, which the Hook is given as the program
// wrote it); malformed JSON (from RawJSON)
// ends the copy of a record's fields where it starts, keeping those before
// it (and the message, which the writer reads from the record's end). zerolog calls String, MarshalZerologObject and json.Marshal itself,
// while the event is built and before any hook or writer runs: a panic
// there is zerolog's, and reaches the log call as it would without
// logcrumbs.
//
// Only zerolog's JSON encoding is read: with the binary_log build tag,
// records carry their level (and, through the hook, their message) only,
// and a Writer written them with Write (through zerolog.SyncWriter or a
// diode, which give no level) keeps nothing, as it keeps nothing of any
// write that is not a JSON object (see [Writer]).
// The hook reads the fields from zerolog's event buffer, which zerolog does
// not export; it only reads it, and a zerolog without it leaves the hook
// with level and message (the Writer does not depend on it).
package zerologsentry

import (
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
)

// Options configure the hook. The zero value keeps Debug and above as
// breadcrumbs and sends Error and above as events.
type Options struct {
	logcrumbs.Options

	// BreadcrumbLevel is the lowest level kept in the trail. The zero value
	// is zerolog.DebugLevel; set zerolog.TraceLevel to keep Trace records.
	BreadcrumbLevel zerolog.Level

	// EventLevel is the lowest level sent as an event. Default
	// zerolog.ErrorLevel. zerolog's zero Level is DebugLevel, so the rule
	// is: DebugLevel, set or left unset, means ErrorLevel (sending every
	// record as an event is never what is wanted). Any other level means
	// itself, TraceLevel included. To send some records below Error as
	// events, use Options.EscalateIf.
	EventLevel zerolog.Level

	// LogsLevel is the lowest level also sent to Sentry Logs (through
	// sentry-go's log API: its batching and BeforeSendLog), with the
	// record's fields as typed log attributes (objects flattened with
	// dots), the logger name, the trace of its context, scrubbed and
	// user-gated as events are; it is independent of the other two levels. The
	// zero value, zerolog.DebugLevel, means off, so that no Sentry quota
	// changes; zerolog.TraceLevel sends Trace (at Sentry's trace level) and
	// Debug records and above;
	// zerolog.Disabled is off too. See also logcrumbs.Options.LogsOnEvent.
	LogsLevel zerolog.Level

	// FlushTimeout bounds how long a Fatal or Panic record (an event or a
	// breadcrumb) waits for the events sent so far to be delivered before
	// zerolog stops the process. Zero means 2 seconds.
	FlushTimeout time.Duration
}

// Hook is a zerolog.Hook that feeds logcrumbs. It is safe for concurrent
// use; one Hook serves every logger and request.
type Hook struct{ b *bridge }

// NewHook returns a hook to add to a logger with logger.Hook. Add it after
// the hooks that add fields, so that it sees them.
//
// Add one: a logger given two logcrumbs hooks (logger.Hook(h).Hook(h2), or
// the same hook twice, as a package that returns a hooked logger and a
// program that hooks it again do) keeps every record twice in the trail
// and sends each Sentry Log twice. zerolog tells a hook nothing of the
// others, nor whether another ran for the same record; finding them in the
// event's hook list would cost every record of every hooked logger, and
// could not tell the same hook added twice from once.
func NewHook(opts Options) *Hook { return &Hook{newBridge(opts)} }

// Run keeps the event as a breadcrumb or sends it as a Sentry event. zerolog
// calls it before the message is written. When the event goes to a
// logcrumbs Writer (directly or through zerolog.MultiLevelWriter), Run
// leaves the record to the writer, so that nothing is kept twice.
func (h *Hook) Run(e *zerolog.Event, l zerolog.Level, msg string) {
	defer func() { _ = recover() }() // a log call never fails because of logcrumbs
	// writesToWriter, written out: compared in place, the itab of the
	// event's writer with a *Writer's and with zerolog's MultiLevelWriter
	// type's, which is looked into out of line (cachegrind,
	// ZerologBreadcrumb/hook: 3,371 -> 3,349 instructions a record).
	if w := writerOf(e); w == writerItab || w == multiItab && multiWritesToWriter(e) {
		return
	}
	// A message not all ASCII, or none, is runOther's. Whether it is,
	// written out here, where a call for every record cost more than the
	// test: its first and last 8 bytes, which overlap in a message of 9 to
	// 15 bytes, and the words between them; a message shorter than 8
	// bytes byte by byte. handle is called here for the rest, so that the
	// message and mode runOther's would return do not cost this path
	// register moves (cachegrind, ZerologBreadcrumb/hook, a 14-byte
	// message: 3,359 instructions a record without the test, 3,374 with
	// runOther's work done here and handle called once, 3,369 so).
	var w uint64
	if n := len(msg); n >= 8 {
		w = load64(msg, 0) | load64(msg, n-8)
		if n > 16 {
			for i := 8; i < n-8; i += 8 {
				w |= load64(msg, i)
			}
		}
	} else if n == 0 {
		w = 0x80
	} else {
		for i := 0; i < n; i++ {
			w |= uint64(msg[i])
		}
	}
	if w&0x8080808080808080 != 0 {
		h.runOther(e, l, msg)
		return
	}
	if l < h.b.crumbBelow {
		h.b.crumb(e.GetCtx(), l, msg, eventBuffer(e))
		return
	}
	h.b.handle(e.GetCtx(), nil, l, msg, eventBuffer(e), hookMessage)
}

// runOther is Run for a record whose message is not all ASCII, or empty:
// the message as zerolog writes it (see asWritten), or the record's last
// field (see hookLastField).
//
//go:noinline
func (h *Hook) runOther(e *zerolog.Event, l zerolog.Level, msg string) {
	mode := hookLastField
	if msg != "" {
		mode = hookMessage
		if !utf8.ValidString(msg) {
			msg, mode = asWritten(msg), hookWritten
		}
	}
	h.b.handle(e.GetCtx(), nil, l, msg, eventBuffer(e), mode)
}
