package buffer

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestRelimitRefuses: each state of a record that a copy under the
// breadcrumb limits would not keep as it is makes Relimit refuse the
// record, which is otherwise within those limits. Each case fails when
// the check of Relimit it names is left out (random records built by the
// Add methods, closed, never reach most of these states).
func TestRelimitRefuses(t *testing.T) {
	lim := DefaultBreadcrumbLimits
	small := func() *Record {
		r := &Record{textStart: -1}
		r.Reset(time.Unix(1700000000, 0), LevelError, DefaultEventLimits)
		r.SetMessage("failed")
		r.AddScalar(KindInt64, "n", 1)
		return r
	}
	cases := []struct {
		name string
		make func() *Record
	}{
		{"parse: deferred fields that may hold more attributes than a breadcrumb", func() *Record {
			r := small()
			r.Defer([]byte(strings.Repeat("a", 200)), parseNothing)
			return r
		}},
		{"open: a group left open (the event ID would land in it)", func() *Record {
			r := small()
			r.OpenGroup("g")
			r.AddScalar(KindInt64, "m", 2)
			return r
		}},
		{"droppedOpen: a dropped group left open", func() *Record {
			r := &Record{textStart: -1}
			r.Reset(time.Unix(1700000000, 0), LevelError, Limits{MaxAttrs: 1, MaxValueBytes: 100, MaxRecordBytes: 100})
			r.AddScalar(KindInt64, "n", 1)
			r.OpenGroup("g")
			return r
		}},
		{"full: an attribute dropped for room (the event ID would be too)", func() *Record {
			r := &Record{textStart: -1}
			r.Reset(time.Unix(1700000000, 0), LevelError, Limits{MaxAttrs: 10, MaxValueBytes: 100, MaxRecordBytes: 10})
			r.AddText(KindString, "k", "12345678")
			r.AddScalar(KindInt64, "long key", 1)
			return r
		}},
		{"errBufUsed: errors not released (handed over, as core.build does)", func() *Record {
			r := small()
			slot := r.ErrorsSlot(nil)
			*slot = append(*slot, errors.New("e"))
			*slot = nil // the errors are the caller's now, still on r's storage
			return r
		}},
		{"errs: errors not released", func() *Record {
			r := small()
			r.SetErrors([]error{errors.New("e")})
			return r
		}},
		{"cap(data): storage the pool does not keep", func() *Record {
			r := small()
			r.Grow(maxPooledBytes+1, 0)
			return r
		}},
		{"cap(attrs): storage the pool does not keep", func() *Record {
			r := &Record{textStart: -1}
			r.Reset(time.Unix(1700000000, 0), LevelError, Limits{MaxAttrs: 4 * maxPooledAttrs, MaxValueBytes: 100, MaxRecordBytes: 100})
			r.AddScalar(KindInt64, "n", 1)
			r.Grow(0, 2*maxPooledAttrs)
			return r
		}},
		{"data: bytes no span names past MaxRecordBytes (a replaced message)", func() *Record {
			r := small()
			r.SetMessage(strings.Repeat("x", lim.MaxRecordBytes))
			r.BeginMessage()
			_, _ = r.WriteString("short")
			r.EndMessage()
			return r
		}},
	}
	if r := small(); !r.Relimit(lim, 0, 0, "") {
		t.Fatal("a small closed record refused: the cases below test nothing")
	}
	if r := small(); r.Relimit(lim, 0, 0, "n") {
		t.Error("absent: a record holding the key its caller adds taken in place")
	}
	for _, c := range cases {
		if r := c.make(); r.Relimit(lim, 0, 0, "") {
			t.Errorf("%s: taken in place", c.name)
		}
	}
	// Deferred fields a copy would parse (keepsDeferred), each under limits
	// where only that condition refuses them.
	deferred := func(raw string) *Record {
		r := small()
		r.Defer([]byte(raw), parseNothing)
		return r
	}
	if r := deferred("a=1"); !r.Relimit(lim, 0, 0, "") {
		t.Fatal("a small record with deferred fields refused: the cases below test nothing")
	}
	deferredCases := []struct {
		name string
		raw  string
		lim  Limits
	}{
		{"fields longer than a value", strings.Repeat("a", 150), Limits{MaxAttrs: 512, MaxValueBytes: 100, MaxRecordBytes: 4096}},
		{"fields without room in the copy", strings.Repeat("a", 90), Limits{MaxAttrs: 512, MaxValueBytes: 1024, MaxRecordBytes: 100}},
		{"MaxAttrs above the record's", "a=1", Limits{MaxAttrs: 1000, MaxValueBytes: 1024, MaxRecordBytes: 4096}},
	}
	for _, c := range deferredCases {
		if r := deferred(c.raw); r.Relimit(c.lim, 0, 0, "") {
			t.Errorf("%s: taken in place", c.name)
		}
	}
	// Fields longer than a value of the record's own limits, which a copy
	// parses within them: the breadcrumb's are wider here.
	r := &Record{textStart: -1}
	r.Reset(time.Unix(1700000000, 0), LevelError, Limits{MaxAttrs: 1000, MaxValueBytes: 10, MaxRecordBytes: 4096})
	r.Defer([]byte(strings.Repeat("a", 20)), parseNothing)
	if r.Relimit(Limits{MaxAttrs: 1000, MaxValueBytes: 100, MaxRecordBytes: 4096}, 0, 0, "") {
		t.Error("fields longer than a value of the record's limits: taken in place")
	}
}

// parseNothing is a Parser for records whose fields are never read.
func parseNothing(*Record, []byte) {}

// TestAddTextBeforeFields: the attribute goes before the deferred fields,
// which parse after it, whole, when it is cut (its bytes shorter than
// key and value) or not; without deferred fields it is AddText.
func TestAddTextBeforeFields(t *testing.T) {
	lim := Limits{MaxAttrs: 10, MaxValueBytes: 8, MaxRecordBytes: 200}
	parse := func(rec *Record, raw []byte) { rec.AddText(KindString, "field", string(raw)) }
	for _, val := range []string{"short", strings.Repeat("long", 10)} {
		r := &Record{textStart: -1}
		r.Reset(time.Unix(1700000000, 0), LevelError, lim)
		r.SetMessage("failed")
		r.AddScalar(KindInt64, "n", 1)
		if !r.Defer([]byte("encoded"), parse) {
			t.Fatal("not deferred")
		}
		before := len(r.data)
		r.AddTextBeforeFields(KindString, "id", val)
		id := r.Attr(r.Len() - 1)
		if grown := len(r.data) - before; grown != len("id")+len(r.Text(id)) {
			t.Errorf("data grew %d bytes for %q=%q: bytes left unnamed", grown, r.Key(id), r.Text(id))
		}
		r.Expand()
		var got []string
		for i := range r.Len() {
			a := r.Attr(i)
			got = append(got, r.Key(a)+"="+r.Text(a))
		}
		want := []string{"n=", "id=" + val, "field=encoded"}
		if len(val) > lim.MaxValueBytes {
			want[1] = "id=" + val[:lim.MaxValueBytes-len(ellipsis)] + ellipsis
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("attributes %q, want %q", got, want)
		}
	}
}

// TestAddTextAsWrittenInPieces: a text added whole (AddText, which
// zerologsentry now uses for a string member without escapes) leaves a
// record exactly as BeginText, Write and EndText did: the same attributes
// (key, text span and original length), bytes, Truncated, dropped count
// and fullness, for random sequences of texts of multi-byte, invalid and
// ellipsis runes, under limits of 1..4 attributes, 0..11 bytes a value and
// 0..39 bytes a record. TestWrittenTextCutsAsSetText compares one text's
// bytes and mark; it passes when AddText stores a wrong original length.
func TestAddTextAsWrittenInPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := []string{"a", "é", "€", "😀", "\xff", "\x80", "\xe2\x82", "…"}
	for range 50000 {
		lim := Limits{MaxAttrs: 1 + rng.IntN(4), MaxValueBytes: rng.IntN(12), MaxRecordBytes: rng.IntN(40)}
		type op struct{ k, v string }
		var ops []op
		for range rng.IntN(5) {
			var b strings.Builder
			for range rng.IntN(8) {
				b.WriteString(parts[rng.IntN(len(parts))])
			}
			ops = append(ops, op{strings.Repeat("k", rng.IntN(4)), b.String()})
		}
		a := Get(time.Time{}, LevelInfo, lim)
		w := Get(time.Time{}, LevelInfo, lim)
		for _, o := range ops {
			a.AddText(KindString, o.k, o.v)
			w.BeginText(KindString, o.k)
			w.Write([]byte(o.v))
			w.EndText()
		}
		if !(len(a.attrs) == len(w.attrs) && (len(a.attrs) == 0 || reflect.DeepEqual(a.attrs, w.attrs))) || string(a.data) != string(w.data) || a.Truncated != w.Truncated || a.DroppedAttrs != w.DroppedAttrs || a.full != w.full {
			t.Fatalf("%+v %q:\nAddText %+v %q cut %v dropped %d\nwritten %+v %q cut %v dropped %d", lim, ops, a.attrs, a.data, a.Truncated, a.DroppedAttrs, w.attrs, w.data, w.Truncated, w.DroppedAttrs)
		}
		Put(a)
		Put(w)
	}
}

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
