package buffer

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

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
