package zerologsentry

import (
	"math"
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

// wallSub returns t's wall time minus u's, and true, when the two are less
// than 2^32 seconds apart; else false (a step, whatever its sign): checkAt's
// drift was wallSub(t, b.t.Add(at - b.at)) before clockBase.drift, which
// the tests hold to it. It is
// t.Round(0).Sub(u.Round(0)) for the difference checkAt compares: Sub
// computes the same seconds and nanoseconds, then proves it did not
// overflow by adding the difference back (a Time.Add and a Time.Equal),
// which with the two Rounds was about 150 instructions of each event
// record (cachegrind, ZerologRepeat/hook).
func wallSub(t, u time.Time) (time.Duration, bool) {
	sec := t.Unix() - u.Unix()
	if sec >= 1<<32 || sec <= -1<<32 {
		return 0, false
	}
	return time.Duration(sec)*time.Second + time.Duration(t.Nanosecond()-u.Nanosecond()), true
}

// TestDriftAgreesWithWallSub: a base's drift decides a step as
// wallSub(t, b.t.Add(at - b.at)) did (ok, and within maxDrift), and gives
// its difference when that is within maxDrift: for bases read by time.Now
// at any time it can read (1970 to 2157, with or without a location),
// readings t nanoseconds to centuries from the predicted time, at the ends
// of what a Time holds, and elapsed times from none to 2^31 seconds.
func TestDriftAgreesWithWallSub(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 6))
	now := time.Now()
	spans := []int64{1, 999, int64(maxDrift) - 1, int64(maxDrift), int64(maxDrift) + 1, int64(time.Second),
		1<<32*int64(time.Second) - 1, 1<<32*int64(time.Second) + 1, 1 << 62, 1<<63 - 1}
	bases := []time.Time{now, now.Round(0), now.In(time.FixedZone("x", 3600)), time.Unix(0, 0), time.Unix(0, 999999999),
		time.Unix(1<<32, 999999999), time.Unix(1<<32*6/4, 5)} // 1970 to 2174
	ends := []time.Time{time.Unix(math.MaxInt64, 999999999), time.Unix(math.MinInt64, 0), {}}
	span := func() time.Duration {
		return time.Duration(r.Int64N(spans[r.IntN(len(spans))]) - r.Int64N(spans[r.IntN(len(spans))]))
	}
	for range 400000 {
		base := bases[r.IntN(len(bases))].Add(span() / time.Duration(1+r.IntN(1<<20)))
		b := newBase(base, time.Duration(r.Int64N(1<<62)))
		elapsed := time.Duration(r.Int64N(1<<31*int64(time.Second) + 1))
		if r.IntN(4) == 0 {
			elapsed = time.Duration(r.Int64N(int64(time.Hour)))
		}
		at := b.at + elapsed
		predicted := b.t.Add(elapsed)
		var tm time.Time
		switch r.IntN(4) {
		case 0:
			tm = predicted.Add(time.Duration(r.Int64N(3*int64(maxDrift))) - 3*maxDrift/2)
		case 1:
			tm = predicted.Add(span())
		case 2:
			tm = ends[r.IntN(len(ends))]
		default:
			tm = time.Unix(predicted.Unix()+int64(r.IntN(1<<34))-1<<33, int64(r.IntN(1e9)))
		}
		if r.IntN(2) == 0 {
			tm = tm.In(time.FixedZone("y", -7200))
		}
		want, wok := wallSub(tm, predicted)
		got, ok := b.drift(tm, at)
		wstep := !wok || want > maxDrift || want < -maxDrift
		step := !ok || got > maxDrift || got < -maxDrift
		if step != wstep || !step && got != want {
			t.Fatalf("base %v, elapsed %v, t %v: drift %v, %v; wallSub %v, %v", b.t, elapsed, tm, got, ok, want, wok)
		}
	}
}
