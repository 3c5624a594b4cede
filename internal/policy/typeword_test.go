package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"syscall"
	"testing"
)

type valueErr struct{ s string }

func (e valueErr) Error() string { return e.s }

type sliceErr []error

func (e sliceErr) Error() string { return "slice" }

// TestTypeWordIsTheType: two errors have one typeWord exactly when
// reflect.TypeOf gives them one type, whatever their values and kinds.
func TestTypeWordIsTheType(t *testing.T) {
	errs := []error{
		nil, errors.New("a"), errors.New("b"), fmt.Errorf("w: %w", errors.New("a")), fmt.Errorf("x"),
		valueErr{"a"}, valueErr{"b"}, &valueErr{"a"}, sliceErr{nil}, sliceErr(nil),
		syscall.ENOENT, syscall.EPERM, &fs.PathError{Op: "open", Err: syscall.ENOENT}, os.ErrNotExist,
		errors.Join(errors.New("a")), errors.Join(errors.New("a"), errors.New("b")),
	}
	for _, a := range errs {
		for _, b := range errs {
			if same, want := typeWord(a) == typeWord(b), reflect.TypeOf(a) == reflect.TypeOf(b); same != want {
				t.Errorf("%T and %T: one word %v, one type %v", a, b, same, want)
			}
		}
	}
}
