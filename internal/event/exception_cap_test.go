package event

import (
	"runtime"
	"slices"
	"testing"
	"unsafe"

	"github.com/getsentry/sentry-go"
)

// deepStack returns the program counters of a stack whose top depth frames
// are this package's (logging frames, trimmed), under a frame of package
// slices (the caller's, kept).
func deepStack(depth int) []uintptr {
	var pcs []uintptr
	var rec func(int)
	rec = func(n int) {
		if n > 0 {
			rec(n - 1)
			return
		}
		var buf [100]uintptr
		pcs = slices.Clone(buf[:runtime.Callers(1, buf[:])])
	}
	slices.SortFunc([]int{1, 2}, func(a, b int) int {
		if pcs == nil {
			rec(depth)
		}
		return a - b
	})
	return pcs
}

// TestStackCacheBoundCountsHeld: what a stack cache holds stays under
// maxStackBytes counting the frames' arrays as held, not only the frames
// kept after trimming: a stack trimmed of many logging frames counted its
// few frames while its array held them all.
func TestStackCacheBoundCountsHeld(t *testing.T) {
	pcs := deepStack(80)
	var c stackCache
	build := func(pcs []uintptr, _ uintptr) []sentry.Frame { return stackFrames(pcs, 0) }
	for i := range 20_000 {
		c.lookup(uintptr(i+1), pcs, build)
	}
	held := 0
	for k, f := range c.m {
		held += cap(f)*int(unsafe.Sizeof(sentry.Frame{})) + len(k)
	}
	if held > maxStackBytes {
		t.Errorf("%d stacks held %d bytes of keys and frames, want at most %d", len(c.m), held, maxStackBytes)
	}
}
