package event

import (
	"testing"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

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
func TestWalkSiteWalksStacksSharingSlots(t *testing.T) {
	if !canWalkFrames {
		t.Skip("the stack is not walked on this architecture")
	}
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
