package event

import (
	"reflect"
	"runtime"
	"sort"
	"testing"
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
