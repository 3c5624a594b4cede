package zerologsentry

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestClockIsTimeNow: the record clock returns what time.Now returns
// around it, on the monotonic clock and on the wall clock (up to
// maxDrift), in time.Local, with a monotonic reading, whether it adds
// elapsed time to its base or checks the wall clock (every 7th call here).
func TestClockIsTimeNow(t *testing.T) {
	var c clock
	for i := range 10000 {
		if i%7 == 0 {
			c.due.Store(0) // check the wall clock now
		}
		before := time.Now()
		got := c.now()
		after := time.Now()
		if got.Before(before) || got.After(after) {
			t.Fatalf("call %d: %v, not between %v and %v (monotonic)", i, got, before, after)
		}
		if w := got.Round(0); w.Before(before.Round(0).Add(-maxDrift)) || w.After(after.Round(0).Add(maxDrift)) {
			t.Fatalf("call %d: wall %v, not between %v and %v", i, w, before.Round(0), after.Round(0))
		}
		if got.Location() != time.Local || !hasMono(got) {
			t.Fatalf("call %d: %#v: want time.Local and a monotonic reading, as time.Now's", i, got)
		}
	}
}

// TestClockOrdered: successive times from one goroutine never go back,
// checks of the wall clock included.
func TestClockOrdered(t *testing.T) {
	var c clock
	prev := c.now()
	for i := range 100000 {
		if i%10 == 0 {
			c.due.Store(0)
		}
		got := c.now()
		if got.Round(0).Before(prev.Round(0)) || got.Before(prev) {
			t.Fatalf("call %d: %v before the previous %v", i, got, prev)
		}
		prev = got
	}
}

// TestClockFollowsStep: when the wall clock moved apart from the monotonic
// one (here: the base says an hour earlier than time.Now, as after the
// wall clock was set forward an hour), the clock gives the base's time
// until its next check, and time.Now's from then on, within checkEvery.
func TestClockFollowsStep(t *testing.T) {
	var c clock
	c.now()
	real := time.Now()
	c.base.Store(newBase(real.Add(-time.Hour), real.Sub(monoAnchor)))
	if got := c.now().Round(0); got.After(time.Now().Round(0).Add(-time.Hour + time.Minute)) {
		t.Fatalf("right after the base was set: %v, want about an hour before %v", got, time.Now())
	}
	time.Sleep(checkEvery + 10*time.Millisecond)
	before := time.Now()
	got := c.now()
	if w := got.Round(0); w.Before(before.Round(0).Add(-maxDrift)) || w.After(time.Now().Round(0).Add(maxDrift)) {
		t.Fatalf("a check later: %v, want time.Now's (%v)", got, before)
	}
}

// TestClockAllocatesNothing: neither adding elapsed time nor checking the
// wall clock allocates while the wall clock keeps pace (a base is
// allocated only at a step).
func TestClockAllocatesNothing(t *testing.T) {
	var c clock
	c.now()
	i := 0
	if n := testing.AllocsPerRun(1000, func() {
		if i++; i%2 == 0 {
			c.due.Store(0)
		}
		c.now()
	}); n != 0 {
		t.Fatalf("%v allocations a call, want 0", n)
	}
}

// TestClockInSynctestBubble: inside a testing/synctest bubble, time.Now
// is the bubble's fake time, which breadcrumbs kept time.Now's before: so
// does the clock (a base read outside the bubble must not leak in).
func TestClockInSynctestBubble(t *testing.T) {
	recordClock.now() // a base read outside any bubble
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Hour)
		want := time.Now()
		if got := recordClock.now(); !got.Equal(want) || hasMono(got) {
			t.Fatalf("in a bubble: %v, want time.Now's %v", got, want)
		}
	})
}

// TestClockFollowsTimeLocal: a program that sets time.Local (time.Local =
// time.UTC) after its first records gets its later records' times in the
// new location, as time.Now gives them, not in the base's, which no step
// would ever replace. It runs in a process of its own: setting time.Local
// races with every goroutine that reads the time.
func TestClockFollowsTimeLocal(t *testing.T) {
	if os.Getenv("LOGCRUMBS_TEST_CLOCK_LOCAL") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestClockFollowsTimeLocal$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LOGCRUMBS_TEST_CLOCK_LOCAL=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	var c clock
	c.now() // the base, in the program's first time.Local
	for _, loc := range []*time.Location{time.FixedZone("UTC+1", 3600), time.UTC} {
		time.Local = loc
		for i := range 3 { // the call that replaces the base, and those after it
			if i == 2 {
				c.due.Store(0) // a check of the wall clock, in the new location
			}
			before := time.Now()
			got := c.now()
			if got.Location() != before.Location() || got.Before(before) || got.Round(0).Sub(before.Round(0)) > maxDrift+time.Second {
				t.Fatalf("%v, call %d: %v, want time.Now's %v", loc, i, got, before)
			}
		}
	}
}

// TestClockKeepsNewerBase: a check whose time.Now reading is older than the
// base (its goroutine was descheduled while another's check found a step
// and published a base read after it) leaves the newer base: replacing it
// would take every record's wall time back across the step until the next
// check, and forward again then.
func TestClockKeepsNewerBase(t *testing.T) {
	var c clock
	c.now()
	stale := time.Now() // a late goroutine's reading, from before the step
	time.Sleep(time.Millisecond)
	// Another goroutine's check after the wall clock was set an hour ahead.
	read := time.Now()
	c.base.Store(newBase(read.Add(time.Hour), read.Sub(monoAnchor)))
	c.due.Store(int64(read.Sub(monoAnchor) + checkEvery))
	c.checkAt(stale) // the late goroutine's check
	if got := c.now().Round(0); got.Before(time.Now().Round(0).Add(time.Hour - time.Minute)) {
		t.Fatalf("after a late check: %v, want the newer base's, an hour after %v", got, time.Now().Round(0))
	}
}

// TestEventTimeIsTimeNow: a record sent as an event reads time.Now, not the
// record clock, so that the event is timed exactly in the checkEvery after
// a step of the wall clock or a resume from suspend, while breadcrumbs may
// carry the clock's time, off by the step, until its next check.
func TestEventTimeIsTimeNow(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := zerolog.New(io.Discard).Hook(NewHook(Options{Options: logcrumbs.Options{Hub: rec.Hub()}}))
	ctx := logcrumbs.NewContext(context.Background())
	stepUnchecked(t)
	log.Info().Ctx(ctx).Msg("before")
	log.Error().Ctx(ctx).Err(errors.New("disk full")).Msg("save failed")
	ev := rec.OnlyEvent()
	if d := time.Since(ev.Timestamp); d < 0 || d > time.Minute {
		t.Errorf("event at %v, %v ago, want time.Now's", ev.Timestamp, d)
	}
	if n := len(ev.Event.Breadcrumbs); n != 1 {
		t.Fatalf("%d breadcrumbs, want 1", n)
	}
	if d := time.Since(ev.Event.Breadcrumbs[0].Timestamp); d < 59*time.Minute {
		t.Errorf("breadcrumb %v ago: the test's step did not reach the record clock", d)
	}
}

// TestSkippedRepeatTimedAsBreadcrumb: an error record that capture-once
// skips reads no time.Now (core.Entry.Exact is not called): its breadcrumb
// carries the record clock's time, as a breadcrumb does, here an hour off
// after a step the clock has not checked for yet; the same record built in
// full (repeats not skipped) reads time.Now, as every event record does.
func TestSkippedRepeatTimedAsBreadcrumb(t *testing.T) {
	defer core.SetSkipRepeats(true)
	for _, skip := range []bool{true, false} {
		core.SetSkipRepeats(skip)
		rec := logcrumbstest.New(t)
		o := rec.Options()
		o.DedupeWindow = time.Minute
		ctx := rec.Context(context.Background())
		_, l := WithContext(ctx, zerolog.New(io.Discard).Hook(NewHook(Options{Options: o})))
		boom := errors.New("card declined")
		for range 2 { // the event, and its first repeat, built
			l.Error().Err(boom).Msg("charge failed")
		}
		stepUnchecked(t)
		l.Error().Err(boom).Msg("charge failed") // skipped, when skip is on
		recordClock.due.Store(0)                 // the step checked for: the test's cleanup
		if n := len(rec.Events()); n != 1 {
			t.Fatalf("skip %v: %d events, want 1", skip, n)
		}
		crumbs := logcrumbs.FromContext(ctx).Breadcrumbs()
		if len(crumbs) != 3 {
			t.Fatalf("skip %v: %d breadcrumbs, want 3", skip, len(crumbs))
		}
		late := 0
		for _, c := range crumbs {
			if time.Since(c.Timestamp) > 59*time.Minute {
				late++
			}
		}
		if want := map[bool]int{true: 1, false: 0}[skip]; late != want {
			t.Errorf("skip %v: %d breadcrumbs timed an hour back by the unchecked clock, want %d (a skipped repeat reads no time.Now, a built one does)", skip, late, want)
		}
	}
}

// TestEscalatedEventTimeIsTimeNow: a record below the event level that
// Options.EscalateIf sends as an event is an event too, and reads time.Now
// as one: it carried the record clock's time, an hour off after a step the
// clock had not checked for yet.
func TestEscalatedEventTimeIsTimeNow(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := zerolog.New(io.Discard).Hook(NewHook(Options{Options: logcrumbs.Options{
		Hub:        rec.Hub(),
		EscalateIf: func(r logcrumbs.Record) bool { return r.Message() == "slow request" },
	}}))
	ctx := logcrumbs.NewContext(context.Background())
	stepUnchecked(t)
	log.Warn().Ctx(ctx).Msg("slow request")
	ev := rec.OnlyEvent()
	if d := time.Since(ev.Timestamp); d < 0 || d > time.Minute {
		t.Errorf("escalated event at %v, %v ago, want time.Now's", ev.Timestamp, d)
	}
}

// TestEventTimeResetsClock: an event's reading of the wall clock is also
// the record clock's check, so that the breadcrumbs after it follow a step
// it saw: they were timed by the clock, still off by the step, before the
// event's own breadcrumb, and the next event's trail, put in time order,
// had them ahead of the error they followed.
func TestEventTimeResetsClock(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := zerolog.New(io.Discard).Hook(NewHook(Options{Options: rec.Options()}))
	ctx := logcrumbs.NewContext(context.Background())
	stepUnchecked(t)
	log.Error().Ctx(ctx).Err(errors.New("disk full")).Msg("save failed")
	log.Info().Ctx(ctx).Msg("retrying")
	log.Error().Ctx(ctx).Err(&os.PathError{Op: "write", Path: "f", Err: errors.New("quota exceeded")}).Msg("retry failed")
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	var got []string
	for _, b := range evs[1].Event.Breadcrumbs {
		got = append(got, b.Message)
	}
	if len(got) != 2 || got[1] != "retrying" {
		t.Errorf("second event's breadcrumbs %q, want the first error's, then retrying", got)
	}
	if d := time.Since(evs[1].Event.Breadcrumbs[len(got)-1].Timestamp); d < 0 || d > time.Minute {
		t.Errorf("breadcrumb after the event %v ago, want time.Now's", d)
	}
}

// checkAt is check with its time.Now reading, t.
func (c *clock) checkAt(t time.Time) (time.Time, time.Duration) {
	return c.checkRead(t, t.Sub(monoAnchor))
}

// stepUnchecked puts the record clock an hour behind the wall clock, as
// after a step of the wall clock it has not checked for yet, until the
// test ends (then it checks at its next call, and its base is replaced).
func stepUnchecked(t *testing.T) {
	recordClock.now()
	real := time.Now()
	recordClock.base.Store(newBase(real.Add(-time.Hour), real.Sub(monoAnchor)))
	recordClock.due.Store(int64(real.Sub(monoAnchor) + time.Hour))
	t.Cleanup(func() { recordClock.due.Store(0) })
}

// TestCheckSplitIsPredicted: a check that finds no step returns the base
// and the monotonic time elapsed since it, whose sum is the time the base
// predicts, b.t.Add(at - b.at), as check returned it whole before: the
// same time.Time, monotonic reading and location included; and a check
// that finds a step, or a base in another location, returns a time with
// nothing to add. The wall clock's drift from the monotonic one is made
// by a base whose wall time is off by it.
func TestCheckSplitIsPredicted(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 20))
	steps, kept := 0, 0
	for i := range 10000 {
		var c clock
		// A check that sees a step takes more readings (leastDelayed),
		// and the read below is now's, moved: were now's monotonic clock
		// read late, theirs would be less so, and a drift that passes
		// -maxDrift by less than the delay would be no step to them (a
		// load-dependent failure, 14.6 µs past it, under a shuffled run).
		// now is the least delayed of a few readings, and drifts within
		// 50 µs past maxDrift are left out (TestWallSubAgreesWithSub
		// tries maxDrift's ends).
		now := time.Now()
		now, _ = leastDelayed(now, now.Sub(monoAnchor))
		drift := time.Duration(r.Int64N(int64(4*maxDrift))) - 2*maxDrift
		bt := now.Add(-drift)
		if i%10 == 0 {
			bt = bt.In(time.FixedZone("elsewhere", 3600))
		}
		b := newBase(bt, now.Sub(monoAnchor))
		c.base.Store(b)
		read := now.Add(time.Duration(r.Int64N(int64(time.Hour))))
		if past := drift.Abs() - maxDrift; past > 0 && past < 50*time.Microsecond {
			continue
		}
		got, d := c.checkAt(read)
		predicted := b.t.Add(read.Sub(monoAnchor) - b.at)
		switch {
		case drift > maxDrift || drift < -maxDrift:
			steps++
			if d != 0 || got != read {
				t.Fatalf("%d: drift %v: check = %v + %v, want time.Now's %v whole", i, drift, got, d, read)
			}
		case b.t.Location() != read.Location():
			if d != 0 || got != predicted.In(read.Location()) {
				t.Fatalf("%d: another location: check = %v + %v, want %v whole", i, got, d, predicted.In(read.Location()))
			}
		default:
			kept++
			if got != b.t || got.Add(d) != predicted {
				t.Fatalf("%d: drift %v: check = %v + %v = %v, want the base %v plus the elapsed time, %v", i, drift, got, d, got.Add(d), b.t, predicted)
			}
		}
	}
	if steps < 1000 || kept < 1000 {
		t.Fatalf("%d steps, %d bases kept: too few of one", steps, kept)
	}
}

// TestClockIgnoresLateMonotonicReading: time.Now reads the wall clock, then
// the monotonic clock (runtime/time_linux_amd64.s); a thread descheduled
// between the two gets a monotonic time late by the gap (measured on a
// loaded 2-core machine: about one reading in 70,000 late by over 1 ms, up
// to 56 ms). Made the base, such a reading puts every record's wall time
// early by the gap until the next check, and a check that sees the gap as
// a step of the wall clock made it the base. The reading here is one whose
// monotonic clock was read gap after its wall clock: the clock's times stay
// time.Now's, whether the base agreed with the wall clock (the reading is
// no step), was off by an hour (a step: the base is the least delayed of a
// few readings), or there was none.
func TestClockIgnoresLateMonotonicReading(t *testing.T) {
	const gap = 3 * maxDrift
	for _, base := range []string{"agreeing", "an hour off", "none"} {
		t.Run(base, func(t *testing.T) {
			var c clock
			switch base {
			case "agreeing":
				c.now()
			case "an hour off":
				real := time.Now()
				c.base.Store(newBase(real.Add(-time.Hour), real.Sub(monoAnchor)))
			}
			wall := time.Now()
			time.Sleep(gap)
			late := time.Since(monoAnchor)
			got, d := c.checkRead(wall, late)
			if w := got.Add(d).Round(0); w.Before(wall.Round(0).Add(-maxDrift)) || w.After(time.Now().Round(0).Add(maxDrift)) {
				t.Errorf("the check: %v, want a time from %v on", w, wall.Round(0))
			}
			before := time.Now()
			got = c.now()
			after := time.Now()
			if w := got.Round(0); w.Before(before.Round(0).Add(-maxDrift)) || w.After(after.Round(0).Add(maxDrift)) {
				t.Fatalf("after the check: %v, not between %v and %v (wall)", w, before.Round(0), after.Round(0))
			}
		})
	}
}

// TestClockBaseAfterLocation: the base a check stores when it
// finds the base in another location than time.Now's has its wall time's
// seconds and nanoseconds (newBase), so that the next check, with no step,
// keeps it rather than finding a step in a base read as 1970.
func TestClockBaseAfterLocation(t *testing.T) {
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
