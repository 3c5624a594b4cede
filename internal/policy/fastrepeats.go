package policy

import (
	"math"
	"slices"
	"sync/atomic"
)

// A skipped repeat counted on the entry its integration's memo remembers
// (RepeatMemo) took noise.mu, the process's one lock: in an error storm of
// concurrent requests every goroutine's repeat queued on it, where the bare
// logger shares nothing between goroutines (ZerologRepeatParallel: the lock
// and its cache line were a quarter of a skipped repeat's time, CPU profile).
// Once an entry has counted a few repeats under the lock (the first set
// its seen.first), the repeats after them are counted in the entry's lanes
// instead: RepeatLanes counters, each on a cache line of its own, a
// record's picked by its RecordID.Lane (concurrent requests' apart). Whoever
// holds the lock folds them into seen.repeats before reading it, or
// resetting it.
//
// A lane's word holds a generation (its high 32 bits) and a count (the low
// 32). What a repeat is checked against without the lock (its record's
// identity and the entry's events, see repeatAt) is a repeatView:
// immutable, published under the lock, of the generation it was published
// in. Whatever changes what a repeat is checked against or resets the
// count (a new event of the fingerprint, Flush taking the pending repeats,
// the entry leaving the table) moves every lane on to the next generation
// under the lock, each in one compare-and-swap that also takes its count:
// a repeat's own compare-and-swap either came before it, and its count is
// taken, or fails, and the repeat is counted under the lock, as before. So
// no count is lost, and none lands on an entry that left the table or on
// an event it does not repeat.
//
// An entry's lanes count nothing while its seen.repeats is zero (the view
// is published only after a repeat counted under the lock, and every reset
// moves the generation on): a holder of the lock may test seen.repeats for
// zero without folding.

// RepeatLanes is how many counters an entry counts its repeats in without
// the lock: as many as a core's scratches (core.ScanSlots), which the same
// concurrent requests take apart.
const RepeatLanes = 1 << RepeatLaneBits

// RepeatLaneBits is the bits of a lane's number (see buffer.Spread).
const RepeatLaneBits = 3

// lockedRepeats is how many repeats an entry counts under the lock
// before it counts them without it: an error logged a few times over
// (by a retry loop, or layers of one request) does not make an entry
// hold lanes and a view (720 bytes, where an entry of the table is about
// 350); a storm counts the first few under the lock.
const lockedRepeats = 8

// fastRepeats is an entry's lock-free repeat count.
type fastRepeats struct {
	view  atomic.Pointer[repeatView]
	lanes *repeatLanes // made when first published; under n.mu, and in its views
	gen   uint32       // the lanes' generation; under n.mu
}

// repeatLanes are an entry's counters, each on a cache line of its own
// (the allocator aligns their 576 bytes to 64), after one of nothing: the
// compiler checks the pointer for nil with a load from its first byte,
// which on lane 0's word would miss whenever lane 0 counted on another
// core (see core's repeatScratches).
type repeatLanes struct {
	_ [64]byte
	l [RepeatLanes]struct {
		word atomic.Uint64 // generation<<32 | count
		_    [56]byte
	}
}

// repeatView is what a repeat counted without the lock is checked against.
type repeatView struct {
	gen    uint32
	lanes  *repeatLanes
	memo   recordMemo
	events [4]string // the entry's event, then the ones before it (seen.hasEvent)
}

// count counts a repeat of the event earlier by a record of identity id,
// if a view of the current generation is published and takes it: it
// reports whether it did. Without the lock.
func (f *fastRepeats) count(earlier string, id *RecordID) bool {
	v := f.view.Load()
	if v == nil || !v.memo.matches(id) || !slices.Contains(v.events[:], earlier) {
		return false
	}
	lane := &v.lanes.l[uint(id.Lane)%RepeatLanes].word
	for {
		w := lane.Load()
		if uint32(w>>32) != v.gen || uint32(w) == math.MaxUint32 { // a full count is folded under the lock
			return false
		}
		if lane.CompareAndSwap(w, w+1) {
			return true
		}
	}
}

// fold adds the repeats counted without the lock to s.repeats. n.mu is held.
func (s *seen) fold() {
	if l := s.fast.lanes; l != nil {
		for i := range l.l {
			s.repeats += int(uint32(l.l[i].word.And(^uint64(math.MaxUint32))))
		}
	}
}

// settle folds, and stops counting without the lock until the next
// publish: before what a repeat is checked against changes, or the count is
// reset, or the entry leaves the table. n.mu is held.
func (s *seen) settle() {
	f := &s.fast
	f.view.Store(nil)
	f.gen++
	if f.lanes == nil {
		return
	}
	next := uint64(f.gen) << 32
	for i := range f.lanes.l {
		s.repeats += int(uint32(f.lanes.l[i].word.Swap(next)))
	}
}

// publish lets the repeats of s's events by records of the identity s
// remembers be counted without the lock, once s counted lockedRepeats
// under it. An allocation for the entry's first, its lanes; one for each
// event of the fingerprint with as many repeats, its view. n.mu is held.
func (s *seen) publish() {
	f := &s.fast
	if s.repeats < lockedRepeats || !s.memo.set || s.gone || f.view.Load() != nil {
		return
	}
	if f.lanes == nil {
		f.lanes = new(repeatLanes)
		for i := range f.lanes.l {
			f.lanes.l[i].word.Store(uint64(f.gen) << 32)
		}
	}
	f.view.Store(&repeatView{
		gen:    f.gen,
		lanes:  f.lanes,
		memo:   s.memo,
		events: [4]string{s.id, s.before[0], s.before[1], s.before[2]},
	})
}
