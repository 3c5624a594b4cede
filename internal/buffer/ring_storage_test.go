package buffer

import (
	"testing"
	"time"
	"unsafe"
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
