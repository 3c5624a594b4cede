package event

import (
	"sort"
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
// looks every frame up in frameSites finds, through direct calls, a closure
// called from sort's internals and a deferred call run by a panic; and a
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
		site, ret, ok := walkSite() // learns the frames, leaves the hints
		if !ok {
			t.Fatalf("%s: walkSite found no site", name)
		}
		hinted := 0
		for i := range frameSites {
			for j := range frameSites[i] {
				if f := frameSites[i][j].Load(); f != nil && f.next.Load() != nil {
					hinted++
				}
			}
		}
		if hinted == 0 {
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
	t.Run("direct", func(t *testing.T) { check(t, "direct") })
	t.Run("sort", func(t *testing.T) {
		s := []int{3, 2, 1}
		sort.Slice(s, func(i, j int) bool {
			check(t, "sort")
			return s[i] < s[j]
		})
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
}
