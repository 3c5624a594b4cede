package zerologsentry

import (
	"reflect"
	"unsafe"

	"github.com/rs/zerolog"
)

// A zerolog hook is given the event but no way to read its fields. The
// fields are in the event's unexported buffer, which zerolog has filled by
// the time hooks run (all but the message, and the fields of hooks that run
// after this one). logcrumbs reads that buffer, and only reads it: the
// offset is taken from zerolog's own type at start-up. If a future zerolog
// has no []byte field named buf, bufOK is false and records carry their
// level and message only; the package's tests, which pin the zerolog
// version, fail first.
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
