package buffer

import (
	"context"
	"sync"
	"testing"
	"time"
)

func rec(msg string) *Record {
	r := Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
	r.SetMessage(msg)
	return r
}

func messages(t *Trail) []string {
	recs := t.Snapshot(nil)
	defer PutAll(recs)
	var out []string
	for _, r := range recs {
		out = append(out, r.Message())
	}
	return out
}

func TestTrailOrderAndDrops(t *testing.T) {
	tr := NewTrail(3)
	for _, m := range []string{"a", "b", "c", "d", "e"} {
		tr.Append(rec(m))
	}
	if got := messages(tr); len(got) != 3 || got[0] != "c" || got[2] != "e" {
		t.Errorf("snapshot = %v, want [c d e]", got)
	}
	if tr.Len() != 3 || tr.Dropped() != 2 || tr.Cap() != 3 {
		t.Errorf("len %d dropped %d cap %d", tr.Len(), tr.Dropped(), tr.Cap())
	}
	if NewTrail(0).Cap() != DefaultCapacity || DefaultCapacity != 100 {
		t.Error("the default capacity is not sentry's MaxBreadcrumbs default, 100")
	}
}

// TestSnapshotIsACopy: records in a snapshot do not change when the trail
// moves on and recycles its records.
func TestSnapshotIsACopy(t *testing.T) {
	tr := NewTrail(1)
	tr.Append(rec("first"))
	snap := tr.Snapshot(nil)
	tr.Append(rec("second")) // recycles "first" into the pool
	_ = Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
	if snap[0].Message() != "first" {
		t.Errorf("snapshot record became %q", snap[0].Message())
	}
}

func TestContexts(t *testing.T) {
	//lint:ignore SA1012 a nil context is what is tested
	if FromContext(context.Background()) != nil || FromContext(nil) != nil {
		t.Error("a context without a trail has one")
	}
	tr := NewTrail(5)
	ctx := NewContext(context.Background(), tr)
	if FromContext(ctx) != tr || For(ctx) != tr || For(context.Background()) != Fallback() {
		t.Error("For does not find the context's trail, or the fallback")
	}
	//lint:ignore SA1012 a nil context is what is tested: it stands for Background
	if NewContext(nil, tr) == nil {
		t.Error("a nil parent gave no context")
	}
}

// TestConcurrentAppend: many goroutines append at once while snapshots are
// taken; nothing is lost beyond the capacity and each goroutine's records
// stay in order.
func TestConcurrentAppend(t *testing.T) {
	const goroutines, each = 8, 500
	tr := NewTrail(goroutines * each)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
				r.AddScalar(KindInt64, "g", uint64(g))
				r.AddScalar(KindInt64, "i", uint64(i))
				tr.Append(r)
				if i%100 == 0 {
					PutAll(tr.Snapshot(nil))
				}
			}
		}()
	}
	wg.Wait()
	recs := tr.Snapshot(nil)
	defer PutAll(recs)
	if len(recs) != goroutines*each || tr.Dropped() != 0 {
		t.Fatalf("%d records, %d dropped", len(recs), tr.Dropped())
	}
	next := map[int64]int64{}
	for _, r := range recs {
		g, i := int64(r.Attr(0).Num()), int64(r.Attr(1).Num())
		if i != next[g] {
			t.Fatalf("goroutine %d: record %d after %d", g, i, next[g]-1)
		}
		next[g]++
	}
}
