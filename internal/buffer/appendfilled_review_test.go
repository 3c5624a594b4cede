package buffer

import (
	"slices"
	"testing"
	"time"
)

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
