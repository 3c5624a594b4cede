package zerologsentry

import (
	"reflect"
	"time"
	"unsafe"
)

// The record clock adds the monotonic time elapsed since its base to the
// base's time.Now reading, for every record kept (clock.now). time.Time.Add
// handles every case (negative durations, a nanosecond carry either way,
// times without a monotonic reading, seconds beyond the packed field,
// monotonic overflow): 73 instructions a record with its addSec, of the
// hook's 1,000 or so (cachegrind). The clock's case is one: a time.Now
// reading, which has a monotonic reading, plus a duration that is not
// negative. addMono computes that case on time.Time's words directly, and
// hands every other case to Add.
//
// This reads and writes time.Time's unexported fields, whose layout and
// meaning are documented in the time package's source (wall: a
// hasMonotonic bit, 33 bits of seconds since 1885 and 30 of nanoseconds;
// ext: the monotonic reading; loc) and have not changed since Go 1.9. They
// are not assumed: at start-up, timeLayoutOK checks the field names, types
// and offsets by reflection, and that addMono's results equal Add's; if
// either check fails, addMono is Add (timeadd_test.go fails first).
type timeWords struct {
	wall uint64
	ext  int64
	loc  *time.Location
}

const (
	hasMonotonic = 1 << 63
	nsecMask     = 1<<30 - 1
	nsecShift    = 30
	maxWallSec   = 1<<33 - 1 // the packed seconds field's largest value
)

// fastAdd reports whether addMono may compute times itself (see
// timeLayoutOK).
var fastAdd = timeLayoutOK()

// addMono returns t.Add(d). It computes it itself (addWords) for a t with
// a monotonic reading, when the sum fits the packed fields and fastAdd;
// otherwise it calls Add.
func addMono(t time.Time, d time.Duration) time.Time {
	if fastAdd {
		if sum, ok := addWords(t, d); ok {
			return sum
		}
	}
	return t.Add(d)
}

// addWords computes t.Add(d) on t's words, and reports whether it could:
// t has a monotonic reading, and neither the packed seconds nor the
// monotonic reading overflow.
func addWords(t time.Time, d time.Duration) (time.Time, bool) {
	w := (*timeWords)(unsafe.Pointer(&t))
	ns := w.wall&nsecMask + uint64(d)
	sec := ns / 1e9
	// A d < 0 longer than t's nanoseconds wraps ns: sec is out of range,
	// and Add takes it; a shorter one is computed here, as Add computes it.
	if w.wall&hasMonotonic == 0 || w.wall<<1>>(nsecShift+1)+sec > maxWallSec || w.ext+int64(d) < w.ext {
		return t, false
	}
	w.wall = w.wall&^nsecMask + sec<<nsecShift + (ns - sec*1e9)
	w.ext += int64(d)
	return t, true
}

// timeLayoutOK reports whether time.Time is laid out as timeWords says,
// and addWords agrees with Add on a time.Now reading for durations around
// the nanosecond carry and across seconds, hours and years.
func timeLayoutOK() bool {
	typ := reflect.TypeFor[time.Time]()
	want := reflect.TypeFor[timeWords]()
	if typ.Size() != want.Size() || typ.NumField() != want.NumField() {
		return false
	}
	for i := range typ.NumField() {
		f, w := typ.Field(i), want.Field(i)
		if f.Name != w.Name || f.Offset != w.Offset || f.Type != w.Type {
			return false
		}
	}
	now := time.Now()
	if !hasMono(now) {
		return false // nothing to check it on; Add it is
	}
	ns := time.Duration(now.Nanosecond())
	for _, d := range []time.Duration{0, 1, time.Second - ns - 1, time.Second - ns, time.Second - ns + 1,
		time.Second, 1234567891, time.Hour + 1, 400 * 24 * time.Hour} {
		if sum, ok := addWords(now, d); !ok || sum != now.Add(d) {
			return false
		}
	}
	return true
}
