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

// TestErrorScanAlone: a core's ErrorScan calls marked alone never overlap,
// from goroutines that log, each in a trail of its own, events, their
// repeats (skipped, their errors scanned alone) and new errors in a trail
// that repeated (built deferred, their errors scanned alone when the
// core's lock is free); and both kinds of call are made.
func TestErrorScanAlone(t *testing.T) {
	var inAlone, overlaps, alone, notAlone atomic.Int64
	scan := func(raw []byte, errs *[]error, isAlone bool) {
		if isAlone {
			if inAlone.Add(1) != 1 {
				overlaps.Add(1)
			}
			alone.Add(1)
			runtime.Gosched() // widen the window another call could enter
			defer inAlone.Add(-1)
		} else {
			notAlone.Add(1)
		}
		scanPairs(raw, errs, isAlone)
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
		t.Errorf("%d scans alone overlapped another", overlaps.Load())
	}
	if alone.Load() == 0 {
		t.Errorf("no scan alone (%d not alone)", notAlone.Load())
	}
}
