package core_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestErrorScanAlone: a core's ErrorScan calls in one slot never overlap,
// from goroutines that log, each in a trail of its own, events, their
// repeats (skipped, their errors scanned in a slot) and new errors in a
// trail that repeated (built deferred, their errors scanned in a slot when
// one is free); the slots are in range, and repeats logged at the same
// time take more than one of them.
func TestErrorScanAlone(t *testing.T) {
	var inSlot [core.ScanSlots]atomic.Int64
	var overlaps, outOfRange, notAlone atomic.Int64
	var used [core.ScanSlots]atomic.Int64
	scan := func(raw []byte, errs *[]error, slot int) {
		switch {
		case slot < -1 || slot >= core.ScanSlots:
			outOfRange.Add(1)
		case slot >= 0:
			if inSlot[slot].Add(1) != 1 {
				overlaps.Add(1)
			}
			used[slot].Add(1)
			runtime.Gosched() // widen the window another call could enter
			defer inSlot[slot].Add(-1)
		default:
			notAlone.Add(1)
		}
		scanPairs(raw, errs, slot)
	}
	rec := logcrumbstest.New(t)
	c := core.New(rec.Options(), "test", 0).WithParser(parsePairs).WithErrorScan(scan)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ctx := rec.Context(context.Background())
			for i := range 200 {
				text := "card declined"
				if i%4 == 3 {
					text = "out of stock"
				}
				raw := []byte("path=/cart,error=" + text)
				enc := core.Encoder{Raw: raw, Fields: func(r *core.Record, errs *[]error) {
					parsePairs(r, raw)
					if errs != nil {
						*errs = append(*errs, encodedErrs[text])
					}
				}}
				ent := core.Entry{Time: time.Now(), Level: core.LevelOf(8, 0, 4, 8, 12), Message: "checkout failed"}
				c.Log(ctx, core.Event, &ent, nil, &enc)
			}
		})
	}
	wg.Wait()
	if overlaps.Load() != 0 {
		t.Errorf("%d scans in a slot overlapped another in it", overlaps.Load())
	}
	if outOfRange.Load() != 0 {
		t.Errorf("%d scans in a slot out of range", outOfRange.Load())
	}
	slots := 0
	for i := range used {
		if used[i].Load() > 0 {
			slots++
		}
	}
	if slots < 2 {
		t.Errorf("scans of 8 goroutines' repeats took %d slots (%d scans in none), want more than one", slots, notAlone.Load())
	}
}
