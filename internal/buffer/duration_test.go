package buffer

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestAppendDurationIsString: appendDuration writes what time.Duration's
// String does, at each unit's bounds, for every digit count of whole and
// fraction, and for random durations of every magnitude.
func TestAppendDurationIsString(t *testing.T) {
	ds := []int64{0, 1, -1, 999, 1000, 1001, 999999, 1e6, 1e6 + 1, 1e9 - 1, 1e9, 1e9 + 1,
		59e9, 60e9, 61e9, 3599e9, 3600e9, 3600e9 + 3, 3 * time.Millisecond.Nanoseconds(), 1500,
		1005000, 10050000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for p := int64(1); p < 1e18; p *= 10 {
		for _, m := range []int64{1, 2, 9, 11, 99, 101} {
			ds = append(ds, p*m, p*m-1, p*m+1, p*m+p/2)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		ds = append(ds, r.Int64()>>r.IntN(64))
	}
	var buf []byte
	for _, d := range ds {
		for _, d := range []int64{d, -d} {
			buf = appendDuration(buf[:0], d)
			if got, want := string(buf), time.Duration(d).String(); got != want {
				t.Errorf("appendDuration(%d) = %q, want %q", d, got, want)
			}
		}
	}
	if got := string(appendDuration([]byte("x="), 1500)); got != "x=1.5µs" {
		t.Errorf("appended to x=: %q", got)
	}
}
