package render

import (
	"fmt"
	"reflect"
)

// Text returns fmt.Sprint(x), for a value logcrumbs can only print (a
// panic's value, what a user's method panicked with), unless fmt would
// recurse through x without end: a map, slice or interface that holds
// itself, through which fmt's printing overflows the goroutine's stack (a
// fatal error, not a panic: the process is gone). Such a value, or one of
// more than maxTextValues values to walk, reads "!UNPRINTABLE T: reason".
// It costs a walk over x's values, so it is for the rare values above.
func Text(x any) string {
	v, isValue := x.(reflect.Value)
	switch {
	case isValue && v.IsValid():
		// fmt prints a reflect.Value at the top as the value it holds,
		// by the method of that value if it has one and can be had.
		if v.CanInterface() {
			switch v.Interface().(type) {
			case error, fmt.Stringer, fmt.Formatter:
				return fmt.Sprint(x)
			}
		}
	default:
		switch x.(type) {
		case nil, string, error, fmt.Stringer, fmt.Formatter:
			return fmt.Sprint(x) // printed as it is, or by its own method
		}
		v = reflect.ValueOf(x)
	}
	w := textWalk{}
	if !w.printable(v, 0) {
		reason := "it holds itself"
		if w.n > maxTextValues {
			reason = "too large to print"
		}
		return fmt.Sprintf("!UNPRINTABLE %T: %s", x, reason)
	}
	return fmt.Sprint(x)
}

// maxTextValues bounds the values Text walks.
const maxTextValues = 1 << 16

// textWalk follows fmt's printing of a value (fmt's printValue): the maps
// and slices on the path from the value to where it is, by their storage
// and length, and the values walked.
type textWalk struct {
	path []textNode
	n    int
}

type textNode struct {
	ptr uintptr
	len int
}

// printable reports whether fmt prints v, at depth in the value printed,
// without recursing for ever (see Text), within maxTextValues values.
func (w *textWalk) printable(v reflect.Value, depth int) bool {
	if w.n++; w.n > maxTextValues {
		return false
	}
	if !v.IsValid() {
		return true
	}
	if depth > 0 && v.CanInterface() {
		switch v.Interface().(type) { // fmt calls the method (handleMethods)
		case error, fmt.Stringer, fmt.Formatter:
			return true
		}
	}
	switch v.Kind() {
	case reflect.Interface:
		return w.printable(v.Elem(), depth+1)
	case reflect.Struct, reflect.Array, reflect.Slice, reflect.Map:
		if flatType(v.Type(), 0) {
			return true // nothing in it can hold it: fmt prints it as it is, however large
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		// fmt prints what a pointer points to at the top level only.
		if depth == 0 && !v.IsNil() {
			switch v.Elem().Kind() {
			case reflect.Array, reflect.Slice, reflect.Struct, reflect.Map:
				return w.printable(v.Elem(), depth+1)
			}
		}
		return true
	case reflect.Struct:
		for i := range v.NumField() {
			if !w.printable(v.Field(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Array:
		if scalarKind(v.Type().Elem().Kind()) {
			return true
		}
		for i := range v.Len() {
			if !w.printable(v.Index(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if v.IsNil() || scalarKind(v.Type().Elem().Kind()) {
			return true
		}
		if !w.enter(textNode{v.Pointer(), v.Len()}) {
			return false
		}
		for i := range v.Len() {
			if !w.printable(v.Index(i), depth+1) {
				return false
			}
		}
		w.path = w.path[:len(w.path)-1]
		return true
	case reflect.Map:
		if v.IsNil() {
			return true
		}
		if !w.enter(textNode{v.Pointer(), -1}) {
			return false
		}
		for it := v.MapRange(); it.Next(); {
			if !w.printable(it.Key(), depth+1) || !w.printable(it.Value(), depth+1) {
				return false
			}
		}
		w.path = w.path[:len(w.path)-1]
		return true
	}
	return true
}

// enter adds n to the path, or reports false when it is on it already: fmt
// would print it inside itself, for ever.
func (w *textWalk) enter(n textNode) bool {
	for _, p := range w.path {
		if p == n {
			return false
		}
	}
	w.path = append(w.path, n)
	return true
}

// flatType reports whether no value of type t, below the top of what fmt
// prints, can hold a map, a slice or an interface: fmt's printing of one
// cannot come back to where it started, whatever its size, and Text
// need not walk it. A pointer below the top prints as its address. A type
// nested deeper than maxFlatDepth (or one that holds itself: type T []T)
// is taken as not flat.
func flatType(t reflect.Type, depth int) bool {
	if depth > maxFlatDepth {
		return false
	}
	switch k := t.Kind(); k {
	case reflect.Interface:
		return false
	case reflect.Pointer, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array, reflect.Slice:
		return flatType(t.Elem(), depth+1)
	case reflect.Map:
		return flatType(t.Key(), depth+1) && flatType(t.Elem(), depth+1)
	case reflect.Struct:
		for i := range t.NumField() {
			if !flatType(t.Field(i).Type, depth+1) {
				return false
			}
		}
		return true
	default:
		return scalarKind(k)
	}
}

// maxFlatDepth bounds flatType's look into a type.
const maxFlatDepth = 8

// scalarKind reports whether values of kind k hold no other values that fmt
// prints (nor methods it calls on them, for Text's purpose: a cycle).
func scalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return true
	}
	return false
}
