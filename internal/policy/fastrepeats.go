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
// Once an entry has counted a repeat under the lock, which set its
// seen.first, the repeats after it are counted in one atomic word of the
// entry instead, which whoever holds the lock folds into seen.repeats
// before reading it, or resetting it.
//
// The word holds a generation (its high 32 bits) and a count (the low 32).
// What a repeat is checked against without the lock (its record's
// identity and the entry's events, see repeatAt) is a repeatView: immutable,
// published under the lock, of the generation it was published in. Whatever
// changes what a repeat is checked against or resets the count (a new
// event of the fingerprint, Flush taking the pending repeats, the entry
// leaving the table) moves the generation on under the lock, in one
// compare-and-swap that also takes the count: a repeat's own
// compare-and-swap either came before it, and its count is taken, or
// fails, and the repeat is counted under the lock, as before. So no count
// is lost, and none lands on an entry that left the table or on an event
// it does not repeat.
//
// An entry's count stays zero while its seen.repeats is zero (the view is
// published only after a repeat counted under the lock, and every reset
// moves the generation on): a holder of the lock may test seen.repeats
// for zero without folding.

// fastRepeats is an entry's lock-free repeat count.
type fastRepeats struct {
	word atomic.Uint64 // generation<<32 | count
	view atomic.Pointer[repeatView]
}

// repeatView is what a repeat counted without the lock is checked against.
type repeatView struct {
	gen    uint32
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
	for {
		w := f.word.Load()
		if uint32(w>>32) != v.gen || uint32(w) == math.MaxUint32 { // a full count is folded under the lock
			return false
		}
		if f.word.CompareAndSwap(w, w+1) {
			return true
		}
	}
}

// fold adds the repeats counted without the lock to s.repeats. n.mu is held.
func (s *seen) fold() {
	s.repeats += int(uint32(s.fast.word.And(^uint64(math.MaxUint32))))
}

// settle folds, and stops counting without the lock until the next
// publish: before what a repeat is checked against changes, or the count is
// reset, or the entry leaves the table. n.mu is held.
func (s *seen) settle() {
	s.fast.view.Store(nil)
	w := s.fast.word.Load()
	for !s.fast.word.CompareAndSwap(w, (w>>32+1)<<32) {
		w = s.fast.word.Load()
	}
	s.repeats += int(uint32(w))
}

// publish lets the repeats of s's events by records of the identity s
// remembers be counted without the lock, once s counted one under it. One
// allocation for each event of the fingerprint that has repeats. n.mu is
// held.
func (s *seen) publish() {
	if s.repeats == 0 || !s.memo.set || s.gone || s.fast.view.Load() != nil {
		return
	}
	s.fast.view.Store(&repeatView{
		gen:    uint32(s.fast.word.Load() >> 32),
		memo:   s.memo,
		events: [4]string{s.id, s.before[0], s.before[1], s.before[2]},
	})
}
