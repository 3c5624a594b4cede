package buffer

import (
	"errors"
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
