package buffer

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// parsePairs is a Parser for "k=v,k=v": every value a string.
func parsePairs(rec *Record, raw []byte) {
	for _, kv := range strings.Split(string(raw), ",") {
		k, v, _ := strings.Cut(kv, "=")
		rec.AddText(KindString, k, v)
	}
}

// eagerAndDeferred returns the record built with the fields written at once
// and the one built with them deferred, then expanded, from the same start:
// a message and a group left open, as a logger's With leaves it.
func eagerAndDeferred(t *testing.T, limits Limits, raw string) (eager, deferred *Record, kept bool) {
	t.Helper()
	start := func() *Record {
		r := Get(time.Unix(1, 0), LevelInfo, limits)
		r.SetLogger("test")
		r.SetMessage("hello")
		r.OpenGroup("with")
		r.AddText(KindString, "svc", "api")
		return r
	}
	eager = start()
	parsePairs(eager, []byte(raw))
	eager.CloseAll()
	deferred = start()
	b := []byte(raw)
	kept = deferred.Defer(b, parsePairs)
	if !kept {
		parsePairs(deferred, b)
		deferred.CloseAll()
	}
	for i := range b { // the caller's buffer is reused for the next record
		b[i] = 'x'
	}
	deferred.Expand()
	return eager, deferred, kept
}

func TestDeferredExpandsAsEager(t *testing.T) {
	long := strings.Repeat("é", 700) // 1400 bytes: cut to MaxValueBytes
	for _, tc := range []struct {
		name   string
		limits Limits
		raw    string
		kept   bool
	}{
		{"short", DefaultBreadcrumbLimits, "a=1,b=two", true},
		{"value cut", DefaultBreadcrumbLimits, "a=" + long + ",b=2", true},
		{"record cut, over the byte bound", Limits{MaxAttrs: 64, MaxValueBytes: 1024, MaxRecordBytes: 1200}, "a=" + long[:1000] + ",b=" + long[:300] + ",c=3", false},
		{"attrs dropped", Limits{MaxAttrs: 3, MaxValueBytes: 1024, MaxRecordBytes: 4096}, "a=1,b=2,c=3", true},
		{"over the byte bound: parsed at once", DefaultBreadcrumbLimits, "a=" + long + ",b=" + long + ",c=" + long + ",d=3", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eager, deferred, kept := eagerAndDeferred(t, tc.limits, tc.raw)
			if kept != tc.kept {
				t.Fatalf("Defer kept the bytes: %v, want %v", kept, tc.kept)
			}
			if deferred.Deferred() {
				t.Fatal("still deferred after Expand")
			}
			if !reflect.DeepEqual(eager.Breadcrumb(), deferred.Breadcrumb()) || eager.Truncated != deferred.Truncated ||
				eager.DroppedAttrs != deferred.DroppedAttrs || eager.Bytes() != deferred.Bytes() || eager.Len() != deferred.Len() {
				t.Fatalf("deferred then expanded:\n%+v\nat once:\n%+v", deferred.Breadcrumb(), eager.Breadcrumb())
			}
			if b := deferred.Breadcrumb(); b.Data["with"].(map[string]any)["a"] == nil {
				t.Fatalf("fields not in the group left open: %v", b.Data)
			}
		})
	}
}

// A trail's records stay deferred (nothing is parsed under its lock); the
// copies Snapshot and TakeUnlogged return are parsed.
func TestTrailCopiesAreExpanded(t *testing.T) {
	tr := NewTrail(4)
	r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
	r.SetMessage("m")
	if !r.Defer([]byte("a=1,b=2"), parsePairs) {
		t.Fatal("not deferred")
	}
	tr.Append(r)
	want := map[string]any{"a": "1", "b": "2"}
	for i := range 2 {
		snap := tr.Snapshot(nil)
		if got := Breadcrumbs(snap, nil)[0].Data; !reflect.DeepEqual(got, want) {
			t.Fatalf("snapshot %d: %v, want %v", i, got, want)
		}
		PutAll(snap)
	}
	if !r.Deferred() {
		t.Fatal("the trail's own record was parsed")
	}
	taken := tr.TakeUnlogged(nil)
	if len(taken) != 1 || !reflect.DeepEqual(taken[0].Data(), want) {
		t.Fatalf("TakeUnlogged: %d records", len(taken))
	}
	PutAll(taken)
}

// A parser that panics leaves the record with what it wrote, and reading
// the trail goes on.
func TestDeferredParserPanics(t *testing.T) {
	r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
	r.Defer([]byte("x"), func(rec *Record, raw []byte) {
		rec.AddText(KindString, "before", "1")
		rec.OpenGroup("g")
		rec.BeginText(KindString, "half")
		panic("parser")
	})
	r.Expand()
	if r.Depth() != 0 || r.Deferred() {
		t.Fatalf("depth %d, deferred %v", r.Depth(), r.Deferred())
	}
	if got := r.Data(); got["before"] != "1" {
		t.Fatalf("data %v", got)
	}
	r.AddText(KindString, "after", "2") // usable again
}

// A parser that panics on one record of a trail's copy leaves that record
// with what it wrote, and the records after it are parsed all the same, by
// Snapshot, Copy and TakeUnlogged alike (expandAll recovers once for many
// records).
func TestTrailCopyParserPanics(t *testing.T) {
	parse := func(rec *Record, raw []byte) {
		parsePairs(rec, raw)
		if strings.HasPrefix(string(raw), "boom") {
			rec.OpenGroup("g")
			rec.BeginText(KindString, "half")
			panic("parser")
		}
	}
	tr := NewTrail(8)
	var want []map[string]any // each record expanded alone (Expand)
	for _, raw := range []string{"a=1", "boom=1", "b=2", "boom=2", "boom=3", "c=3"} {
		r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
		if !r.Defer([]byte(raw), parse) {
			t.Fatal("not deferred")
		}
		tr.Append(r)
		alone := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
		alone.Defer([]byte(raw), parse)
		alone.Expand()
		want = append(want, alone.Data())
	}
	if want[1]["boom"] != "1" || want[1]["g"] == nil || want[2]["b"] != "2" {
		t.Fatalf("expanded alone: %v", want)
	}
	snap := tr.Snapshot(nil)
	checkCopies(t, "Snapshot", snap, want)
	PutAll(snap)
	b := tr.Copy()
	checkCopies(t, "Copy", b.Recs, want)
	b.Release()
	taken := tr.TakeUnlogged(nil)
	checkCopies(t, "TakeUnlogged", taken, want)
	PutAll(taken)
}

func TestDeferRefuses(t *testing.T) {
	r := Get(time.Unix(1, 0), LevelInfo, Limits{MaxRecordBytes: 10})
	if r.Defer([]byte("a=1"), nil) {
		t.Error("deferred without a parser")
	}
	if r.Defer([]byte("a=123456789"), parsePairs) {
		t.Error("deferred 11 bytes into a 10-byte record")
	}
	if !r.Defer([]byte("a=12345678"), parsePairs) || r.Defer([]byte("b=1"), parsePairs) {
		t.Error("10 bytes not deferred, or deferred twice")
	}
}

// parseViews is parsePairs after a two-byte prefix, reading raw where it
// lies, as zerolog's parser reads `{"` and then its members: its keys and
// values are views of raw, not copies.
func parseViews(rec *Record, raw []byte) {
	raw = raw[2:]
	for len(raw) > 0 {
		kv := raw
		if i := bytes.IndexByte(raw, ','); i >= 0 {
			kv, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		k, v, _ := bytes.Cut(kv, []byte("="))
		rec.AddText(KindString, unsafe.String(unsafe.SliceData(k), len(k)), unsafe.String(unsafe.SliceData(v), len(v)))
	}
}

// A record's deferred fields are parsed in place, the parse writing the
// attributes' text over the bytes it has read (see Parser): keys of every
// length, first or later, copied over their own bytes by add's word
// copies, read as the fields parsed when logged, within the record's
// capacity (a used record, as a trail's copies are) or not.
func TestExpandInPlace(t *testing.T) {
	for used := range 2 {
		for n := range 20 {
			for m := range 20 {
				// Keys of distinct bytes: a byte overwritten by another of
				// the same would not show.
				const abc = "abcdefghijklmnopqrst"
				raw := abc[:n] + "=" + strings.Repeat("v", m%5) + "," + abc[20-m:] + "=" + strings.Repeat("w", n%3) +
					",x=" + abc[:n]
				eager := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
				eager.SetMessage("m")
				parsePairs(eager, []byte(raw))
				raw = "{:" + raw
				lazy := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
				if used == 1 {
					for range 8 {
						lazy.AddText(KindString, "a-key-of-sixteen", "and a text of some length")
					}
					lazy.Reset(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
				}
				lazy.SetMessage("m")
				if !lazy.Defer([]byte(raw), parseViews) {
					t.Fatal("not deferred")
				}
				lazy.Expand()
				if got, want := dumpAttrs(lazy), dumpAttrs(eager); got != want {
					t.Fatalf("used %d, %q: parsed when read\n%s\nparsed when logged\n%s", used, raw, got, want)
				}
				Put(eager)
				Put(lazy)
			}
		}
	}
}

func dumpAttrs(r *Record) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%q %d bytes\n", r.Message(), r.Bytes())
	for i := range r.Len() {
		a := r.Attr(i)
		fmt.Fprintf(&sb, "%v %q %q %d\n", a.Kind, r.Key(a), r.Text(a), a.Num())
	}
	return sb.String()
}
