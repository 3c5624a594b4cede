package event

import (
	"testing"
)

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
