package zerologsentry

import (
	"math"
	"testing"
	"time"
)

// TestWallSubAtTheEnds: at the ends of what a Time holds, where the
// difference of the two Unix seconds overflows an int64, wallSub answers
// as Sub does (whose own check wraps the same way: Unix(MaxInt64,
// 999999999) minus Unix(MinInt64, 0) is -1ns for both), or declines
// where Sub is beyond maxDrift. checkAt compares time.Now readings only.
func TestWallSubAtTheEnds(t *testing.T) {
	cases := [][2]time.Time{
		{time.Unix(math.MaxInt64, 999999999), time.Unix(math.MinInt64, 0)},
		{time.Unix(math.MinInt64, 0), time.Unix(math.MaxInt64, 999999999)},
		{time.Unix(math.MaxInt64-5, 0), time.Unix(math.MinInt64+1, 500)},
		{time.Unix(math.MinInt64+3, 7), time.Unix(math.MaxInt64-2, 0)},
	}
	for _, c := range cases {
		want := c[0].Round(0).Sub(c[1].Round(0))
		got, ok := wallSub(c[0], c[1])
		if ok && got != want || !ok && want <= maxDrift && want >= -maxDrift {
			t.Errorf("wallSub(%d, %d) = %v, %v; Sub %v", c[0].Unix(), c[1].Unix(), got, ok, want)
		}
	}
}
