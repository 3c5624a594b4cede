package event

import (
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWalkSiteSurvivesStackMoves: walkSite holds frame pointers as
// integers, which a stack copy does not adjust, so the walk must not follow
// one read before the stack moved. In builds where the table look-up is a
// call (-race: sync/atomic is no intrinsic there; -N -l), the call's
// prologue is a point where the stack can move: shrunk by the garbage
// collector at a preemption, or grown. Walks run here on goroutines whose
// stacks grew (so that the collector shrinks them) while the collector
// runs, in a child process with GODEBUG=efence=1, which makes a freed
// stack fault when read: a walk that follows a pointer into the old stack
// crashes the child. (An optimized build without -race has no such call:
// there the test cannot fail; scripts/test runs it with -race.)
func TestWalkSiteSurvivesStackMoves(t *testing.T) {
	if !canWalkFrames {
		t.Skip("the stack is not walked on this architecture")
	}
	if os.Getenv("LOGCRUMBS_WALK_MOVES_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWalkSiteSurvivesStackMoves$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LOGCRUMBS_WALK_MOVES_CHILD=1", "GODEBUG=efence=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child: %v\n%.2000s", err, out)
		}
		return
	}
	var stop atomic.Bool
	var gc sync.WaitGroup
	gc.Go(func() {
		for !stop.Load() {
			runtime.GC()
		}
	})
	deadline := time.Now().Add(time.Second)
	var walkers sync.WaitGroup
	for range 4 {
		walkers.Go(func() {
			for time.Now().Before(deadline) {
				done := make(chan struct{})
				go func() { // a fresh goroutine: its stack grows, then the collector may shrink it
					defer close(done)
					growStack(64)
					for range 200 {
						walkUnder(4)
					}
				}()
				<-done
			}
		})
	}
	walkers.Wait()
	stop.Store(true)
	gc.Wait()
}

// growStack uses about n*320 bytes of stack.
//
//go:noinline
func growStack(n int) byte {
	var pad [40]uintptr
	pad[n%40] = uintptr(n)
	if n > 0 {
		return growStack(n-1) + byte(pad[(n+1)%40])
	}
	return byte(pad[0])
}

// walkUnder walks the stack under n frames of its own.
//
//go:noinline
func walkUnder(n int) {
	if n > 0 {
		walkUnder(n - 1)
		return
	}
	walkSite()
}
