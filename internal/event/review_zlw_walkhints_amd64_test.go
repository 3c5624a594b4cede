//go:build gc && !race

package event

import (
	"testing"
	"unsafe"
)

// TestReviewZLWWalkHintsNoFrameNoRet: a walk that follows no frame (its
// entry has no hint, another address's hint, or a limit of 0 or less)
// returns its entry, a return address of 0 and n 0, though the entry it
// starts from has a return address of its own (walkSite's prev is one
// mostly, not walkRoot).
func TestReviewZLWWalkHintsNoFrameNoRet(t *testing.T) {
	var mem [4]uintptr
	mem[1] = 0x1234 // frame 0's return address; no caller
	fp := uintptr(unsafe.Pointer(&mem[0]))
	hinted := &frameSite{ret: 0x1234, kind: passFrame}
	for _, c := range []struct {
		what  string
		hint  *frameSite
		limit int
		n     int
	}{
		{"no hint", nil, 4, 0},
		{"another address's hint", &frameSite{ret: 0x9999, kind: passFrame}, 4, 0},
		{"a limit of 0", hinted, 0, 0},
		{"a limit of -1", hinted, -1, 0},
		{"the hint followed", hinted, 4, 1},
	} {
		f := &frameSite{ret: 0x5678, kind: passFrame}
		if c.hint != nil {
			f.next.Store(c.hint)
		}
		last, ret, next, n := walkHints(fp, callerFP(), f, c.limit)
		wantLast, wantRet, wantNext := f, uintptr(0), fp
		if c.n == 1 {
			wantLast, wantRet, wantNext = hinted, 0x1234, 0
		}
		if last != wantLast || ret != wantRet || next != wantNext || n != c.n {
			t.Errorf("%s: walkHints = %p %#x %#x %d, want %p %#x %#x %d", c.what, last, ret, next, n, wantLast, wantRet, wantNext, c.n)
		}
	}
}
