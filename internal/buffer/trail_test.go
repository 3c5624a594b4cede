package buffer

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/stats"
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

// TestConcurrentAppendBeyondCapacity: goroutines append far more than the
// capacity while others take snapshots. The trail ends full, counts every
// other record as dropped, keeps of each goroutine a run of its newest
// records, and every snapshot shows each goroutine's records in order.
func TestConcurrentAppendBeyondCapacity(t *testing.T) {
	const goroutines, each, capacity = 8, 400, 50
	tr := NewTrail(capacity)
	inOrder := func(recs []*Record) bool {
		last := map[uint64]uint64{}
		for _, r := range recs {
			g, i := r.Attr(0).Num(), r.Attr(1).Num()
			if prev, ok := last[g]; ok && i <= prev {
				return false
			}
			last[g] = i
		}
		return true
	}
	var writers, readers sync.WaitGroup
	stop := make(chan struct{})
	var badSnapshots atomic.Int64
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				recs := tr.Snapshot(nil)
				if len(recs) > capacity || !inOrder(recs) {
					badSnapshots.Add(1)
				}
				PutAll(recs)
			}
		}()
	}
	for g := range goroutines {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := range each {
				r := Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
				r.AddScalar(KindUint64, "g", uint64(g))
				r.AddScalar(KindUint64, "i", uint64(i))
				tr.Append(r)
			}
		}()
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	if n := badSnapshots.Load(); n > 0 {
		t.Errorf("%d snapshots too long or out of order", n)
	}
	recs := tr.Snapshot(nil)
	defer PutAll(recs)
	if len(recs) != capacity || tr.Len() != capacity || tr.Dropped() != goroutines*each-capacity {
		t.Fatalf("%d records, len %d, %d dropped; want %d and %d dropped", len(recs), tr.Len(), tr.Dropped(), capacity, goroutines*each-capacity)
	}
	kept := map[uint64][]uint64{}
	for _, r := range recs {
		g := r.Attr(0).Num()
		kept[g] = append(kept[g], r.Attr(1).Num())
	}
	for g, is := range kept {
		for j, i := range is { // a goroutine's kept records are its last ones
			if want := uint64(each - len(is) + j); i != want {
				t.Fatalf("goroutine %d kept %v, not its newest %d", g, is, len(is))
			}
		}
	}
}

func TestRingWrapsManyTimes(t *testing.T) {
	tr := NewTrail(3)
	var want []string
	for i := range 20 {
		m := fmt.Sprint(i)
		tr.Append(rec(m))
		want = append(want, m)
		if len(want) > 3 {
			want = want[1:]
		}
		if got := messages(tr); !slices.Equal(got, want) {
			t.Fatalf("after %d appends: %v, want %v", i+1, got, want)
		}
		if tr.Len() != len(want) || tr.Dropped() != uint64(i+1-len(want)) {
			t.Fatalf("after %d appends: len %d dropped %d", i+1, tr.Len(), tr.Dropped())
		}
	}
}

func TestSnapshotAppendsToDst(t *testing.T) {
	tr := NewTrail(2)
	tr.Append(rec("a"))
	tr.Append(rec("b"))
	keep := rec("mine")
	recs := tr.Snapshot([]*Record{keep})
	if len(recs) != 3 || recs[0] != keep || recs[1].Message() != "a" || recs[2].Message() != "b" {
		t.Errorf("snapshot = %v", recs)
	}
	if got := NewTrail(5).Snapshot(nil); got != nil {
		t.Errorf("an empty trail's snapshot = %v", got)
	}
	if NewTrail(-3).Cap() != DefaultCapacity {
		t.Error("a negative capacity is not the default")
	}
}

func TestFallback(t *testing.T) {
	fb := Fallback()
	if fb == nil || Fallback() != fb || fb.Cap() != DefaultCapacity {
		t.Fatalf("fallback %p (again %p), cap %d", fb, Fallback(), fb.Cap())
	}
	own := NewTrail(0)
	ctx := NewContext(context.Background(), own)
	if For(ctx) == fb || FromContext(ctx) == fb {
		t.Error("a context's trail is the fallback")
	}
	//lint:ignore SA1012 a nil context is what is tested
	if For(nil) != fb {
		t.Error("a nil context's trail is not the fallback")
	}
	type otherKey struct{}
	inner := context.WithValue(ctx, otherKey{}, "x")
	if For(inner) != own {
		t.Error("a trail is not found through a derived context")
	}
	second := NewTrail(1)
	if For(NewContext(inner, second)) != second || For(inner) != own {
		t.Error("a nested trail does not shadow the outer one, or changes it")
	}
	if FromContext(NewContext(ctx, nil)) != nil || For(NewContext(ctx, nil)) != fb {
		t.Error("a context given a nil trail does not fall back")
	}
	before := fb.Len()
	own.Append(rec("own"))
	if fb.Len() != before {
		t.Error("appending to a context's trail changed the fallback")
	}
}

func TestRelease(t *testing.T) {
	tr := NewTrail(3)
	for _, m := range []string{"a", "b", "c", "d"} {
		tr.Append(rec(m))
	}
	tr.Release()
	if tr.Len() != 0 || messages(tr) != nil || tr.Cap() != 3 {
		t.Fatalf("after Release: len %d, %v, cap %d", tr.Len(), messages(tr), tr.Cap())
	}
	for _, m := range []string{"e", "f", "g", "h"} {
		tr.Append(rec(m))
	}
	if got := messages(tr); !slices.Equal(got, []string{"f", "g", "h"}) || tr.Dropped() != 2 {
		t.Errorf("after Release and 4 appends: %v, %d dropped", got, tr.Dropped())
	}
	big := NewTrail(2 * DefaultCapacity)
	for i := range 2 * DefaultCapacity {
		big.Append(rec(fmt.Sprint(i)))
	}
	big.Release()
	if big.Len() != 0 {
		t.Errorf("a trail larger than the default kept %d records", big.Len())
	}
}

func TestNewChild(t *testing.T) {
	parent := NewTrail(3)
	for _, m := range []string{"a", "b", "c", "d"} {
		parent.Append(rec(m))
	}
	child := parent.NewChild()
	if child.Cap() != 3 || child.Dropped() != 0 || !slices.Equal(messages(child), []string{"b", "c", "d"}) {
		t.Fatalf("child: cap %d, dropped %d, %v", child.Cap(), child.Dropped(), messages(child))
	}
	child.Append(rec("child"))
	parent.Append(rec("parent"))
	if !slices.Equal(messages(child), []string{"c", "d", "child"}) || !slices.Equal(messages(parent), []string{"c", "d", "parent"}) {
		t.Errorf("child %v, parent %v: they share records", messages(child), messages(parent))
	}
	parent.Release()
	if child.Len() != 3 {
		t.Errorf("releasing the parent emptied the child")
	}
}

// TestAppendEvent: AppendEvent keeps the record and notes the event as
// NoteEvent does: not an empty ID, nothing on the fallback trail.
func TestAppendEvent(t *testing.T) {
	tr := NewTrail(2)
	tr.AppendEvent(Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits), "a")
	tr.AppendEvent(Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits), "")
	if got := tr.LastEvent(); got != "a" || tr.Len() != 2 {
		t.Errorf("LastEvent %q, Len %d; want a, 2", got, tr.Len())
	}
	before := fallback.LastEvent()
	fallback.AppendEvent(Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits), "b")
	if got := fallback.LastEvent(); got != before {
		t.Errorf("the fallback trail noted %q", got)
	}
}

// TestTrailContextValue: a context made by NewContextWithTrail answers
// ContextKey with its own trail, and every other key, a key of another
// empty struct type included, as its parent does.
func TestTrailContextValue(t *testing.T) {
	type otherKey struct{}
	type namedKey struct{ name string }
	parent := context.WithValue(context.WithValue(context.Background(), otherKey{}, "parent's"), namedKey{"k"}, "v")
	ctx := NewContextWithTrail(parent)
	tr := FromContext(ctx)
	if tr == nil || ctx.Value(ContextKey{}) != any(tr) || For(ctx) != tr {
		t.Fatalf("trail %p, Value %v", tr, ctx.Value(ContextKey{}))
	}
	if got := ctx.Value(otherKey{}); got != "parent's" {
		t.Errorf("Value(otherKey{}) = %v, want the parent's", got)
	}
	if got := ctx.Value(namedKey{"k"}); got != "v" {
		t.Errorf(`Value(namedKey{"k"}) = %v, want "v"`, got)
	}
	if FromContext(parent) != nil {
		t.Error("the parent carries a trail")
	}
}

// TestCopyMatchesSnapshot: a Batch from Trail.Copy holds what Snapshot's
// copies hold (deferred fields parsed, the trail's own records left
// deferred), also when its records are reused by later copies of trails
// longer, shorter and with larger records, and a record grown past what
// the pool keeps is let go on Release.
func TestCopyMatchesSnapshot(t *testing.T) {
	fill := func(n, size int) *Trail {
		tr := NewTrail(n)
		for i := range n + 3 { // wrapped around
			r := Get(time.Unix(int64(i), 0), LevelInfo, Limits{MaxAttrs: 64, MaxValueBytes: 64 << 10, MaxRecordBytes: 64 << 10})
			r.SetMessage(fmt.Sprint("m", i))
			r.AddScalar(KindInt64, "i", uint64(i))
			r.AddText(KindString, "s", strings.Repeat("x", size))
			if i%2 == 0 && !r.Defer([]byte(fmt.Sprint("a=", i, ",b=2")), parsePairs) {
				t.Fatal("not deferred")
			}
			tr.Append(r)
		}
		return tr
	}
	var kept []*Record
	for round, tc := range []struct{ n, size int }{{5, 10}, {3, 10}, {8, 20 << 10}, {8, 10}, {2, 1}} {
		tr := fill(tc.n, tc.size)
		snap := tr.Snapshot(nil)
		b := tr.Copy()
		if len(b.Recs) != len(snap) {
			t.Fatalf("round %d: %d records, want %d", round, len(b.Recs), len(snap))
		}
		for i, r := range b.Recs {
			if r.Deferred() || !reflect.DeepEqual(r.Breadcrumb(), snap[i].Breadcrumb()) {
				t.Fatalf("round %d, record %d:\n%+v\nwant\n%+v", round, i, r.Breadcrumb(), snap[i].Breadcrumb())
			}
		}
		if !tr.recs[tr.head].Deferred() && !tr.recs[(tr.head+1)%len(tr.recs)].Deferred() {
			t.Fatalf("round %d: the trail's own records were parsed", round)
		}
		PutAll(snap)
		kept = append(kept[:0], b.all...)
		b.Release()
		if tc.size > maxPooledBytes {
			for i, r := range b.all[:tc.n] {
				if r == kept[i] {
					t.Fatalf("round %d: record %d of %d bytes kept", round, i, cap(r.data))
				}
			}
		}
	}
}

// TestAppendFilled: a record filled in the trail keeps the ring's order,
// drops and counts as Append's do, and once the ring is full it is filled
// in the storage of the record it drops, with nothing left of that
// record's fields.
func TestAppendFilled(t *testing.T) {
	filled := func(msg string) func(r *Record) {
		return func(r *Record) {
			r.Reset(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
			r.SetMessage(msg)
		}
	}
	tr := NewTrail(3)
	tr.Append(rec("a"))
	tr.AppendFilled(filled("b"))
	old := rec("c")
	old.AddText(KindString, "k", "v")
	old.Logged = true
	tr.Append(old)
	tr.AppendFilled(filled("d")) // drops a
	tr.AppendFilled(filled("e")) // drops b
	tr.AppendFilled(filled("f")) // drops c, in c's storage
	if got := messages(tr); !slices.Equal(got, []string{"d", "e", "f"}) {
		t.Errorf("snapshot = %v, want [d e f]", got)
	}
	if tr.Len() != 3 || tr.Dropped() != 3 {
		t.Errorf("len %d dropped %d, want 3 and 3", tr.Len(), tr.Dropped())
	}
	newest := tr.recs[(tr.head+2)%3]
	if newest != old {
		t.Errorf("the newest record is not the one it dropped")
	}
	if newest.Len() != 0 || newest.Logged || newest.Message() != "f" {
		t.Errorf("filled in place: %d attributes, logged %v, message %q; want none, false, f",
			newest.Len(), newest.Logged, newest.Message())
	}
}

// TestAppendFilledCountsAsAppend: AppendFilled, which moves a full ring
// on by hand, keeps the same records, in the same order, and counts the
// same appends and drops, for the trail and for the process (reported by
// batches), as Append does, through many turns of the ring.
func TestAppendFilledCountsAsAppend(t *testing.T) {
	run := func(add func(tr *Trail, msg string)) (msgs []string, dropped, kept, droppedAll uint64) {
		k0, d0 := stats.BreadcrumbsKept.Load(), stats.BreadcrumbsDropped.Load()
		tr := NewTrail(5)
		for i := range 3*reportEvery + 7 {
			add(tr, fmt.Sprint(i))
		}
		return messages(tr), tr.Dropped(), stats.BreadcrumbsKept.Load() - k0, stats.BreadcrumbsDropped.Load() - d0
	}
	m1, d1, k1, a1 := run(func(tr *Trail, msg string) { tr.Append(rec(msg)) })
	m2, d2, k2, a2 := run(func(tr *Trail, msg string) {
		tr.AppendFilled(func(r *Record) {
			r.Reset(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
			r.SetMessage(msg)
		})
	})
	if !slices.Equal(m1, m2) || d1 != d2 || k1 != k2 || a1 != a2 {
		t.Errorf("Append: %v, dropped %d, process kept %d dropped %d\nAppendFilled: %v, dropped %d, process kept %d dropped %d",
			m1, d1, k1, a1, m2, d2, k2, a2)
	}
	if k1 == 0 || a1 == 0 {
		t.Errorf("the process counters moved by %d and %d: the test reports nothing", k1, a1)
	}
}

// TestAppendFilledPanicUnlocks: a fill that panics leaves the trail usable
// (its lock released), as the loggers' hooks recover the panic and go on
// logging to the same trail.
func TestAppendFilledPanicUnlocks(t *testing.T) {
	tr := NewTrail(2)
	func() {
		defer func() { _ = recover() }()
		tr.AppendFilled(func(*Record) { panic("fill") })
	}()
	done := make(chan struct{})
	go func() {
		tr.Append(rec("after"))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Append blocked after a fill panicked: the trail stayed locked")
	}
}

// TestAppendFilledPanicKeepsRecords: a fill that panics on a full ring
// has already begun to overwrite the oldest record, in place: that record
// must not stay in the ring half-written (a breadcrumb of the new time and
// level with the old or no message, first in every later event's trail).
// The trail keeps the records it held but that one, whole.
func TestAppendFilledPanicKeepsRecords(t *testing.T) {
	tr := NewTrail(2)
	tr.Append(rec("a"))
	tr.Append(rec("b"))
	func() {
		defer func() { _ = recover() }()
		tr.AppendFilled(func(r *Record) {
			r.Reset(time.Now(), LevelError, DefaultBreadcrumbLimits)
			panic("fill")
		})
	}()
	if got := messages(tr); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after a fill panicked: %q, want [b] (a was dropped for the fill)", got)
	}
	tr.AppendFilled(func(r *Record) {
		r.Reset(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
		r.SetMessage("c")
	})
	tr.Append(rec("d"))
	if got := messages(tr); !slices.Equal(got, []string{"c", "d"}) {
		t.Errorf("then: %q, want [c d]", got)
	}
}

// TestAppendFilledPanicInNonFullRing: a fill that panics on a ring that is
// not full wrote into a record of the pool, not into one of the ring's: the
// ring keeps every record it held, drops none, and goes on as before. The
// full ring's case is TestAppendFilledPanicKeepsRecords. Fails with
// AppendFilled's deferred dropOldest run whatever the ring's state (the
// oldest record lost, and an empty ring's count made -1).
func TestAppendFilledPanicInNonFullRing(t *testing.T) {
	panicking := func(tr *Trail) {
		defer func() { _ = recover() }()
		tr.AppendFilled(func(r *Record) {
			r.Reset(time.Now(), LevelError, DefaultBreadcrumbLimits)
			panic("fill")
		})
	}
	filled := func(tr *Trail, msg string) {
		tr.AppendFilled(func(r *Record) {
			r.Reset(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
			r.SetMessage(msg)
		})
	}
	for _, held := range [][]string{nil, {"a"}, {"a", "b"}} {
		tr := NewTrail(3)
		for _, m := range held {
			tr.Append(rec(m))
		}
		panicking(tr)
		if got := messages(tr); !slices.Equal(got, held) || tr.Dropped() != 0 {
			t.Fatalf("held %q: after a fill panicked: %q, %d dropped; want %q, none dropped", held, got, tr.Dropped(), held)
		}
		filled(tr, "c")
		tr.Append(rec("d"))
		filled(tr, "e")
		want := append(slices.Clone(held), "c", "d", "e")
		dropped := uint64(max(len(want)-3, 0))
		want = want[len(want)-min(len(want), 3):]
		if got := messages(tr); !slices.Equal(got, want) || tr.Dropped() != dropped {
			t.Errorf("held %q: then %q, %d dropped; want %q, %d dropped", held, got, tr.Dropped(), want, dropped)
		}
	}
}

// TestTakeUnloggedOnceAcrossChildren: a record that child trails copied
// (NewChild, and a child's child) is taken for Sentry Logs once in all,
// whichever trails take it and in whatever order, concurrently too; a
// record of one trail alone is taken by it; a record sent before the copy
// (Logged) is taken by none.
func TestTakeUnloggedOnceAcrossChildren(t *testing.T) {
	add := func(tr *Trail, msg string, logged bool) {
		r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetNames("", msg)
		r.Logged = logged
		tr.Append(r)
	}
	for round := range 200 {
		p := NewTrail(8)
		add(p, "sent", true)
		for i := range 4 {
			add(p, fmt.Sprint("p", i), false)
		}
		c := p.NewChild()
		add(c, "c", false)
		add(p, "p-after", false)
		g := c.NewChild()
		add(g, "g", false)

		var mu sync.Mutex
		taken := map[string]int{}
		var wg sync.WaitGroup
		trails := []*Trail{p, c, g}
		for i := range trails {
			tr := trails[(i+round)%len(trails)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				recs := tr.TakeUnlogged(nil)
				mu.Lock()
				for _, r := range recs {
					taken[r.Message()]++
				}
				mu.Unlock()
				PutAll(recs)
			}()
		}
		wg.Wait()
		want := map[string]int{"p0": 1, "p1": 1, "p2": 1, "p3": 1, "c": 1, "p-after": 1, "g": 1}
		if fmt.Sprint(taken) != fmt.Sprint(want) {
			t.Fatalf("round %d: taken %v, want %v", round, taken, want)
		}
		// Once taken, never again: a later event of any unit sends nothing
		// of these.
		for _, tr := range trails {
			if recs := tr.TakeUnlogged(nil); len(recs) != 0 {
				t.Fatalf("round %d: taken again: %d records", round, len(recs))
			}
		}
		for _, tr := range trails {
			tr.Release()
		}
	}
}

// TestNewChildMarkNotReused: a record's shared mark does not outlive it in
// the pool: a record taken from the pool after one with a mark starts
// without one, so a new record is not taken as sent.
func TestNewChildMarkNotReused(t *testing.T) {
	p := NewTrail(2)
	for i := range 2 {
		r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetNames("", fmt.Sprint("old", i))
		p.Append(r)
	}
	c := p.NewChild()
	PutAll(c.TakeUnlogged(nil)) // the shared marks now say sent
	for i := range 2 {          // the old records leave p's ring, to the pool or filled in place
		p.AppendFilled(func(r *Record) {
			r.Reset(time.Unix(2, 0), LevelInfo, DefaultBreadcrumbLimits)
			r.SetNames("", fmt.Sprint("new", i))
		})
	}
	r := Get(time.Unix(3, 0), LevelInfo, DefaultBreadcrumbLimits)
	r.SetNames("", "newest")
	p.Append(r)
	var got []string
	for _, r := range p.TakeUnlogged(nil) {
		got = append(got, r.Message())
	}
	if fmt.Sprint(got) != "[new1 newest]" {
		t.Errorf("taken %v, want [new1 newest]", got)
	}
}

type otherKey struct{}

// TestFromContextAsValue: FromContext answers a context of
// NewContextWithTrail without calling its Value; the answer is the one
// Value gives, for that context and for those made from it or around it.
func TestFromContextAsValue(t *testing.T) {
	own := NewContextWithTrail(context.Background())
	other := NewTrail(3)
	cases := map[string]context.Context{
		"trail context":             own,
		"value over it":             context.WithValue(own, otherKey{}, 1),
		"another trail over it":     NewContext(own, other),
		"it over another trail":     NewContextWithTrail(NewContext(context.Background(), other)),
		"canceled over it":          func() context.Context { c, cancel := context.WithCancel(own); cancel(); return c }(),
		"background, with no trail": context.Background(),
	}
	for name, ctx := range cases {
		want, _ := ctx.Value(ContextKey{}).(*Trail)
		if got := FromContext(ctx); got != want {
			t.Errorf("%s: FromContext = %p, Value = %p", name, got, want)
		}
		if want == nil {
			want = Fallback()
		}
		if got := For(ctx); got != want {
			t.Errorf("%s: For = %p, want %p", name, got, want)
		}
	}
	if got, want := FromContext(own), &own.(*trailContext).trail.Trail; got != want {
		t.Errorf("FromContext of a trail context = %p, want its own trail %p", got, want)
	}
	//lint:ignore SA1012 a nil context is what is tested: it carries no trail
	if FromContext(nil) != nil {
		t.Error("FromContext(nil) is not nil")
	}
}
