package zerologsentry

import (
	"context"
	"io"
	"unsafe"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/core"
)

// Writer is a zerolog.LevelWriter that passes every record to the writer it
// wraps, unchanged, and copies it into logcrumbs: the binding for programs
// that choose their loggers' writers rather than hooks.
//
// A writer sees the finished record (every field, whichever hook added it)
// but not its context: a Writer sends to the fallback trail unless it is
// bound to a request with [Writer.WithContext] (which the package's
// [WithContext] and [Handler] call for a logger that writes to a Writer
// directly). It sees errors only as
// their text, like the hook: see the package documentation for what the
// event's exception holds, and [ErrorMarshalFunc].
//
// Use one binding per logger. With a Writer and a Hook on the same logger,
// the Writer keeps the records and the Hook steps aside, as long as the
// logger writes to the Writer directly or through zerolog.MultiLevelWriter:
// the package's [WithContext] (and [Handler]) then bind the Writer; an
// unbound Writer keeps every request's records in the fallback trail,
// though the Hook could have told them apart. Through other
// wrappers (zerolog.SyncWriter, a diode, zerolog.FilteredLevelWriter) the
// Hook cannot see the Writer, and both keep each record.
//
// A Writer reads zerolog's JSON, one whole record a write: put it in front
// of the writers that change it, not behind them. To print with a
// zerolog.ConsoleWriter, wrap the ConsoleWriter,
// NewWriter(zerolog.ConsoleWriter{Out: os.Stdout}, opts), not the other
// way round: as a ConsoleWriter's Out, the Writer is written the
// console's text, which has no level, message or field it can read; it
// passes that on and keeps nothing (a Hook on the logger keeps each
// record). Behind a writer that joins records or splits them (a
// bufio.Writer over the Writer), it reads several records, or pieces of
// one, as one.
type Writer struct {
	b    *bridge
	out  io.Writer           // the writer wrapped, as given; nil: stand-alone
	next zerolog.LevelWriter // out as a LevelWriter
	ctx  context.Context     // bound with WithContext, or nil
	// trail is core.TrailOf(ctx), looked up once, when ctx was bound (or
	// the writer made), rather than for every record (see
	// core.Entry.Trail).
	trail *buffer.Trail
}

var (
	_ zerolog.LevelWriter = (*Writer)(nil)
	_ io.Closer           = (*Writer)(nil)
)

// NewWriter returns a Writer that writes to next. A nil next makes a
// stand-alone writer that only feeds logcrumbs, for use inside
// zerolog.MultiLevelWriter.
//
// A next that is a *Writer made here already (a package of yours returns
// its logger's writer, and the program wraps that again) is returned as it
// is, its options and binding unchanged (the first options win, their Hub too): a second
// Writer would keep every record twice in the trail and send each Sentry
// Log twice. A *Writer under another writer (zerolog.MultiLevelWriter,
// SyncWriter, a diode) is not seen: wrap once.
func NewWriter(next io.Writer, opts Options) *Writer {
	if w, ok := next.(*Writer); ok && w != nil && w.b != nil {
		return w
	}
	w := &Writer{b: newBridge(opts), out: next, trail: buffer.Fallback()} // no context bound
	switch next := next.(type) {
	case nil:
	case zerolog.LevelWriter:
		w.next = next
	default:
		w.next = zerolog.LevelWriterAdapter{Writer: next}
	}
	return w
}

// Write passes p to the wrapped writer's Write (as the caller asked: a
// level-filtering writer filters nothing on Write) and returns what it
// returns, then keeps the record at the level read from its level field.
// It keeps nothing of a p that is not a JSON object.
func (w *Writer) Write(p []byte) (n int, err error) {
	n = len(p)
	if w.out != nil {
		n, err = w.out.Write(p)
	}
	if len(p) == 0 || p[0] != '{' {
		// Not a record as zerolog encodes it in JSON (the text of a
		// ConsoleWriter whose Out the Writer is, a record of the
		// binary_log build through a SyncWriter): nothing of it can be
		// read, and an empty info breadcrumb of it, an error's too, would
		// only push real ones out of the trail.
		return n, err
	}
	l := zerolog.NoLevel
	if raw, _, ok := findString(p, zerolog.LevelFieldName); ok {
		if parsed, err := zerolog.ParseLevel(unsafe.String(unsafe.SliceData(raw), len(raw))); err == nil {
			l = parsed
		}
	}
	defer recoverPanic() // deferred here: a panic of the wrapped writer's is not logcrumbs'
	w.b.handle(w.ctx, w.trail, l, "", p, writerMessage)
	return n, err
}

// WriteLevel passes p to the wrapped writer's WriteLevel and returns what
// it returns, then keeps the record as a breadcrumb or sends it as an
// event.
func (w *Writer) WriteLevel(l zerolog.Level, p []byte) (n int, err error) {
	n = len(p)
	if w.next != nil {
		n, err = w.next.WriteLevel(l, p)
	}
	// A log call never fails because of logcrumbs: the recover is
	// deferred after the wrapped writer's call, whose panics are not
	// logcrumbs' to swallow, and returns n and err as it left them. In
	// place of a method of its own around handle, which cost a call, a
	// frame and a frame more to walk for a skipped repeat's call site
	// (cachegrind, ZerologRepeat/writer: about 30 instructions).
	defer recoverPanic()
	w.b.handle(w.ctx, w.trail, l, "", p, writerMessage)
	return n, err
}

// recoverPanic, deferred, stops a panic of logcrumbs' own.
func recoverPanic() { _ = recover() }

// Close closes the wrapped writer if it is an io.Closer, as zerolog does
// for its writer before a Fatal record exits the process (a diode or a
// buffered writer flushes there), and returns its error; otherwise it
// returns nil.
func (w *Writer) Close() error {
	if c, ok := w.out.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// WithContext returns a logger for one request: logger, which writes to w
// (zerolog.New(w)), writing instead to a copy of w bound to the trail of
// ctx, and bound to ctx itself; a new trail is attached to ctx first if it
// carries none. The returned context carries the logger for zerolog.Ctx.
// A logger that writes to zerolog.MultiLevelWriter with w among its
// writers keeps the others, the bound copy in w's place; any other logger
// (one that writes to w through zerolog.SyncWriter or a diode, or not at
// all) is given the bound copy as its output, in place of its own.
func (w *Writer) WithContext(ctx context.Context, logger zerolog.Logger) (context.Context, zerolog.Logger) {
	ctx = core.EnsureTrail(ctx)
	bound := *w
	bound.ctx, bound.trail = ctx, core.TrailOf(ctx)
	l := logger.Output(w.rebind(&logger, &bound)).With().Ctx(ctx).Logger()
	return l.WithContext(ctx), l
}

// rebind returns the writer that logger's output becomes: a
// MultiLevelWriter of the same writers, with bound in the place of w,
// when logger writes to one with w among its writers (Output(bound) had
// the records of the others, the program's console, go to w alone), else
// bound.
func (w *Writer) rebind(logger *zerolog.Logger, bound *Writer) zerolog.LevelWriter {
	if !loggerWriterOK {
		return bound
	}
	lw := *(*zerolog.LevelWriter)(unsafe.Add(unsafe.Pointer(logger), loggerWriterOffset))
	ws, ok := multiWriters(lw)
	if !ok {
		return bound
	}
	out := make([]io.Writer, len(ws))
	found := false
	for i, x := range ws {
		out[i] = x
		if w.sameAs(x) {
			out[i], found = bound, true
		}
	}
	if !found {
		return bound
	}
	return zerolog.MultiLevelWriter(out...)
}

// sameAs reports whether lw is w, or a copy of w that WithContext bound.
func (w *Writer) sameAs(lw zerolog.LevelWriter) bool {
	x, ok := lw.(*Writer)
	return ok && x.b == w.b // each NewWriter makes a bridge of its own
}
