package buffer

import (
	"bytes"
	"fmt"
	"math/rand/v2"
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

// TestAppendRecordOfDeferred: a record whose fields are deferred copied
// into another (an event's record into its breadcrumb) reads exactly as
// the copy of that record parsed first, whether its fields stay deferred
// in the copy (kept says they must) or it is parsed to be copied.
func TestAppendRecordOfDeferred(t *testing.T) {
	var many []string
	for i := range 80 {
		many = append(many, fmt.Sprintf("k%d=v", i))
	}
	longKey := strings.Repeat("κ", 80) // 160 bytes: cut to 128
	for _, tc := range []struct {
		name     string
		src, dst Limits
		raw      string
		kept     bool
	}{
		{"short", DefaultEventLimits, DefaultBreadcrumbLimits, "a=1,b=two", true},
		{"within MaxAttrs of the copy", DefaultEventLimits, DefaultBreadcrumbLimits, strings.Join(many[:20], ","), true},
		{"over MaxAttrs of the copy", DefaultEventLimits, DefaultBreadcrumbLimits, strings.Join(many, ","), false},
		{"over MaxAttrs of both", Limits{MaxAttrs: 40}.WithDefaults(DefaultEventLimits), Limits{MaxAttrs: 30}.WithDefaults(DefaultBreadcrumbLimits), strings.Join(many, ","), false},
		// Opened past the copy's MaxAttrs, an empty group counts as
		// dropped; opened in the source, below its own, it is taken out
		// again and its copy counts nothing.
		{"empty groups past MaxAttrs of the copy", DefaultEventLimits, DefaultBreadcrumbLimits, strings.Join(many[:70], ",") + ",e={},f={}", false},
		{"long key", DefaultEventLimits, Limits{MaxAttrs: 200}.WithDefaults(DefaultBreadcrumbLimits), longKey + "=1,b=2", true},
		{"a value cut in the copy", DefaultEventLimits, DefaultBreadcrumbLimits, "a=" + strings.Repeat("é", 700) + ",b=2", false},
		{"a value cut in both", Limits{MaxValueBytes: 1030}.WithDefaults(DefaultEventLimits), DefaultBreadcrumbLimits, "a=" + strings.Repeat("é", 700), false},
		{"copy keeps more attributes", Limits{MaxAttrs: 10}.WithDefaults(DefaultEventLimits), DefaultBreadcrumbLimits, strings.Join(many, ","), false},
		{"copy short of room", DefaultEventLimits, Limits{MaxRecordBytes: 300}.WithDefaults(DefaultBreadcrumbLimits), strings.Join(many, ","), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := func() *Record {
				r := Get(time.Unix(1, 0), LevelError, tc.src)
				r.SetLogger("test")
				r.SetMessage("failed")
				r.OpenGroup("with")
				r.AddText(KindString, "svc", "api")
				if !r.Defer([]byte(tc.raw), parsePairsAndGroups) {
					t.Fatal("not deferred")
				}
				return r
			}
			dst := func() *Record {
				r := Get(time.Unix(1, 0), LevelError, tc.dst)
				r.SetLogger("test")
				r.SetMessage("failed")
				r.AddText(KindString, "sentry.event_id", "0123")
				return r
			}
			parsed := src()
			parsed.Expand()
			want := dst()
			want.AppendRecord(parsed)
			want.CloseAll()

			got := dst()
			got.AppendRecord(src())
			got.CloseAll()
			if got.Deferred() != tc.kept {
				t.Fatalf("copy deferred: %v, want %v", got.Deferred(), tc.kept)
			}
			got.Expand()
			if !reflect.DeepEqual(got.Breadcrumb(), want.Breadcrumb()) || got.Truncated != want.Truncated ||
				got.DroppedAttrs != want.DroppedAttrs || got.Bytes() != want.Bytes() || got.Len() != want.Len() {
				t.Fatalf("copied deferred:\n%+v (truncated %v, dropped %d)\ncopied parsed:\n%+v (truncated %v, dropped %d)",
					got.Breadcrumb(), got.Truncated, got.DroppedAttrs, want.Breadcrumb(), want.Truncated, want.DroppedAttrs)
			}
		})
	}
}

// parsePairsAndGroups is parsePairs, with a value of {} an empty group.
func parsePairsAndGroups(rec *Record, raw []byte) {
	for _, kv := range strings.Split(string(raw), ",") {
		k, v, _ := strings.Cut(kv, "=")
		if v == "{}" {
			rec.OpenGroup(k)
			rec.CloseGroup()
			continue
		}
		rec.AddText(KindString, k, v)
	}
}

// TestTrailCopyParserPanicsRandom: TestTrailCopyParserPanics over random
// trails: rings of 1 to 6 records, wrapped or not, records deferred or
// written at once, and parsers that panic (with a group and a text left
// open, or with nothing written, or with a nil panic value) anywhere: at the
// first record a copy expands, at its last, several in a row, all of them.
// Each copy's records read as each record expanded alone (Expand), and
// TakeUnlogged takes each record once.
func TestTrailCopyParserPanicsRandom(t *testing.T) {
	parse := func(rec *Record, raw []byte) {
		s := string(raw)
		if rest, ok := strings.CutPrefix(s, "boom"); ok {
			parsePairs(rec, []byte("x="+rest))
			rec.OpenGroup("g")
			rec.BeginText(KindString, "half")
			panic("parser")
		}
		if strings.HasPrefix(s, "nilboom") {
			panic(nil)
		}
		if strings.HasPrefix(s, "early") {
			panic(fmt.Errorf("early"))
		}
		parsePairs(rec, raw)
	}
	rng := rand.New(rand.NewPCG(28, 0xb))
	for iter := range 3000 {
		tr := NewTrail(1 + rng.IntN(6))
		var want []map[string]any // the ring's records, oldest first
		var takenBefore int       // records TakeUnlogged took before
		n := rng.IntN(14)
		for i := range n {
			raw := []string{"a=%d", "boom%d", "nilboom=%d", "early=%d", "b=%d,c=x"}[rng.IntN(5)]
			raw = fmt.Sprintf(raw, i)
			mk := func() *Record {
				r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
				if rng.IntN(4) == 0 {
					r.AddText(KindString, "eager", raw)
				} else if !r.Defer([]byte(raw), parse) {
					t.Fatal("not deferred")
				}
				return r
			}
			seed := rng.Uint64()
			rng = rand.New(rand.NewPCG(seed, 1))
			r := mk()
			rng = rand.New(rand.NewPCG(seed, 1))
			alone := mk()
			alone.Expand()
			if alone.Deferred() || alone.Depth() != 0 {
				t.Fatalf("%d: expanded alone, deferred %v depth %d", iter, alone.Deferred(), alone.Depth())
			}
			if rng.IntN(2) == 0 {
				tr.Append(r)
			} else {
				tr.AppendFilled(func(f *Record) { f.copyFrom(r) })
				Put(r)
			}
			want = append(want, alone.Data())
			Put(alone)
			if len(want) > tr.Cap() {
				want = want[1:]
				if takenBefore > 0 {
					takenBefore--
				}
			}
			if rng.IntN(5) == 0 {
				taken := tr.TakeUnlogged(nil)
				if len(taken) != len(want)-takenBefore {
					t.Fatalf("%d: TakeUnlogged took %d, want %d", iter, len(taken), len(want)-takenBefore)
				}
				checkCopies(t, fmt.Sprintf("%d: TakeUnlogged", iter), taken, want[takenBefore:])
				PutAll(taken)
				takenBefore = len(want)
			}
		}
		snap := tr.Snapshot(nil)
		checkCopies(t, fmt.Sprintf("%d: Snapshot", iter), snap, want)
		PutAll(snap)
		b := tr.Copy()
		checkCopies(t, fmt.Sprintf("%d: Copy", iter), b.Recs, want)
		b.Release()
		taken := tr.TakeUnlogged(nil)
		checkCopies(t, fmt.Sprintf("%d: TakeUnlogged", iter), taken, want[takenBefore:])
		PutAll(taken)
		tr.Release()
	}
}

func checkCopies(t *testing.T, how string, recs []*Record, want []map[string]any) {
	t.Helper()
	if len(recs) != len(want) {
		t.Fatalf("%s: %d records, want %d", how, len(recs), len(want))
	}
	for i, r := range recs {
		if r.Deferred() || r.Depth() != 0 {
			t.Fatalf("%s: record %d deferred %v, depth %d", how, i, r.Deferred(), r.Depth())
		}
		if got := r.Data(); !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("%s: record %d: %v, want %v", how, i, got, want[i])
		}
	}
}

// parseTree is a Parser for "{" then members "k=v;" (a string), "k{" (a
// group opened) and "}" (closed), reading raw where it lies, its keys and
// values views of raw, as zerolog's parser reads its JSON: it writes each
// member in fewer bytes than the member took (the separators dropped).
func parseTree(rec *Record, raw []byte) {
	view := func(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
	raw = raw[1:]
	for len(raw) > 0 {
		if raw[0] == '}' {
			rec.CloseGroup()
			raw = raw[1:]
			continue
		}
		i := bytes.IndexAny(raw, "={")
		if i < 0 {
			return
		}
		k := raw[:i]
		if raw[i] == '{' {
			rec.OpenGroup(view(k))
			raw = raw[i+1:]
			continue
		}
		raw = raw[i+1:]
		j := bytes.IndexByte(raw, ';')
		if j < 0 {
			j = len(raw)
		}
		rec.AddText(KindString, view(k), view(raw[:j]))
		raw = raw[min(j+1, len(raw)):]
	}
}

// conv5Raw is a random encoding for parseTree: keys of every length add
// copies differently (1-3, 4-7, 8-16, 17 and more bytes, and past the 128
// bytes a key is cut to), of distinct bytes so that one overwritten shows;
// values empty to over MaxValueBytes, some multi-byte; groups.
func conv5Raw(rng *rand.Rand) string {
	const abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	key := func() string {
		n := 1 + rng.IntN(24)
		if rng.IntN(6) == 0 {
			n = 120 + rng.IntN(20)
		}
		k := strings.Repeat(abc, 4)[rng.IntN(len(abc)):]
		return k[:n]
	}
	var sb strings.Builder
	sb.WriteByte('{')
	depth := 0
	for range rng.IntN(12) {
		switch rng.IntN(6) {
		case 0:
			sb.WriteString(key() + "{")
			depth++
		case 1:
			if depth > 0 {
				sb.WriteByte('}')
				depth--
			}
		default:
			v := strings.Repeat("v", rng.IntN(12))
			if rng.IntN(5) == 0 {
				v = strings.Repeat("é", rng.IntN(40))
			}
			sb.WriteString(key() + "=" + v + ";")
		}
	}
	return sb.String()
}

func dumpConv5(r *Record) string {
	return dumpAttrs(r) + fmt.Sprintf("logger %q truncated %v dropped %d depth %d\n", r.Logger(), r.Truncated, r.DroppedAttrs, r.Depth())
}

// TestExpandInPlaceTrail: a breadcrumb whose fields are deferred reads,
// parsed in place when a trail is copied (Copy, Snapshot, TakeUnlogged), as
// parsed when logged, when it was filled in the storage of the record a
// full ring drops (AppendFilled), under limits that cut keys, values and
// records and drop attributes; and so does an event's record made a
// breadcrumb with its fields deferred (Relimit, AddTextBeforeFields).
func TestExpandInPlaceTrail(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	limits := []Limits{DefaultBreadcrumbLimits, {MaxAttrs: 4, MaxValueBytes: 9, MaxRecordBytes: 400},
		{MaxAttrs: 64, MaxValueBytes: 1024, MaxRecordBytes: 150}, {MaxAttrs: 64, MaxValueBytes: 5, MaxRecordBytes: 4096}}
	for _, lim := range limits {
		tr := NewTrail(3)
		var want []string
		for i := range 600 {
			raw := conv5Raw(rng)
			eager := Get(time.Unix(1, 0), LevelInfo, lim)
			eager.SetNames("zerolog", fmt.Sprint(i))
			parseTree(eager, []byte(raw))
			eager.CloseAll()
			want = append(want, dumpConv5(eager))
			Put(eager)
			b := []byte(raw)
			tr.AppendFilled(func(r *Record) {
				r.Reset(time.Unix(1, 0), LevelInfo, lim)
				r.SetNames("zerolog", fmt.Sprint(i))
				if !r.Defer(b, parseTree) {
					parseTree(r, b)
					r.CloseAll()
				}
			})
			clear(b) // the logger's buffer, reused
			if i%4 != 3 {
				continue
			}
			last := want[len(want)-tr.Len():]
			batch := tr.Copy()
			for j, r := range batch.Recs {
				if got := dumpConv5(r); got != last[j] {
					t.Fatalf("%v, record %d, copied: parsed when read\n%s\nparsed when logged\n%s", lim, i, got, last[j])
				}
			}
			batch.Release()
			recs := tr.Snapshot(nil)
			for j, r := range recs {
				if got := dumpConv5(r); got != last[j] {
					t.Fatalf("%v, record %d, snapshot: parsed when read\n%s\nparsed when logged\n%s", lim, i, got, last[j])
				}
			}
			PutAll(recs)
			recs = tr.TakeUnlogged(nil)
			for j, r := range recs {
				if got := dumpConv5(r); got != last[len(last)-len(recs)+j] {
					t.Fatalf("%v, record %d, unlogged: parsed when read\n%s\nparsed when logged\n%s", lim, i, got, last[len(last)-len(recs)+j])
				}
			}
			PutAll(recs)
		}
	}
}

// TestExpandInPlaceRelimited: an event's record, its fields deferred, made
// a breadcrumb as it stands (Relimit) with an attribute added before its
// fields (AddTextBeforeFields), reads parsed in place as the breadcrumb
// built with that attribute first and its fields parsed at once.
func TestExpandInPlaceRelimited(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	lim := Limits{MaxAttrs: 64, MaxValueBytes: 1024, MaxRecordBytes: 4096}
	taken := 0
	for i := range 3000 {
		raw := conv5Raw(rng)
		key := "sentry.event_id"[:1+rng.IntN(15)]
		rec := Get(time.Unix(1, 0), LevelError, DefaultEventLimits)
		rec.SetNames("zerolog", "failed")
		b := []byte(raw)
		if !rec.Defer(b, parseTree) {
			t.Fatal("not deferred")
		}
		clear(b)
		if !rec.Relimit(lim, len(key)+32, 1, key) {
			Put(rec)
			continue
		}
		taken++
		rec.AddTextBeforeFields(KindString, key, strings.Repeat("f", 32))
		rec.Expand()
		eager := Get(time.Unix(1, 0), LevelError, lim)
		eager.SetNames("zerolog", "failed")
		eager.AddText(KindString, key, strings.Repeat("f", 32))
		parseTree(eager, []byte(raw))
		eager.CloseAll()
		if got, want := dumpConv5(rec), dumpConv5(eager); got != want {
			t.Fatalf("record %d %q: parsed when read\n%s\nparsed when logged\n%s", i, raw, got, want)
		}
		Put(rec)
		Put(eager)
	}
	if taken < 100 {
		t.Fatalf("only %d records relimited", taken)
	}
}
