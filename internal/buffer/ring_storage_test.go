package buffer

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

// storageOf returns the bytes r's storage holds: its data's and its
// attributes' capacity.
func storageOf(r *Record) int {
	return cap(r.data) + cap(r.attrs)*int(unsafe.Sizeof(Attr{}))
}

// TestRingDropsGrownStorage: records whose storage an event record grew
// (as large as the pool keeps: maxPooledBytes of bytes, maxPooledAttrs
// attributes), filled as small breadcrumbs and kept in a trail, do not keep
// that storage in the trail's ring: a full trail of DefaultCapacity keeps
// its breadcrumbs' bytes, within what record.go's DefaultBreadcrumbLimits
// states, not 48 KiB a record.
func TestRingDropsGrownStorage(t *testing.T) {
	for _, how := range []string{"Append", "AppendEvent"} {
		t.Run(how, func(t *testing.T) {
			tr := NewTrail(DefaultCapacity)
			now := time.Now()
			for range 2 * DefaultCapacity {
				r := Get(now, LevelError, DefaultEventLimits)
				r.Grow(maxPooledBytes, maxPooledAttrs) // an event record's storage
				r.Reset(now, LevelInfo, DefaultBreadcrumbLimits)
				r.SetMessage("small")
				r.AddText(KindString, "k", "v")
				if how == "Append" {
					tr.Append(r)
				} else {
					tr.AppendEvent(r, "abc")
				}
			}
			total, most := 0, 0
			tr.mu.Lock()
			for i := range tr.n {
				s := storageOf(tr.recs[i])
				total += s
				most = max(most, s)
			}
			tr.mu.Unlock()
			if limit := DefaultCapacity * 8 << 10; total > limit {
				t.Errorf("a trail of %d small breadcrumbs keeps %d KiB of storage (up to %d KiB a record), want at most %d KiB", DefaultCapacity, total>>10, most>>10, limit>>10)
			}
		})
	}
}

// TestFallbackCapturedBytes: the fallback trail forgets its oldest
// captured errors once their texts pass fallbackCapturedBytes, and only
// those: the newest is kept however large, and the smaller ones after a
// large one are found again.
func TestFallbackCapturedBytes(t *testing.T) {
	fb := Fallback()
	owner := t.Name()
	now := time.Now()
	big := func(c byte) error { return errors.New(strings.Repeat(string(c), fallbackCapturedBytes*3/5)) }
	a, b, c := big('a'), big('b'), errors.New("small "+t.Name())
	capture := func(err error, id string) (string, bool) {
		return fb.CaptureOnceFor(owner, []error{err}, func() string { return id }, now, time.Hour)
	}
	capture(a, "a")
	capture(b, "b") // a and b pass the bound: a goes
	capture(c, "c")
	if id, first := capture(fmt.Errorf("wrapped: %w", b), "x"); first || id != "b" {
		t.Errorf("b, the newest large error: %q, %v; want b's event", id, first)
	}
	if id, first := capture(c, "x"); first || id != "c" {
		t.Errorf("c, small, after b: %q, %v; want c's event", id, first)
	}
	if _, first := capture(a, "a2"); !first {
		t.Error("a, the oldest, past the bound with b, is still remembered")
	}
	// a again pushes b out, not c: b is older.
	if id, first := capture(c, "x"); first || id != "c" {
		t.Errorf("c after a's return: %q, %v; want c's event", id, first)
	}
	huge := errors.New(strings.Repeat("h", 2*fallbackCapturedBytes))
	capture(huge, "h")
	if id, first := capture(huge, "x"); first || id != "h" {
		t.Errorf("an error over the whole bound, the newest: %q, %v; want its event", id, first)
	}
	// A job's error handed back to the fallback trail is bounded alike.
	job := errors.New(strings.Repeat("j", 2*fallbackCapturedBytes))
	fb.HandBack(owner, job, "j", now)
	if id, first := capture(job, "x"); first || id != "j" {
		t.Errorf("a job's error handed back: %q, %v; want the job's event", id, first)
	}
	huge = job
	fb.mu.Lock()
	defer fb.mu.Unlock()
	total := 0
	for i := range fb.once.entries {
		if e := &fb.once.entries[i]; e.err != nil {
			total += len(e.err.Error())
		}
	}
	if total > len(huge.Error()) {
		t.Errorf("the fallback trail keeps %d bytes of texts beside the newest error's %d", total-len(huge.Error()), len(huge.Error()))
	}
}

// TestRingRefillAfterFitStorageAllocatesNothing: a record whose grown
// storage a trail's ring gave back (fitStorage) keeps room for the
// breadcrumbs filled in it in place after: keeping one allocates nothing.
// (Storage of the record's own size made the next larger breadcrumb grow
// it, an allocation on the breadcrumb's path.)
func TestRingRefillAfterFitStorageAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates on its own")
	}
	tr := NewTrail(1)
	now := time.Now()
	r := Get(now, LevelError, DefaultEventLimits)
	r.Grow(maxPooledBytes, maxPooledAttrs) // an event record's storage
	r.Reset(now, LevelInfo, DefaultBreadcrumbLimits)
	r.SetMessage("small")
	tr.Append(r) // its storage given back
	value := strings.Repeat("v", 900)
	fill := func(r *Record) {
		r.Reset(now, LevelInfo, DefaultBreadcrumbLimits)
		r.SetMessage("a breadcrumb of a kilobyte")
		for i := range 20 {
			r.AddText(KindString, "key", value[:i*40])
		}
	}
	// The first one counts: testing.AllocsPerRun's warm-up would hide it.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tr.AppendFilled(fill)
	runtime.ReadMemStats(&after)
	if n := after.Mallocs - before.Mallocs; n != 0 {
		t.Errorf("a breadcrumb filled in place in a record whose storage the ring gave back allocates %d times, want 0", n)
	}
}
