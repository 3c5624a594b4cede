package buffer

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
		if cap(r.attrs) != firstEventAttrs || cap(r.data) != firstEventBytes {
			t.Fatalf("StartEvent made room for %d attributes and %d bytes, want %d and %d", cap(r.attrs), cap(r.data), firstEventAttrs, firstEventBytes)
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

// TestStartEventSmallLimits: an event record whose limits leave less room
// than StartEvent's gets that room, and reads back what a record grown
// as it is written reads.
func TestStartEventSmallLimits(t *testing.T) {
	lim := Limits{MaxAttrs: 3, MaxValueBytes: 40, MaxRecordBytes: 60}
	fill := func(r *Record) {
		r.SetMessage("charge failed")
		for i := range 5 {
			r.AddText(KindString, fmt.Sprintf("k%d", i), strings.Repeat("v", 12))
		}
	}
	r, plain := Get(time.Time{}, LevelError, lim), &Record{textStart: -1}
	r.attrs, r.data = nil, nil
	r.StartEvent()
	if cap(r.attrs) != 3 || cap(r.data) != 60 {
		t.Fatalf("StartEvent made room for %d attributes and %d bytes, want 3 and 60", cap(r.attrs), cap(r.data))
	}
	plain.Reset(time.Time{}, LevelError, lim)
	fill(r)
	fill(plain)
	msg, _, data := r.Fields()
	wantMsg, _, want := plain.Fields()
	if msg != wantMsg || fmt.Sprint(data) != fmt.Sprint(want) || r.DroppedAttrs != plain.DroppedAttrs || r.Truncated != plain.Truncated {
		t.Errorf("read back %q %v (%d dropped), want %q %v (%d dropped)", msg, data, r.DroppedAttrs, wantMsg, want, plain.DroppedAttrs)
	}
}
