package zerologsentry

import (
	"reflect"
	"unsafe"

	"github.com/rs/zerolog"
)

// This file is the only one that reads zerolog.Event's unexported fields
// (fields_test.go checks both reads against the zerolog in go.mod).
//
// A zerolog hook is given the event but no way to read its fields. The
// fields are in the event's unexported buffer, which zerolog has filled by
// the time hooks run (all but the message, and the fields of hooks that run
// after this one). logcrumbs reads that buffer, and only reads it: the
// offset is taken from zerolog's own type at start-up, by reflection, never
// assumed. On a zerolog whose Event has no []byte field named buf, bufOK is
// false and the Hook's records carry their level and message only, with no
// fields and no error (an event-level record becomes a message event);
// nothing else changes, nothing panics, and the Writer, which reads the
// finished record, is not affected. The package's tests, which pin the
// zerolog version, fail first (TestEventInternalsFound).
var bufOffset, bufOK = func() (uintptr, bool) {
	f, ok := reflect.TypeFor[zerolog.Event]().FieldByName("buf")
	if !ok || f.Type != reflect.TypeFor[[]byte]() {
		return 0, false
	}
	return f.Offset, true
}()

// eventBuffer returns e's encoded fields so far, starting with "{", or nil.
// The bytes are zerolog's: read them, copy what is needed, keep nothing.
func eventBuffer(e *zerolog.Event) []byte {
	if e == nil || !bufOK {
		return nil
	}
	return *(*[]byte)(unsafe.Add(unsafe.Pointer(e), bufOffset))
}

// The writer an event goes to is read the same way, to tell whether a
// logcrumbs Writer will see the event after the hook. On a zerolog whose
// Event has no zerolog.LevelWriter field named w, writerOK is false and the
// Hook never steps aside: with a Hook and a Writer on one logger, both keep
// each record (as they do today through wrappers the Hook cannot see).
var writerOffset, writerOK = func() (uintptr, bool) {
	f, ok := reflect.TypeFor[zerolog.Event]().FieldByName("w")
	if !ok || f.Type != reflect.TypeFor[zerolog.LevelWriter]() {
		return 0, false
	}
	return f.Offset, true
}()

// loggerWriterOffset is the offset of a zerolog.Logger's writer, read the
// same way, so that WithContext binds a logger that writes to a Writer
// (see boundWriterOf); loggerWriterOK is false on a zerolog whose Logger
// has no zerolog.LevelWriter field named w.
var loggerWriterOffset, loggerWriterOK = func() (uintptr, bool) {
	f, ok := reflect.TypeFor[zerolog.Logger]().FieldByName("w")
	if !ok || f.Type != reflect.TypeFor[zerolog.LevelWriter]() {
		return 0, false
	}
	return f.Offset, true
}()

// writerOfLogger returns the Writer l writes to directly, or the first
// among the writers of a zerolog.MultiLevelWriter it writes to, or nil.
func writerOfLogger(l *zerolog.Logger) *Writer {
	if !loggerWriterOK {
		return nil
	}
	lw := *(*zerolog.LevelWriter)(unsafe.Add(unsafe.Pointer(l), loggerWriterOffset))
	if w, ok := lw.(*Writer); ok {
		return w
	}
	ws, _ := multiWriters(lw)
	for _, x := range ws {
		if w, ok := x.(*Writer); ok {
			return w
		}
	}
	return nil
}

// multiItab is the first word of a zerolog.LevelWriter holding what
// zerolog.MultiLevelWriter returns: the runtime has one itab for each
// interface and dynamic type, so a LevelWriter whose first word is
// multiItab holds a writer of that type. Compared in place of
// reflect.TypeOf(w), a call for every record of a hook (cachegrind,
// ZerologBreadcrumb/hook 3,318 -> 3,300 instructions a record).
var multiItab = itabOf(zerolog.MultiLevelWriter())

// multiWriters returns the writers of lw when it is what
// zerolog.MultiLevelWriter returns (a struct of one []zerolog.LevelWriter,
// as multiWritesToWriter reads it), else false.
func multiWriters(lw zerolog.LevelWriter) ([]zerolog.LevelWriter, bool) {
	if itabOf(lw) != multiItab {
		return nil, false
	}
	t := reflect.TypeOf(lw)
	if t.Kind() != reflect.Struct || t.NumField() != 1 || t.Field(0).Type != reflect.TypeFor[[]zerolog.LevelWriter]() {
		return nil, false
	}
	// The struct is held in the interface by a pointer to it (its data
	// word): it is not pointer-shaped.
	return *(*[]zerolog.LevelWriter)((*[2]unsafe.Pointer)(unsafe.Pointer(&lw))[1]), true
}

// itabOf returns the first word of w: its itab, or 0 for a nil w.
func itabOf(w zerolog.LevelWriter) uintptr { return (*[2]uintptr)(unsafe.Pointer(&w))[0] }

var writerType = reflect.TypeFor[*Writer]()

// writesToWriter reports whether e goes to a logcrumbs Writer, directly or
// through zerolog.MultiLevelWriter. Hook.Run writes it out, for a call
// with the looking into a MultiLevelWriter's writers (multiWritesToWriter)
// is too large to be inlined: a change here is one there.
func writesToWriter(e *zerolog.Event) bool {
	w := writerOf(e)
	return w == writerItab || w == multiItab && multiWritesToWriter(e)
}

// writerOf returns the itab of e's writer (see itabOf): 0 for none, for a
// nil e, or when zerolog's Event has no writer where this package looks.
func writerOf(e *zerolog.Event) uintptr {
	if e == nil || !writerOK {
		return 0
	}
	return *(*uintptr)(unsafe.Add(unsafe.Pointer(e), writerOffset))
}

// writerItab is the itab of a *Writer held as a zerolog.LevelWriter (see
// multiItab).
var writerItab = itabOf((*Writer)(nil))

// multiWritesToWriter reports whether e's writer, of the type
// zerolog.MultiLevelWriter returns, writes to a logcrumbs Writer.
//
//go:noinline
func multiWritesToWriter(e *zerolog.Event) bool {
	w := *(*zerolog.LevelWriter)(unsafe.Add(unsafe.Pointer(e), writerOffset))
	v := reflect.ValueOf(w)
	if v.Kind() != reflect.Struct || v.NumField() == 0 || v.Field(0).Kind() != reflect.Slice {
		return false
	}
	writers := v.Field(0)
	for i := range writers.Len() {
		if w := writers.Index(i); w.Kind() == reflect.Interface && !w.IsNil() && w.Elem().Type() == writerType {
			return true
		}
	}
	return false
}
