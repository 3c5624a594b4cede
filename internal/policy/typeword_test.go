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

type stringerErr struct{ s string }

func (e *stringerErr) Error() string  { return e.s }
func (e *stringerErr) String() string { return e.s }

type genErr[T any] struct{ v T }

func (e genErr[T]) Error() string { return fmt.Sprint(e.v) }

type otherIface interface{ String() string }

// TestTypeWordThroughOtherInterfaces: an error of one type has one
// typeWord however its error value was made: converted statically, by a
// type assertion from another interface or from any (the runtime's
// getitab), from reflect, a typed nil, a generic type's instances.
func TestTypeWordThroughOtherInterfaces(t *testing.T) {
	p := &stringerErr{"a"}
	var s otherIface = p
	var a any = p
	var typedNil *stringerErr
	errs := []error{
		p, s.(error), a.(error), reflect.ValueOf(p).Interface().(error), reflect.ValueOf(&s).Elem().Interface().(error),
		typedNil, any(typedNil).(error), nil, genErr[int]{1}, any(genErr[int]{2}).(error), genErr[string]{"x"},
		reflect.New(reflect.TypeOf(genErr[int]{})).Elem().Interface().(error), errors.New("x"),
	}
	for _, a := range errs {
		for _, b := range errs {
			if same, want := typeWord(a) == typeWord(b), reflect.TypeOf(a) == reflect.TypeOf(b); same != want {
				t.Errorf("%T and %T: one word %v, one type %v", a, b, same, want)
			}
		}
	}
}
