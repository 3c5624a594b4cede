package buffer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

// TestStartEventAllocs: an event's record new from the pool (a trail that
// is never emptied back into it, NewContext without a unit's end) gets its
// attributes' and its text's storage in one allocation, not one each, and
// filling it with up to firstEventAttrs attributes and firstEventBytes of
// text allocates nothing more. What it holds reads back whole: neither
// part writes over the other, filled to its end or grown past it.
func TestStartEventAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	// 8 attributes, 18 + 8*(3+25) = 242 bytes of text, within 256.
	fill := func(r *Record, attrs int) {
		r.SetMessage("charge failed: xyz")
		for i := range attrs {
			r.AddText(KindString, fmt.Sprintf("k%02d", i), strings.Repeat(string(rune('a'+i%26)), 25))
		}
	}
	r := Get(time.Time{}, LevelError, DefaultEventLimits)
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(time.Time{}, LevelError, DefaultEventLimits)
		r.attrs, r.data = nil, nil // new from the pool
		r.StartEvent()
		r.SetMessage("charge failed: xyz")
		for i := range firstEventAttrs {
			r.AddText(KindString, keys[i], values[i])
		}
	})
	if allocs != 1 {
		t.Errorf("a new event record, filled within its first room: %v allocations, want 1", allocs)
	}
	for _, attrs := range []int{firstEventAttrs, 3 * firstEventAttrs} {
		r.Reset(time.Time{}, LevelError, DefaultEventLimits)
		r.attrs, r.data = nil, nil
		r.StartEvent()
		// The text's part is whole Attrs: 256 bytes of 32-byte Attrs on
		// 64-bit platforms, 280 of 28-byte ones on 32-bit ones (386, arm).
		size := int(unsafe.Sizeof(Attr{}))
		if wantBytes := (firstEventBytes + size - 1) / size * size; cap(r.attrs) != firstEventAttrs || cap(r.data) != wantBytes {
			t.Fatalf("StartEvent made room for %d attributes and %d bytes, want %d and %d", cap(r.attrs), cap(r.data), firstEventAttrs, wantBytes)
		}
		fill(r, attrs)
		msg, _, data := r.Fields()
		if msg != "charge failed: xyz" || len(data) != attrs {
			t.Fatalf("%d attributes read back as %q, %v", attrs, msg, data)
		}
		for i := range attrs {
			if k, v := fmt.Sprintf("k%02d", i), strings.Repeat(string(rune('a'+i%26)), 25); data[k] != v {
				t.Errorf("%d attributes: %s read back as %q, want %q", attrs, k, data[k], v)
			}
		}
	}
}

var keys, values = func() (k, v [firstEventAttrs]string) {
	for i := range firstEventAttrs {
		k[i], v[i] = fmt.Sprintf("k%02d", i), strings.Repeat(string(rune('a'+i)), 25)
	}
	return
}()

// TestAttrHoldsNoPointer: Record.growNew keeps text in an array of Attr,
// which the garbage collector must not scan for pointers.
func TestAttrHoldsNoPointer(t *testing.T) {
	var check func(reflect.Type, string)
	check = func(ty reflect.Type, path string) {
		switch ty.Kind() {
		case reflect.Struct:
			for i := range ty.NumField() {
				check(ty.Field(i).Type, path+"."+ty.Field(i).Name)
			}
		case reflect.Array:
			check(ty.Elem(), path+"[]")
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		default:
			t.Errorf("Attr%s is a %s, which may hold a pointer", path, ty)
		}
	}
	check(reflect.TypeFor[Attr](), "")
}
