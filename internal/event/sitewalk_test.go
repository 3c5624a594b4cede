package event

import (
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

// TestWalkSiteAgreesWithCallers: the site walkSite finds by frame pointers
// is the one runtime.Callers' logical frames give (siteIn), through the
// shapes a stack between a log call and logcrumbs can take: this package's
// frames are logcrumbs' own, so the site is the first frame outside it (a
// standard library caller, or the test runner) reached through inlined
// closures, sort's internals, reflect's assembly call frames, a deferred
// call run by a panic and one run by a nil dereference's panic. Each shape
// is asked twice: the second walk reads the frames the first learned. The
// common shapes must be walked; reflect's call frames and the faulting
// frame under a nil dereference's panic (whose counter is not a return
// address) may be left to runtime.Callers.
func TestWalkSiteAgreesWithCallers(t *testing.T) {
	mayStop := map[string]bool{"reflect": true, "nil dereference": true}
	check := func(t *testing.T, name string) {
		t.Helper()
		for range 2 {
			site, ret, ok := walkSite()
			var pcs [256]uintptr
			want, _ := siteIn(pcs[:runtime.Callers(1, pcs[:])])
			if canWalkFrames && !mayStop[name] && (!ok || ret == 0) {
				t.Errorf("%s: walkSite found no site, want %q", name, want)
			}
			if ok && site != want {
				t.Errorf("%s: walkSite found %q, runtime.Callers %q", name, site, want)
			}
		}
	}
	underStacks(t, check)
}

// underStacks runs check (name: the stack's kind) directly, under
// sort.Slice's frames, reflect.Value.Call's, a deferred call during a
// panic, and one during a nil dereference's panic: the stacks walkSite
// must walk as runtime.Callers does.
func underStacks(t *testing.T, check func(t *testing.T, name string)) {
	t.Run("direct", func(t *testing.T) { check(t, "direct") })
	t.Run("sort", func(t *testing.T) {
		s := []int{3, 2, 1}
		sort.Slice(s, func(i, j int) bool {
			check(t, "sort")
			return s[i] < s[j]
		})
	})
	t.Run("reflect", func(t *testing.T) {
		reflect.ValueOf(func() { check(t, "reflect") }).Call(nil)
	})
	t.Run("panic", func(t *testing.T) {
		func() {
			defer func() {
				check(t, "panic")
				recover()
			}()
			panic("x")
		}()
	})
	t.Run("nil dereference", func(t *testing.T) {
		var p *int
		func() {
			defer func() {
				check(t, "nil dereference")
				recover()
			}()
			*p = 1
		}()
	})
}

// TestWalkSiteStopsAtUnknownFrames: a return address outside any Go
// function is an unknown frame, which walkSite does not walk past.
func TestWalkSiteStopsAtUnknownFrames(t *testing.T) {
	if f := classifyFrame(1); f.kind != unknownFrame {
		t.Errorf("classifyFrame(1) = %v, want unknownFrame", f.kind)
	}
}

// setHints stores h as the hint of every entry of frameSites (nil clears
// them).
func setHints(h *frameSite) {
	walkRoot.next.Store(h)
	for i := range frameSites {
		for j := range frameSites[i] {
			if f := frameSites[i][j].Load(); f != nil {
				f.next.Store(h)
			}
		}
	}
}

// clearFrameSites empties frameSites, as a new process has it (no test of
// the package runs in parallel with another).
func clearFrameSites() {
	walkRoot.next.Store(nil)
	for i := range frameSites {
		for j := range frameSites[i] {
			frameSites[i][j].Store(nil)
		}
	}
}

// TestWalkHintsAgreeWithTheTable: a walk that follows the hints the walk
// before left (walkHints) finds the site and return address a walk that
// looks every frame up in frameSites finds, under the stacks of underStacks
// (where walkSite finds no site, the hinted walks find none either); and a
// hint of another return address is not followed. The hints are checked to
// be set, so that the second walk did follow them where walkHints is
// assembly.
func TestWalkHintsAgreeWithTheTable(t *testing.T) {
	if !canWalkFrames {
		t.Skip("the stack is not walked on this architecture")
	}
	check := func(t *testing.T, name string) {
		t.Helper()
		setHints(nil)
		// Learns the frames and leaves the hints. reflect's and a fault's
		// frames end the walk with no site (runtime.Callers answers): the
		// walks below must end it so too.
		site, ret, ok := walkSite()
		hinted := 0
		for i := range frameSites {
			for j := range frameSites[i] {
				if f := frameSites[i][j].Load(); f != nil && f.next.Load() != nil {
					hinted++
				}
			}
		}
		if ok && hinted == 0 {
			t.Errorf("%s: a walk left no hint", name)
		}
		for _, step := range []struct {
			what string
			set  func()
		}{
			{"hints followed", func() {}},
			{"no hints", func() { setHints(nil) }},
			{"wrong hints", func() { setHints(&frameSite{ret: 1, kind: siteFrame, site: "wrong"}) }},
		} {
			step.set()
			s, r, k := walkSite()
			if s != site || r != ret || k != ok {
				t.Errorf("%s, %s: walkSite = %q, %#x, %v; want %q, %#x, %v", name, step.what, s, r, k, site, ret, ok)
			}
		}
		setHints(nil)
	}
	underStacks(t, check)
}

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

// lessChecker's Less checks that the walk finds the site runtime.Callers
// finds; small, so that the wrapper of the promoted method inlines it.
type lessChecker struct {
	t   *testing.T
	bad *int
}

func (c *lessChecker) Less(i, j int) bool {
	checkWalkAgrees(c.t, c.bad)
	return i > j
}

// sortShape's Less is lessChecker's, promoted: sort calls it through an
// autogenerated wrapper (runtime.Callers leaves its frame out) that
// inlined lessChecker.Less.
type sortShape struct {
	*lessChecker
	n int
}

func (s sortShape) Len() int      { return s.n }
func (s sortShape) Swap(i, j int) {}

//go:noinline
func checkWalkAgrees(t *testing.T, bad *int) {
	site, _, ok := walkSite()
	var pcs [64]uintptr
	want, _ := siteIn(pcs[:runtime.Callers(1, pcs[:])])
	if ok && site != want && *bad < 3 {
		*bad++
		t.Errorf("walkSite found %q, runtime.Callers %q", site, want)
	}
}

// TestWalkSiteAgreesThroughInliningWrappers: sort calls Less from many
// lines through one wrapper frame that inlined a method of this package
// (the loggers', as far as the walk is concerned): each call's site is
// sort's line, as runtime.Callers says, not the first one the wrapper's
// frame was seen under.
func TestWalkSiteAgreesThroughInliningWrappers(t *testing.T) {
	var bad int
	sort.Sort(sortShape{&lessChecker{t, &bad}, 100})
}

// TestWalkSiteAllocsOnCollidingFrames: two frames of one stack
// whose return addresses share a slot of frameSites (direct-mapped) used to
// evict each other on every walk: the walk learned one (classifyFrame:
// runtime.Callers and allocations), started again, missed the other,
// learned it in the same slot, started again, ..., maxWalkMisses times,
// and then left the site to runtime.Callers anyway: every record logged
// from such a stack paid eight classifications, far more than the
// runtime.Callers the walk replaces. Here 64x64 pairs of frames (each
// closure's call is a return address of its own) are walked; about four
// pairs collide in a build. Once learned, no walk may allocate.
func TestWalkSiteAllocsOnCollidingFrames(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	if !canWalkFrames {
		t.Skip("the stack is not walked on this architecture")
	}
	for i := range thrashOuter {
		for j := range thrashInner {
			thrashOuter[i](j)
			thrashOuter[i](j)
			// The walk of this package's frames goes on to the
			// goroutine's end (they call no logger: callbacks, see
			// isSite), through AllocsPerRun's frames, learned by a
			// first run.
			testing.AllocsPerRun(1, func() { thrashOuter[i](j) })
			if a := testing.AllocsPerRun(5, func() { thrashOuter[i](j) }); a != 0 {
				t.Errorf("outer %d, inner %d: %v allocations a walk, want 0", i, j, a)
			}
		}
	}
}

// TestWalkSiteNoThrashAcrossStacks: frames of different stacks that share
// a slot, walked in turn (two call sites logging one after the other),
// must not evict each other either: with a slot replaced on a miss, every
// round of the 64x64 stacks below relearned the colliding frames (checked:
// allocations in every round). Once the table has seen them, a round of
// walks allocates nothing.
func TestWalkSiteNoThrashAcrossStacks(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	if !canWalkFrames {
		t.Skip("the stack is not walked on this architecture")
	}
	round := func() {
		for i := range thrashOuter {
			for j := range thrashInner {
				thrashOuter[i](j)
			}
		}
	}
	round()
	round()
	// AllocsPerRun calls round from two lines of its own, a warm-up and
	// its loop: the loop's return address is a frame of every walk below
	// it, which the table must have seen too (a test that ran before this
	// one through AllocsPerRun taught it; run alone, this test counted its
	// classification).
	testing.AllocsPerRun(1, round)
	if a := testing.AllocsPerRun(3, round); a != 0 {
		t.Errorf("%v allocations a round of %d walks, want 0", a, len(thrashOuter)*len(thrashInner))
	}
}

// thrashInner's functions walk the stack from their own return addresses;
// thrashOuter's call one of them from theirs.
var thrashInner = [...]func(){
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
	func() { _, _, lastWalkOK = walkSite() },
}

var thrashOuter = [...]func(j int){
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
	func(j int) { thrashInner[j]() },
}

// lastWalkOK is whether thrashInner's last walk found the site.
var lastWalkOK bool

// TestWalkSiteWalksStacksSharingSlots: every one of the 64x64 stacks is
// walked to its site once the table has seen it, including those two of
// whose frames would share a slot of a direct-mapped table of the same
// size (with one slot an address and slots never replaced, about 3% of
// stacks were left to runtime.Callers for good: checked, 512 of these
// 4,096 and, in one build, the bench's zerolog hook).
//
// The table starts empty: filled once and never replaced, it may hold,
// from the tests that ran before, entries enough in the set of one of
// these frames that it is never learned (a change to any package's code
// moves the frames: one build left 64 of these stacks unwalked so, after
// the package's other tests, and none run alone).
func TestWalkSiteWalksStacksSharingSlots(t *testing.T) {
	if !canWalkFrames {
		t.Skip("the stack is not walked on this architecture")
	}
	// The table as a process starts: the sets other tests' frames filled
	// (a full set's frames are left to runtime.Callers, by design) would
	// make this test's outcome depend on the binary's layout.
	clearFrameSites()
	failed := 0
	for i := range thrashOuter {
		for j := range thrashInner {
			thrashOuter[i](j)
			thrashOuter[i](j)
			if !lastWalkOK {
				failed++
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d stacks not walked to their site", failed, len(thrashOuter)*len(thrashInner))
	}
}
