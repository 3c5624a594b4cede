package zerologsentry

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestWallSubAgreesWithSub: wallSub is t.Round(0).Sub(u.Round(0)) wherever
// it answers, and where it does not, that difference is beyond maxDrift,
// as checkAt decides it: for times with and without monotonic readings, in
// other locations, nanoseconds apart to centuries apart, and at the ends
// of what a Time holds.
func TestWallSubAgreesWithSub(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 5))
	now := time.Now() // with a monotonic reading
	spans := []int64{1, 999, int64(maxDrift) - 1, int64(maxDrift), int64(maxDrift) + 1, int64(time.Second),
		1<<32*int64(time.Second) - 1, 1 << 62, 1<<63 - 1}
	bases := []time.Time{now, now.Round(0), now.In(time.FixedZone("x", 3600)), time.Unix(1<<32, 999999999),
		time.Unix(-1<<40, 0), time.Unix(1<<33-1, 1), time.Unix(1<<62, 0), time.Unix(-1<<62, 0), {}}
	for range 200000 {
		a := bases[r.IntN(len(bases))]
		var b time.Time
		switch r.IntN(4) {
		case 0:
			b = a.Add(time.Duration(r.Int64N(spans[r.IntN(len(spans))]) - r.Int64N(spans[r.IntN(len(spans))])))
		case 1:
			b = a.Add(time.Duration(r.Int64N(1<<62)) * time.Duration(1+r.IntN(1000)))
		case 2:
			b = bases[r.IntN(len(bases))].Add(time.Duration(r.Int64()))
		default:
			b = time.Unix(a.Unix()+int64(r.IntN(1<<34))-1<<33, int64(r.IntN(1e9)))
		}
		want := a.Round(0).Sub(b.Round(0))
		got, ok := wallSub(a, b)
		if ok && got != want {
			t.Fatalf("wallSub(%v, %v) = %v, Sub %v", a, b, got, want)
		}
		if !ok && want <= maxDrift && want >= -maxDrift {
			t.Fatalf("wallSub(%v, %v) declined, Sub %v", a, b, want)
		}
	}
}
