package buffer

import (
	"math"
	"unsafe"
)

// Boxing from a slab.
//
// Converting a string, or an int64, uint64 or float64 of 256 or more, to
// an interface value allocates: the runtime copies the value to the heap
// and points the interface's data word at the copy. A breadcrumb's Data
// holds a few such values, and an event carries up to 100 breadcrumbs: that
// was four in five of the event path's allocations. A slab holds the values
// of a whole conversion in two arrays allocated once, and each interface
// value points into them instead: what the runtime would have built, with
// the copy in a shared array rather than an allocation of its own.
//
// The result is an ordinary interface value: its type word is the type's
// own (read from an interface the compiler built), its data word points to
// a value of that type that is never written again, so reflect.TypeOf, ==,
// type switches, encoding/json and fmt see what they would see for any(v).
// The garbage collector keeps a slab alive while any interface points into
// it (interior pointers count), and scans the string slab as the []string
// it is. This relies on the layout of an interface value, two words (type,
// data), which the runtime has kept since Go 1.0 and which reflect,
// sync/atomic.Value and the runtime's own convT functions depend on; the
// tests in box_test.go check the properties above.

// eface is the layout of an interface value of type any.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// typeWord returns the type word of v.
func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

var (
	stringType  = typeWord("")
	int64Type   = typeWord(int64(0))
	uint64Type  = typeWord(uint64(0))
	float64Type = typeWord(float64(0))
)

// boxAt returns the interface value of type typ whose value is at p. The
// value at p must be of that type and must never change afterwards.
func boxAt(typ, p unsafe.Pointer) any {
	return *(*any)(unsafe.Pointer(&eface{typ: typ, data: p}))
}

// A slab boxes the values of one conversion (see Breadcrumbs) from two
// arrays: strs for strings, nums for the bits of int64, uint64 and float64
// values. Each value takes the next free element, which is never written
// again. A nil slab, or one whose elements are all taken, boxes as the
// runtime does. rend is where the text of durations and times is
// rendered: the room newSlabFor left after the records' text.
type slab struct {
	strs []string
	nums []uint64
	rend []byte
	// nstr and nnum count the elements taken: an index moved on rather
	// than the slices resliced, which wrote their pointers back behind a
	// test of the write barrier (BenchmarkBreadcrumbs: 2,812 -> 2,801
	// instructions a breadcrumb).
	nstr, nnum int
}

// newSlab returns a slab with room for strs strings and nums numbers.
func newSlab(strs, nums int) slab {
	var s slab
	if strs > 0 {
		s.strs = make([]string, strs)
	}
	if nums > 0 {
		s.nums = make([]uint64, nums)
	}
	return s
}

// nextString returns the next free string element and takes it, or nil.
func (s *slab) nextString() *string {
	if s == nil || s.nstr >= len(s.strs) {
		return nil
	}
	p := &s.strs[s.nstr]
	s.nstr++
	return p
}

// string boxes v.
func (s *slab) string(v string) any {
	p := s.nextString()
	if p == nil {
		return v
	}
	*p = v
	return boxAt(stringType, unsafe.Pointer(p))
}

// rendered boxes the text of a duration or time attribute, rendered at the
// end of s.rend: bytes that are never written again, as later texts go
// after them (when they outgrow its room, append moves on to a new array,
// and the strings in the old one keep it alive).
func (s *slab) rendered(a *Attr) any {
	p := s.nextString()
	if p == nil {
		return renderString(*a)
	}
	off := len(s.rend)
	// A duration, as most rendered values are, is appended here rather
	// than through appendRendered, whose call takes a copy of a
	// (BenchmarkBreadcrumbs: 2,594 -> 2,573 instructions a breadcrumb of
	// one duration).
	if a.Kind == KindDuration {
		s.rend = appendDuration(s.rend, int64(a.num))
	} else {
		s.rend = appendRendered(s.rend, *a)
	}
	*p = unsafe.String(&s.rend[off], len(s.rend)-off) // never empty: "0s" at least
	return boxAt(stringType, unsafe.Pointer(p))
}

// boxesFree reports whether the runtime boxes a number of these bits
// without allocating: below 256, it points into a static array.
func boxesFree(bits uint64) bool { return bits < 256 }

// smallNums holds the numbers that box free, each at its own index: a
// value of them is boxed pointing here, as the runtime points it into an
// array of its own, without the runtime's call (convT64) that does it
// (BenchmarkBreadcrumbs, one such number a breadcrumb: 2,775 -> 2,754
// instructions a breadcrumb). Never written after init.
var smallNums = func() (a [256]uint64) {
	for i := range a {
		a[i] = uint64(i)
	}
	return a
}()

// num takes the next free number element for bits, or returns nil for a
// nil or full slab; for bits that box free it returns their element of
// smallNums, and takes nothing.
func (s *slab) num(bits uint64) unsafe.Pointer {
	if boxesFree(bits) {
		return unsafe.Pointer(&smallNums[bits])
	}
	if s == nil || s.nnum >= len(s.nums) {
		return nil
	}
	p := &s.nums[s.nnum]
	s.nnum++
	*p = bits
	return unsafe.Pointer(p)
}

// int64 boxes v.
func (s *slab) int64(v int64) any {
	if p := s.num(uint64(v)); p != nil {
		return boxAt(int64Type, p)
	}
	return v
}

// uint64 boxes v.
func (s *slab) uint64(v uint64) any {
	if p := s.num(v); p != nil {
		return boxAt(uint64Type, p)
	}
	return v
}

// float64 boxes v.
func (s *slab) float64(v float64) any {
	if p := s.num(math.Float64bits(v)); p != nil {
		return boxAt(float64Type, p)
	}
	return v
}
