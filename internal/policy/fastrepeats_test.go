package policy

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

// total is s's repeats, with those counted without the lock. n.mu is held,
// or nothing counts.
func (s *seen) total() int {
	n := s.repeats
	if l := s.fast.lanes; l != nil {
		for i := range l.l {
			n += int(uint32(l.l[i].word.Load()))
		}
	}
	return n
}

// repeatStorm is an entry with an event, ev1, and a memo (see noted).
type repeatStorm struct {
	p      *Process
	client *sentry.Client
	key    []byte
	id     RecordID
	memo   RepeatMemo
	at     time.Time // ev1's time
}

func newRepeatStorm(t *testing.T) *repeatStorm {
	t.Helper()
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: &keep{}})
	if err != nil {
		t.Fatal(err)
	}
	errs := []error{fmt.Errorf("w: %w", errors.New("x"))}
	r := &repeatStorm{p: newProcess(), client: client, at: time.Now()}
	r.key = AppendFingerprintKey(nil, client, "app", nil, "main.go:10", errs, "failed")
	r.id = RecordID{Client: ClientID(client), Logger: []byte("app"), PC: 1}
	r.id.SetErrors(errs)
	r.event(t, "ev1", r.at)
	return r
}

// noted counts lockedRepeats repeats of ev1 by its key, under the lock,
// which publishes what the repeats after them are counted by without it.
func (r *repeatStorm) noted() *repeatStorm {
	for range lockedRepeats {
		r.p.RepeatNoted(&r.memo, r.key, "ev1", r.id)
	}
	return r
}

// event admits an event of the storm's key at at, sent with a summary,
// and returns the repeats it reports.
func (r *repeatStorm) event(t *testing.T, id string, at time.Time) int {
	t.Helper()
	v := r.p.Admit(r.client, string(r.key), at, time.Hour, id)
	if !v.Send {
		t.Fatalf("event %s not admitted", id)
	}
	r.p.Sent(string(r.key), id, r.client, &sentry.Event{Message: "failed"}, true)
	return v.Repeats
}

// repeat counts a repeat of earlier as an integration does: by its memo,
// else by its key. Its lane is the n-th of the record's repeats.
func (r *repeatStorm) repeat(earlier string, n int) {
	id := r.id
	id.Lane = n
	if !r.p.RepeatRemembered(&r.memo, earlier, &id) {
		r.p.RepeatNoted(&r.memo, r.key, earlier, id)
	}
}

func (r *repeatStorm) total() int {
	r.p.noise.mu.Lock()
	defer r.p.noise.mu.Unlock()
	return r.p.noise.recent[string(r.key)].total()
}

// TestRepeatsCountedWithoutTheLock: once a repeat of an entry's event was
// counted, the next repeats by the memo's record do not wait for noise
// control's lock, which every integration's events and repeats share;
// also when the entry's generation moved on before it counted one (Flush
// took repeats deduplicated by their key, which count under the lock).
func TestRepeatsCountedWithoutTheLock(t *testing.T) {
	for name, before := range map[string]func(r *repeatStorm){
		"first repeats": func(r *repeatStorm) { r.noted() },
		"after Flush took repeats by key": func(r *repeatStorm) {
			r.p.Admit(r.client, string(r.key), r.at, time.Hour, "ev1 again") // deduplicated
			if n := len(r.p.noise.pending()); n != 1 {
				t.Fatalf("Flush took %d summaries, want 1", n)
			}
			r.noted()
		},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRepeatStorm(t)
			before(r)
			r.p.noise.mu.Lock()
			done := make(chan int)
			go func() {
				n := 0
				for i := range 1000 {
					id := r.id
					id.Lane = i
					if r.p.RepeatRemembered(&r.memo, "ev1", &id) {
						n++
					}
				}
				done <- n
			}()
			select {
			case n := <-done:
				r.p.noise.mu.Unlock()
				if n != 1000 {
					t.Errorf("%d of 1,000 repeats counted by the memo, want all", n)
				}
			case <-time.After(5 * time.Second):
				r.p.noise.mu.Unlock()
				<-done
				t.Fatal("1,000 repeats waited for noise control's lock, held by another goroutine")
			}
			if got := r.total(); got != lockedRepeats+1000 {
				t.Errorf("%d repeats counted, want %d", got, lockedRepeats+1000)
			}
		})
	}
}

// TestRepeatsCountedWithoutTheLockRideOnTheirEvent: repeats counted
// without the lock are reported where those counted under it are: on the
// fingerprint's next event, and by Flush's summary, once each.
func TestRepeatsCountedWithoutTheLockRideOnTheirEvent(t *testing.T) {
	r := newRepeatStorm(t).noted()
	for i := range 100 - lockedRepeats {
		r.repeat("ev1", i)
	}
	pending := r.p.noise.pending()
	if len(pending) != 1 || pending[0].repeats != 100 {
		t.Fatalf("Flush takes %+v, want one summary of 100 repeats", pending)
	}
	if got := r.total(); got != 0 {
		t.Errorf("%d repeats left after Flush took them, want 0", got)
	}
	for i := range 10 {
		r.repeat("ev1", i)
	}
	if got := r.event(t, "ev2", r.at.Add(2*time.Hour)); got != 10 {
		t.Errorf("the next event reports %d repeats, want the 10 since Flush", got)
	}
	for i := range 5 {
		r.repeat("ev1", i) // still one of the entry's events
	}
	for i := range 5 {
		r.repeat("ev2", i)
	}
	for i := range 3 {
		r.repeat("another event", i) // not the entry's: not counted
	}
	if got := r.total(); got != 10 {
		t.Errorf("%d repeats after ev2, want 10 (5 of ev1, 5 of ev2)", got)
	}
	if got := r.event(t, "ev3", r.at.Add(4*time.Hour)); got != 10 {
		t.Errorf("the event after reports %d repeats, want 10", got)
	}
}

// TestRepeatsNotCountedOnAnEntryThatLeft: an entry swept from the table
// counts no repeat, with or without the lock, though its repeats were
// counted without it (its client dropped its event, so it goes with them).
func TestRepeatsNotCountedOnAnEntryThatLeft(t *testing.T) {
	r := newRepeatStorm(t).noted()
	r.repeat("ev1", 0)
	r.p.Sent(string(r.key), "ev1", r.client, nil, false) // dropped by the client
	r.p.noise.mu.Lock()
	r.p.noise.sweep(r.at.Add(2*time.Hour), time.Hour)
	r.p.noise.mu.Unlock()
	if _, ok := r.p.noise.recent[string(r.key)]; ok {
		t.Fatal("the entry of a dropped event was not swept")
	}
	id := r.id
	if r.p.RepeatRemembered(&r.memo, "ev1", &id) {
		t.Error("an entry swept from the table counted a repeat")
	}
}

// TestRepeatsCountedWithoutTheLockNotLost: goroutines repeating an event
// while the fingerprint sends its next events (which take the repeats so
// far) and Flush takes them lose none and count none twice.
func TestRepeatsCountedWithoutTheLockNotLost(t *testing.T) {
	r := newRepeatStorm(t).noted()
	const goroutines, each = 4, 5000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for range each {
				r.repeat("ev1", g*3) // a lane each, one past RepeatLanes; still one of the entry's events after three more
			}
		})
	}
	reported := 0
	for i, id := range []string{"ev2", "ev3", "ev4"} {
		for range 50 {
			for _, p := range r.p.noise.pending() {
				reported += p.repeats
			}
		}
		reported += r.event(t, id, r.at.Add(time.Duration(2*i+2)*time.Hour))
	}
	wg.Wait()
	for _, p := range r.p.noise.pending() {
		reported += p.repeats
	}
	if want := lockedRepeats + goroutines*each; reported != want {
		t.Errorf("%d repeats reported, want %d", reported, want)
	}
}

// TestRepeatsCountedPastAFullWord: a count that fills its 32 bits is
// folded into the entry under the lock, and counting goes on without it.
func TestRepeatsCountedPastAFullWord(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("a count past 32 bits needs a 64-bit int (an entry counts its repeats in an int)")
	}
	r := newRepeatStorm(t).noted()
	r.repeat("ev1", 5)
	s := r.p.noise.recent[string(r.key)]
	lane := &s.fast.lanes.l[5].word
	lane.Store(lane.Load()&^uint64(math.MaxUint32) | math.MaxUint32 - 1)
	for range 3 {
		r.repeat("ev1", 5)
	}
	if got, want := int64(r.total()), int64(lockedRepeats)+math.MaxUint32-1+3; got != want { // the locked ones, the full word, 3
		t.Errorf("%d repeats, want %d", got, want)
	}
	if got := uint32(lane.Load()); got != 1 {
		t.Errorf("the word counts %d after it was folded, want the 1 repeat since", got)
	}
}

// TestFewRepeatsHoldNoLanes: an error logged a few times over is counted
// under the lock, and its entry holds no lanes nor view (720 bytes of each
// of the table's entries); the repeats after lockedRepeats are counted
// without the lock.
func TestFewRepeatsHoldNoLanes(t *testing.T) {
	r := newRepeatStorm(t)
	for i := range lockedRepeats - 1 {
		r.repeat("ev1", i)
	}
	s := r.p.noise.recent[string(r.key)]
	if s.fast.lanes != nil || s.fast.view.Load() != nil {
		t.Fatalf("an entry of %d repeats holds lanes", lockedRepeats-1)
	}
	r.repeat("ev1", 0)
	if s.fast.lanes == nil || s.fast.view.Load() == nil {
		t.Errorf("an entry of %d repeats holds no lanes", lockedRepeats)
	}
	if got := r.total(); got != lockedRepeats {
		t.Errorf("%d repeats, want %d", got, lockedRepeats)
	}
}

// TestResetDropsTheMemosEntrysSummary: an entry a RepeatMemo still holds
// after Reset keeps no summary (its event's exception chain and stacks,
// up to hundreds of kilobytes), as a swept one keeps none.
func TestResetDropsTheMemosEntrysSummary(t *testing.T) {
	r := newRepeatStorm(t).noted()
	s := r.memo.last.Load()
	if s == nil || s.summary == nil {
		t.Fatal("the memo holds no entry with a summary")
	}
	r.p.Reset()
	if s.summary != nil {
		t.Error("the entry the memo holds after Reset keeps its summary")
	}
}
