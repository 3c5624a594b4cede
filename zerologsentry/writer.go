package zerologsentry

import (
	"context"
	"io"
	"unsafe"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
)

// Writer is a zerolog.LevelWriter that passes every record to the writer it
// wraps, unchanged, and copies it into logcrumbs: the binding for programs
// that choose their loggers' writers rather than hooks.
//
// A writer sees the finished record (every field, whichever hook added it)
// but not its context: a Writer sends to the fallback trail unless it is
// bound to a request with [Writer.WithContext]. It sees errors only as
// their text, like the hook: see the package documentation for what the
// event's exception holds, and [ErrorMarshalFunc].
//
// With a Writer and a Hook on the same logger, the Writer keeps the records
// and the Hook steps aside, as long as the logger writes to the Writer
// directly or through zerolog.MultiLevelWriter; through other wrappers,
// both would keep each record, so use one or the other there.
type Writer struct {
	b    *bridge
	next zerolog.LevelWriter // nil: stand-alone
	ctx  context.Context     // bound with WithContext, or nil
}

var _ zerolog.LevelWriter = (*Writer)(nil)

// NewWriter returns a Writer that writes to next. A nil next makes a
// stand-alone writer that only feeds logcrumbs, for use inside
// zerolog.MultiLevelWriter.
func NewWriter(next io.Writer, opts Options) *Writer {
	w := &Writer{b: newBridge(opts)}
	switch next := next.(type) {
	case nil:
	case zerolog.LevelWriter:
		w.next = next
	default:
		w.next = zerolog.LevelWriterAdapter{Writer: next}
	}
	return w
}

// Write writes a record whose level is read from its level field.
func (w *Writer) Write(p []byte) (int, error) {
	l := zerolog.NoLevel
	if raw, _, ok := findString(p, zerolog.LevelFieldName); ok {
		if parsed, err := zerolog.ParseLevel(unsafe.String(unsafe.SliceData(raw), len(raw))); err == nil {
			l = parsed
		}
	}
	return w.WriteLevel(l, p)
}

// WriteLevel passes p to the wrapped writer and returns what it returns,
// then keeps the record as a breadcrumb or sends it as an event.
func (w *Writer) WriteLevel(l zerolog.Level, p []byte) (n int, err error) {
	n = len(p)
	if w.next != nil {
		n, err = w.next.WriteLevel(l, p)
	}
	func() {
		defer func() { _ = recover() }() // a log call never fails because of logcrumbs
		w.b.handle(w.ctx, l, "", p, true)
	}()
	return n, err
}

// WithContext returns a logger for one request: logger, which must write to
// w (zerolog.New(w)), writing instead to a copy of w bound to the trail of
// ctx, and bound to ctx itself; a new trail is attached to ctx first if it
// carries none. The returned context carries the logger for zerolog.Ctx.
// For a logger that writes to several writers, bind with the Hook and the
// package's WithContext instead.
func (w *Writer) WithContext(ctx context.Context, logger zerolog.Logger) (context.Context, zerolog.Logger) {
	if logcrumbs.FromContext(ctx) == nil {
		ctx = logcrumbs.NewContext(ctx)
	}
	bound := *w
	bound.ctx = ctx
	l := logger.Output(&bound).With().Ctx(ctx).Logger()
	return l.WithContext(ctx), l
}
