package buffer

import (
	"strings"
	"testing"
	"time"
)

// TestStartEventWithinLimits: StartEvent's storage is capped by the
// record's limits (a record whose limits are below 256 bytes and 8
// attributes gets no more than they allow, rounded up to the allocator's
// size class), is given only to a record with none (a record from the pool
// keeps the storage it has), changes nothing of what the record holds,
// and leaves an event's record that then becomes a breadcrumb in place
// (Relimit) within what the pool keeps.
func TestStartEventWithinLimits(t *testing.T) {
	now := time.Unix(1700000000, 0)
	small := Limits{MaxAttrs: 2, MaxValueBytes: 16, MaxRecordBytes: 24}
	r := &Record{textStart: -1}
	r.Reset(now, LevelError, small)
	r.StartEvent()
	if cap(r.data) > 32 || cap(r.attrs) > 2 {
		t.Errorf("under %+v StartEvent made room for %d bytes and %d attributes", small, cap(r.data), cap(r.attrs))
	}

	// A record with storage keeps it.
	r = &Record{textStart: -1, data: make([]byte, 0, 40)}
	r.Reset(now, LevelError, DefaultEventLimits)
	r.StartEvent()
	if cap(r.data) != 40 || cap(r.attrs) != 0 {
		t.Errorf("a record with storage: %d bytes and %d attributes after StartEvent, want 40 and 0", cap(r.data), cap(r.attrs))
	}

	// What the record holds is as without StartEvent, at and past the limits.
	fill := func(r *Record) {
		r.SetNames("app", strings.Repeat("m", 300))
		for i := range 12 {
			r.AddText(KindString, "k"+strings.Repeat("x", i), strings.Repeat("v", 40))
		}
		r.CloseAll()
	}
	for _, lim := range []Limits{small, DefaultEventLimits, {MaxAttrs: 8, MaxValueBytes: 300, MaxRecordBytes: 256}} {
		a, b := &Record{textStart: -1}, &Record{textStart: -1}
		a.Reset(now, LevelError, lim)
		b.Reset(now, LevelError, lim)
		b.StartEvent()
		fill(a)
		fill(b)
		if string(a.data) != string(b.data) || len(a.attrs) != len(b.attrs) || a.DroppedAttrs != b.DroppedAttrs || a.Truncated != b.Truncated {
			t.Errorf("under %+v: with StartEvent %q (%d attributes, %d dropped), without %q (%d, %d)",
				lim, b.data, len(b.attrs), b.DroppedAttrs, a.data, len(a.attrs), a.DroppedAttrs)
		}
	}

	// An event's record kept as its breadcrumb in place stays poolable.
	r = &Record{textStart: -1}
	r.Reset(now, LevelError, DefaultEventLimits)
	r.StartEvent()
	r.SetNames("app", "charge failed")
	r.AddText(KindString, "path", "/orders/42")
	if !r.Relimit(DefaultBreadcrumbLimits, 0, 0, "") {
		t.Fatal("a small event record is not kept in place as its breadcrumb")
	}
	if cap(r.data) > maxPooledBytes || cap(r.attrs) > maxPooledAttrs {
		t.Errorf("kept in place: %d bytes, %d attributes of storage, past what the pool keeps", cap(r.data), cap(r.attrs))
	}
}
