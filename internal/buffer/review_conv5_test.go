package buffer

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unsafe"
)

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
