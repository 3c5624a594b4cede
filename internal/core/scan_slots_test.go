package core_test

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/policy"
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
				ent := core.Entry{Time: time.Now(), Level: core.LevelOf(8, -4, 0, 4, 8, 12), Message: "checkout failed"}
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

// TestErrorScanTakesAFreeSlot: a repeat whose trail's slot is in use (a
// scan of another repeat of the same request, logged at the same time) is
// scanned in another slot, free, rather than in none (without a memo);
// with every slot in use, in none, and at once: no scan waits for a slot.
func TestErrorScanTakesAFreeSlot(t *testing.T) {
	rec := logcrumbstest.New(t)
	entered := make(chan int)
	release := make(chan struct{})
	var mu sync.Mutex
	var free []int // the slots of the scans that did not block
	scan := func(raw []byte, errs *[]error, slot int) {
		if strings.Contains(string(raw), "block=") {
			select {
			case <-release: // released: a later scan of the same record
			default:
				entered <- slot
				<-release
			}
		} else {
			mu.Lock()
			free = append(free, slot)
			mu.Unlock()
		}
		scanPairs(raw, errs, slot)
	}
	c := core.New(rec.Options(), "test", 0).WithParser(parsePairs).WithErrorScan(scan)
	ctx := rec.Context(context.Background()) // one request: one slot picked by its trail
	log := func(extra string) {
		raw := []byte("path=/cart,error=card declined" + extra)
		enc := core.Encoder{Raw: raw, Fields: func(r *core.Record, errs *[]error) {
			parsePairs(r, raw)
			if errs != nil {
				*errs = append(*errs, encodedErrs["card declined"])
			}
		}}
		ent := core.Entry{Time: time.Now(), Level: core.LevelOf(8, -4, 0, 4, 8, 12), Message: "checkout failed"}
		c.Log(ctx, core.Event, &ent, nil, &enc)
	}
	for range 3 { // the event, and repeats until the trail skips them
		log("")
	}
	mu.Lock()
	free = free[:0]
	mu.Unlock()
	var wg sync.WaitGroup
	held := map[int]bool{}
	for i := range core.ScanSlots {
		wg.Go(func() { log(",block=" + string(rune('a'+i))) })
		slot := <-entered
		if slot < 0 || held[slot] {
			t.Fatalf("blocked scan %d in slot %d, with slots %v in use: want a free one", i, slot, held)
		}
		held[slot] = true
	}
	// Every slot in use: scanned in none, without waiting.
	done := make(chan struct{})
	go func() { log(""); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a repeat logged while every slot is in use waited")
	}
	mu.Lock()
	whileFull := free
	mu.Unlock()
	close(release)
	wg.Wait()
	for _, s := range whileFull {
		if s != -1 {
			t.Errorf("a scan while every slot was in use was in slot %d, want none (-1)", s)
		}
	}
	if len(whileFull) == 0 {
		t.Error("the repeat logged while every slot was in use was not scanned")
	}
}

// TestScanSlotsAreRepeatLanes: a skipped repeat is counted in the lane of
// its scratch's slot (escalate's SkipRepeat), which no other repeat of the
// core holds meanwhile: as many lanes as slots, or two slots would share
// one.
func TestScanSlotsAreRepeatLanes(t *testing.T) {
	if core.ScanSlots != policy.RepeatLanes {
		t.Errorf("%d scan slots, %d repeat lanes: want as many", core.ScanSlots, policy.RepeatLanes)
	}
}
