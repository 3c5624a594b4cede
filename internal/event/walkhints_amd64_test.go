//go:build gc && !race

package event

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"unsafe"
)

// walkHintsRef is walkHints as it was written before it counted the frames
// left down (see walkhints_amd64.s), in Go, over frames whose pointers are
// indexes into mem (frame i is mem[2i], the next frame's index plus one or
// 0, and mem[2i+1], its return address).
func walkHintsRef(mem []uintptr, fp uintptr, f *frameSite, limit int) (last *frameSite, ret, next uintptr, n int, before, after *frameSite) {
	before = f
	for n < limit && fp != 0 {
		h := f.next.Load()
		if h == nil || mem[2*(fp-1)+1] != h.ret {
			break
		}
		before, f, ret, fp = f, h, h.ret, mem[2*(fp-1)]
		n++
		if h.kind != passFrame {
			if a := h.next.Load(); fp != 0 && a != nil && mem[2*(fp-1)+1] == a.ret {
				after = a
			}
			break
		}
	}
	return f, ret, fp, n, before, after
}

// TestWalkHintsAgreesWithRef runs walkHints over random frame chains laid
// out in memory (each frame its saved frame pointer and return address, as
// amd64 keeps them) with random hints: followed, of another address, nil,
// ending on a site or an unknown frame, and limits below, at and beyond
// the chain's length; each answer is walkHintsRef's. A stack that moved
// (fp0 not walkHints' caller's frame pointer) reads nothing.
func TestWalkHintsAgreesWithRef(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 7))
	mem := make([]uintptr, 2*16)
	addr := func(i int) uintptr { return uintptr(unsafe.Pointer(&mem[2*i])) } // frame i's pointer
	for step := range 20000 {
		frames := 1 + r.IntN(15)
		entries := make([]*frameSite, frames)
		for i := range entries {
			entries[i] = &frameSite{ret: uintptr(0x1000 + i), kind: passFrame}
			if r.IntN(frames) == 0 {
				entries[i].kind = []frameKind{siteFrame, unknownFrame}[r.IntN(2)]
			}
			mem[2*i+1] = entries[i].ret
			mem[2*i] = uintptr(i + 2) // the next frame, by index plus one
			if i == frames-1 {
				mem[2*i] = 0
			}
		}
		root := &frameSite{}
		prev := root
		for i, e := range entries {
			switch k := r.IntN(20); {
			case k == 0: // no hint
			case k == 1: // another address's
				prev.next.Store(&frameSite{ret: uintptr(0x2000 + i), kind: passFrame})
			default:
				prev.next.Store(e)
			}
			prev = e
		}
		limit := r.IntN(frames+3) - 1
		wl, wr, wn, wc, wb, wa := walkHintsRef(mem, 1, root, limit)
		// The same frames in memory: each saved frame pointer an address.
		real := make([]uintptr, len(mem))
		copy(real, mem)
		for i := range frames {
			if mem[2*i] != 0 {
				mem[2*i] = addr(int(mem[2*i] - 1))
			}
		}
		fp0 := callerFP()
		gl, gr, gn, gc, gb, ga := walkHints(addr(0), fp0, root, limit)
		wantNext := uintptr(0)
		if wn != 0 {
			wantNext = addr(int(wn - 1))
		}
		if gl != wl || gr != wr || gn != wantNext || gc != wc || gb != wb || ga != wa {
			t.Fatalf("step %d, %d frames, limit %d: walkHints = %p %#x %#x %d %p %p, want %p %#x %#x %d %p %p",
				step, frames, limit, gl, gr, gn, gc, gb, ga, wl, wr, wantNext, wc, wb, wa)
		}
		if gl, gr, gn, gc, gb, ga := walkHints(addr(0), fp0+8, root, limit); gl != root || gr != 0 || gn != addr(0) || gc != -1 || gb != root || ga != nil {
			t.Fatalf("step %d, the stack moved: walkHints = %p %#x %#x %d %p %p, want %p 0 %#x -1 %p nil", step, gl, gr, gn, gc, gb, ga, root, addr(0), root)
		}
		copy(mem, real)
	}
	runtime.KeepAlive(mem)
}

// TestWalkHintsNoFrameNoRet: a walk that follows no frame (its
// entry has no hint, another address's hint, or a limit of 0 or less)
// returns its entry, a return address of 0 and n 0, though the entry it
// starts from has a return address of its own (walkSite's prev is one
// mostly, not walkRoot).
func TestWalkHintsNoFrameNoRet(t *testing.T) {
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
		last, ret, next, n, before, after := walkHints(fp, callerFP(), f, c.limit)
		wantLast, wantRet, wantNext := f, uintptr(0), fp
		if c.n == 1 {
			wantLast, wantRet, wantNext = hinted, 0x1234, 0
		}
		if before != f {
			t.Errorf("%s: walkHints' before = %p, want %p", c.what, before, f)
		}
		if after != nil {
			t.Errorf("%s: walkHints' after = %p, want nil (a passFrame followed or none)", c.what, after)
		}
		if last != wantLast || ret != wantRet || next != wantNext || n != c.n {
			t.Errorf("%s: walkHints = %p %#x %#x %d, want %p %#x %#x %d", c.what, last, ret, next, n, wantLast, wantRet, wantNext, c.n)
		}
	}
}
