package zerologsentry

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestTimeLayoutChecked: on the Go this module is tested with, time.Time
// has the layout addMono relies on and it agrees with Add, so the record
// clock takes the fast path. If this fails, time.Time changed: addMono
// falls back to Add (correct, slower) until timeadd.go follows.
func TestTimeLayoutChecked(t *testing.T) {
	if !fastAdd {
		t.Fatal("time.Time's layout or Add's results are not what addMono assumes: it calls Add")
	}
}

// TestAddMonoIsAdd: addMono returns exactly what Add returns (same wall
// time, monotonic reading and location), for times with and without a
// monotonic reading, in time.Local and UTC, and durations of every sign and
// size, those that carry a nanosecond into the seconds, overflow the packed
// seconds or the monotonic reading included.
func TestAddMonoIsAdd(t *testing.T) {
	now := time.Now()
	bases := []time.Time{
		now, now.Add(-time.Duration(now.Nanosecond())), now.Add(999_999_999 - time.Duration(now.Nanosecond())),
		now.UTC(), now.Round(0), time.Unix(0, 0), time.Date(2157, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	ds := []time.Duration{0, 1, -1, time.Second - 1, time.Second, -time.Second, time.Hour, 100 * 365 * 24 * time.Hour,
		200 * 365 * 24 * time.Hour, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		ds = append(ds, time.Duration(rng.Int64N(int64(10*time.Second))), time.Duration(rng.Int64()), -time.Duration(rng.Int64N(int64(time.Second))))
	}
	for _, b := range bases {
		for _, d := range ds {
			want := b.Add(d)
			if got := addMono(b, d); got != want {
				t.Fatalf("addMono(%#v, %d) = %#v, want Add's %#v", b, d, got, want)
			}
			// The words, whether or not start-up's check let addMono use them.
			got, ok := addWords(b, d)
			if ok && got != want {
				t.Fatalf("addWords(%#v, %d) = %#v, want Add's %#v", b, d, got, want)
			}
			if !ok && hasMono(b) && d >= 0 && d <= 10*time.Second && b.Year() < 2100 {
				t.Fatalf("addWords(%#v, %d) declined the record clock's case", b, d)
			}
		}
	}
}
