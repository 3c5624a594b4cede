package zerologsentry

import (
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestReviewZLWSameNamesEachPrefix: sameNames tells each of zerolog's four
// names from a name that starts at the same bytes but is shorter (its
// pointer alike, its length not), and takes a copy of each as the same.
func TestReviewZLWSameNamesEachPrefix(t *testing.T) {
	vars := []*string{&zerolog.ErrorFieldName, &zerolog.LevelFieldName, &zerolog.TimestampFieldName, &zerolog.ErrorStackFieldName}
	saved := fieldNames()
	defer func() {
		for i, v := range vars {
			*v = saved[i]
		}
	}()
	var m scanMemo
	m.names = fieldNames()
	for i, v := range vars {
		if len(saved[i]) < 2 {
			t.Fatalf("name %d, %q: too short to cut", i, saved[i])
		}
		*v = saved[i][:len(saved[i])-1]
		if m.sameNames() {
			t.Errorf("name %d cut to %q: sameNames, want another name", i, *v)
		}
		*v = string([]byte(saved[i]))
		if !m.sameNames() {
			t.Errorf("name %d copied: not sameNames", i)
		}
		*v = saved[i]
	}
}

// TestReviewZLWClockBaseAfterLocation: the base a check stores when it
// finds the base in another location than time.Now's has its wall time's
// seconds and nanoseconds (newBase), so that the next check, with no step,
// keeps it rather than finding a step in a base read as 1970.
func TestReviewZLWClockBaseAfterLocation(t *testing.T) {
	var c clock
	now := time.Now()
	c.base.Store(newBase(now.In(time.FixedZone("elsewhere", 3600)), now.Sub(monoAnchor)))
	first := now.Add(10 * time.Millisecond)
	got, d := c.checkAt(first)
	got = got.Add(d)
	b := c.base.Load()
	if got.Location() != first.Location() || !got.Equal(first) {
		t.Fatalf("check = %v, want %v", got, first)
	}
	if b.sec != b.t.Unix() || b.nsec != b.t.Nanosecond() {
		t.Fatalf("base %v holds %d s %d ns, want %d s %d ns", b.t, b.sec, b.nsec, b.t.Unix(), b.t.Nanosecond())
	}
	c.checkAt(first.Add(checkEvery))
	if c.base.Load() != b {
		t.Errorf("a check without a step replaced the base")
	}
}
