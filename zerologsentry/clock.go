package zerologsentry

import (
	"sync/atomic"
	"time"
)

// A zerolog record carries no time a hook or writer could use (zerolog
// reads no clock unless the logger adds a timestamp field, and then only
// encodes it), so every record kept costs a clock read. time.Now reads two
// clocks, the wall clock and the monotonic one: 37-40 ns of a breadcrumb
// here, more than a third of the hook's whole share. The clock below reads
// the monotonic clock only (time.Since of a time that has a monotonic
// reading), and takes the wall time from a base time.Now() reading plus the
// monotonic time elapsed since that base: what time.Now would return, as
// long as the wall clock has not been set since the base was read.
//
// Linux slews both clocks alike (NTP's frequency corrections apply to
// both): only a step of the wall clock (set by hand or by NTP, a leap
// second, a resume from suspend, which its monotonic clock does not count)
// changes the offset between them. So every checkEvery of monotonic time,
// one call reads time.Now and compares it with the time the base predicts;
// a difference beyond maxDrift is a step, unless the reading's monotonic
// clock was read late (see leastDelayed): the least delayed of that
// reading and a few more becomes the new base if it differs too. A step is
// followed within checkEvery of monotonic time: until then, records carry
// wall times off by the step (after a suspend, by its length). Otherwise
// the wall time is off by no more than maxDrift: where the monotonic clock
// is not slewed with the wall clock, their offset creeps, and a check
// replaces the base once it passes maxDrift. The base is replaced, and
// allocated, only then: none of the records in between allocate.
//
// The times returned are those time.Now returns, up to maxDrift but for
// the checkEvery that follows a step: the same
// location (time.Local, as it is at the call: a base read in another
// is replaced) and a monotonic reading (the base's plus the
// elapsed time: the monotonic clock's own). A check that finds no step
// returns the base's time, not time.Now's, so that successive times never
// go back but at a step of the wall clock, as time.Now's do then.
const (
	checkEvery = 100 * time.Millisecond
	maxDrift   = time.Millisecond
)

// monoAnchor is the origin the monotonic clock is read from: one reading,
// for the whole process, so that a record costs time.Since(monoAnchor).
var monoAnchor = time.Now()

// hasMono reports whether t carries a monotonic clock reading: time.Now's
// do, but for platforms without one and inside a testing/synctest bubble.
func hasMono(t time.Time) bool { return t != t.Round(0) }

// clockBase is a time.Now reading and its monotonic time, as elapsed since
// monoAnchor. It is never changed once published: make it with newBase.
type clockBase struct {
	t  time.Time
	at time.Duration
	// sec and nsec are t's wall time (t.Unix, t.Nanosecond), read once
	// for every check's drift.
	sec  int64
	nsec int
}

// newBase returns the base of t, read at monotonic time at.
func newBase(t time.Time, at time.Duration) *clockBase {
	return &clockBase{t: t, at: at, sec: t.Unix(), nsec: t.Nanosecond()}
}

// drift returns t's wall time minus the one b predicts for the monotonic
// time at (b.t plus at - b.at), and true, when t's is less than 2^32
// seconds from b.t's; else false (a step, whatever its sign). It is
// wallSub(t, b.t.Add(at - b.at)), as checkRead compares it with maxDrift,
// while the time elapsed since b, at - b.at, is below 2^31 seconds (68
// years of the process's monotonic time), without the predicted time's Add and the wall time read back
// from it: about 40 instructions of each event record (cachegrind,
// ZerologRepeat/hook). (TestDriftAgreesWithWallSub.)
func (b *clockBase) drift(t time.Time, at time.Duration) (time.Duration, bool) {
	sec := t.Unix() - b.sec
	if sec >= 1<<32 || sec <= -1<<32 {
		return 0, false
	}
	return time.Duration(sec)*time.Second + time.Duration(t.Nanosecond()-b.nsec) - (at - b.at), true
}

// clock is a time.Now that reads only the monotonic clock between checks of
// the wall clock (see checkEvery). Its zero value is ready to use; it is
// safe for concurrent use.
type clock struct {
	base atomic.Pointer[clockBase]
	// due is the monotonic time, as elapsed since monoAnchor, at which the
	// wall clock is next compared with base.
	due atomic.Int64
}

// now returns the current time, as time.Now does (see checkEvery and
// maxDrift for how far it may differ).
func (c *clock) now() time.Time {
	t, d := c.split()
	return t.Add(d)
}

// split is now as a time and a duration to add to it: the records of a
// breadcrumb add them only if they are read (buffer.Record.Elapsed).
func (c *clock) split() (time.Time, time.Duration) {
	e := time.Since(monoAnchor)
	// e before b.at: another goroutine published a base read after e
	// (rare), or e is not monotonic time at all (inside a synctest bubble,
	// time.Since reads the bubble's fake clock): check, which returns
	// time.Now. A base in another location than time.Local (set since the
	// base was read): check, which replaces it.
	if b := c.base.Load(); b != nil && e >= b.at && int64(e) < c.due.Load() && b.t.Location() == time.Local {
		return b.t, e - b.at
	}
	return c.check()
}

// check reads time.Now, makes it (or the least delayed of it and a few
// more readings: see leastDelayed) the base if the wall clock moved apart
// from the monotonic one since the base was read, or time.Local was set since
// (a program's time.Local = time.UTC after its first records), or there is
// none; sets when to check next, and returns the time, as split does: a
// time and a duration to add to it.
func (c *clock) check() (time.Time, time.Duration) {
	t := time.Now()
	return c.checkRead(t, t.Sub(monoAnchor))
}

// checkRead is check with its time.Now reading, t, and t's monotonic time
// as elapsed since monoAnchor, at (t.Sub(monoAnchor)).
func (c *clock) checkRead(t time.Time, at time.Duration) (time.Time, time.Duration) {
	if !hasMono(t) {
		return t, 0 // nothing to add elapsed time to: time.Now it is, every record
	}
	b := c.base.Load()
	if b != nil && at < b.at {
		// Another goroutine's check published a base read after t (this
		// one was descheduled in between): t is no base to replace it
		// with, since a step between the two readings would come back,
		// until the next check, in every record's time.
		return t, 0
	}
	if b != nil {
		if drift, ok := b.drift(t, at); (!ok || drift > maxDrift || drift < -maxDrift) && c.stepped(b, t, at) {
			return t, 0
		}
		// No step: the base stays, and so does the time it gives,
		// which records returned until now were computed from; in
		// the location of time.Now's if time.Local was set since.
		// Returned as the base and the time elapsed since, added
		// only if the record is read, as split's (the Add was about
		// 60 instructions of each error record, cachegrind,
		// ZerologRepeat/hook, and a skipped repeat never reads it).
		if loc := t.Location(); b.t.Location() != loc {
			predicted := b.t.Add(at - b.at).In(loc)
			c.base.Store(newBase(predicted, at))
			c.due.Store(int64(at + checkEvery))
			return predicted, 0
		}
		c.due.Store(int64(at + checkEvery))
		return b.t, at - b.at
	}
	lt, lat := leastDelayed(t, at) // the first base
	c.base.Store(newBase(lt, lat))
	c.due.Store(int64(lat + checkEvery))
	return t, 0
}

// stepped is checkRead's rare path, when t (read at monotonic time at)
// differs from what base b predicts by more than maxDrift: a step, or t's
// monotonic clock read late (see leastDelayed). The least delayed of t and
// a few more readings tells which: when it differs from b too, it becomes
// the base, and stepped reports true; else b stays (t is timed by b at its
// monotonic reading, as any check that finds no step). Not inlined: its
// readings and their comparison cost checkRead's common path about 10
// instructions (cachegrind, ZerologRepeat/hook) when they were in it.
//
//go:noinline
func (c *clock) stepped(b *clockBase, t time.Time, at time.Duration) bool {
	lt, lat := leastDelayed(t, at)
	if drift, ok := b.drift(lt, lat); ok && drift <= maxDrift && drift >= -maxDrift {
		return false
	}
	c.base.Store(newBase(lt, lat))
	c.due.Store(int64(lat + checkEvery))
	return true
}

// lateReads is how many more time.Now readings leastDelayed takes.
const lateReads = 3

// leastDelayed returns, of t (read at monotonic time at) and lateReads
// more time.Now readings, the one whose monotonic clock was read soonest
// after its wall clock: the one whose wall time minus monotonic time is the
// largest. time.Now reads the wall clock, then the monotonic one
// (runtime/time_linux_amd64.s): a thread descheduled in between returns a
// monotonic time late by the gap, and as the base such a reading would put
// every record's wall time early by the gap (a loaded 2-core machine:
// about one reading in 70,000 late by more than maxDrift, up to 56 ms);
// the next check sees that as a step and replaces it, but a check that
// reads it sees a step too, which it is not. Nothing but a step of the wall
// clock makes a reading's difference larger (a step forward between the
// readings: the newer one is taken). Only a check that sees a step, or
// makes the first base, pays for the readings.
func leastDelayed(t time.Time, at time.Duration) (time.Time, time.Duration) {
	for range lateReads {
		r := time.Now()
		if !hasMono(r) {
			break
		}
		rat := r.Sub(monoAnchor)
		if r.Round(0).Sub(t.Round(0)) > rat-at {
			t, at = r, rat
		}
	}
	return t, at
}

// recordClock times the records of every Hook and Writer.
var recordClock clock
