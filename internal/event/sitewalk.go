package event

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// A record without a program counter (zap without AddCaller, zerolog) has
// its call site found on the stack, and runtime.Callers, which decodes
// each frame's tables to unwind it, was a third of a skipped repeat's time
// (zap: 1.8 of 5.2 s of logcrumbs' share in a CPU profile). The frames
// between logcrumbs and the log call are the loggers' own Go functions,
// which keep frame pointers: walkSite follows them instead, two loads a
// frame, and looks each return address up in frameSites, which says
// whether the frame is still the loggers' (go on), the call site (its
// "file:line"), or unknown (stop: runtime.Callers decides). It follows a
// frame's pointer only once its return address is known to be in a Go
// function of the loggers or the runtime, so it never reads past the log
// call into frames it cannot trust (C frames of a cgo callback).

// frameKind is what a return address's frame is to walkSite.
type frameKind uint8

const (
	passFrame    frameKind = iota // the loggers', logcrumbs' or the runtime's: the site is further out
	siteFrame                     // holds the call site
	unknownFrame                  // not a Go function: walkSite stops
	// callbackFrame is the program's, but called back by a logger (it
	// called logcrumbs, or a function of the program's): the call site if
	// no siteFrame follows on the stack (see isSite).
	callbackFrame
	// endFrame is runtime.goexit's, under a goroutine's first function:
	// the stack ends, and walkSite stops as at an unknownFrame, unless it
	// walked a callbackFrame, the site then.
	endFrame
)

// frameSite is what one return address's frame is (see classifyFrame).
// ret, kind and site never change once it is stored in frameSites.
type frameSite struct {
	ret  uintptr
	kind frameKind
	site string // for siteFrame
	// next is a hint: the entry of the frame that followed this one, its
	// caller's, on the last walk that looked it up in frameSites. A
	// walk whose next frame has that entry's return address takes it
	// without the look-up (see walkSite).
	next atomic.Pointer[frameSite]
}

// frameSites is a table of frameSite by return address, a set of
// frameSiteWays entries for each address: a program logs errors from a few
// hundred places through a few dozen logger frames. An entry is filled once
// and never replaced (it never changes once stored, so a reader sees a
// whole one; a return address means the same frame for the life of the
// process): a frame whose set others fill is left to runtime.Callers, as
// before the walk existed. Replacing would let frames that share a slot, of
// one stack or of two call sites logged in turn, evict each other on every
// walk, each miss a classification (runtime.Callers of the whole stack,
// symbolization, allocations) several times what runtime.Callers alone
// costs; filled once, the table classifies at most one frame an entry in a
// process's life. Sets, not one slot an address: about 3% of 8-frame stacks
// have two frames that share a slot of a direct-mapped table of this size,
// and such a stack was never walked (the bench's zerolog hook, in one
// build); four frames of one stack in one set of 256 are improbable.
var frameSites [1 << (frameSiteBits - frameSiteWaysBits)][frameSiteWays]atomic.Pointer[frameSite]

const (
	frameSiteBits     = 10 // 1024 entries
	frameSiteWaysBits = 2
	frameSiteWays     = 1 << frameSiteWaysBits
)

// frameSiteSet returns ret's set in frameSites.
func frameSiteSet(ret uintptr) *[frameSiteWays]atomic.Pointer[frameSite] {
	return &frameSites[uint64(ret)*0x9E3779B97F4A7C15>>(64-frameSiteBits+frameSiteWaysBits)]
}

// lookupFrame returns ret's entry, or nil and whether its set has room to
// learn it. It is inlined into walkSite's loop (see walkSite).
func lookupFrame(ret uintptr) (f *frameSite, room bool) {
	set := frameSiteSet(ret)
	for i := range set {
		f := set[i].Load()
		if f == nil {
			return nil, true
		}
		if f.ret == ret {
			return f, false
		}
	}
	return nil, false
}

// learnFrame stores f in the first empty entry of its set, unless another
// walk stored its frame meanwhile or the set filled.
func learnFrame(f *frameSite) {
	set := frameSiteSet(f.ret)
	for i := range set {
		if set[i].CompareAndSwap(nil, f) {
			return
		}
		if set[i].Load().ret == f.ret {
			return
		}
	}
}

// walkRoot stands for the frame before a walk's first (walkSite's
// caller's): its hint is the entry of the first frame of the last walk, so
// that a walk of the stack the walk before walked follows it from its
// first frame. It is in no set of frameSites.
var walkRoot frameSite

// Walking stops after maxWalkFrames frames (runtime.Callers then looks
// further), at a frame whose set other frames fill, and after learning
// maxWalkMisses frames (a new stack's first walks).
const (
	maxWalkFrames = 32
	maxWalkMisses = 8
)

// walkSite returns the call site of the log call walkSite's caller is
// handling, as siteIn finds it among the stack's logical frames, and the
// return address of the physical frame that holds it; ok is false when it
// could not tell (no frame pointers on this architecture, an unknown or
// too deep frame), and runtime.Callers must decide.
//
// The frame pointers it holds are integers, which a stack copy does not
// adjust: none may be followed once the stack moved. frameAt is NOSPLIT,
// and in an optimized build the table look-up is inlined, but where it is
// a call (-race, where sync/atomic is no intrinsic; -N -l) its prologue
// may move the stack (grown, or shrunk by the collector at a preemption),
// and the next frameAt would read the old, freed stack: the walk then
// starts again, as it does after learning a new frame (which may move the
// stack too). A move shows as walkSite's own frame pointer changing.
//
// A walk follows the hints the walk before left (frameSite.next), from
// its first frame on (walkRoot), in one call of assembly (walkHints), which
// checks that the stack did not move before it reads a frame, and cannot
// move it: an error storm's repeats walk one stack, whose frames cost about
// 60 instructions each looked up one by one, and about 25 so (cachegrind,
// ZerologRepeat/hook).
func walkSite() (site string, ret uintptr, ok bool) {
	if !canWalkFrames {
		return "", 0, false
	}
	for range maxWalkMisses {
		var missed uintptr
		prev := &walkRoot // the entry of the frame before, a passFrame
		// callback is the first callbackFrame walked, the site if the
		// stack ends with no siteFrame after it (see isSite); its ret is
		// its frame's return address.
		var callback *frameSite
		fp0 := callerFP()
		fp := fp0
		for i := 0; i < maxWalkFrames; {
			// The frames whose entries are the hints of the frames before
			// them, in one call: an error storm walks one stack over and
			// over, and each frame's table look-up and two calls were most
			// of the walk (cachegrind, ZerologRepeat/hook: about 60
			// instructions a frame).
			h, hret, next, n := walkHints(fp, fp0, prev, maxWalkFrames-i)
			if n < 0 { // the stack moved: fp points into the old one
				break
			}
			if n > 0 {
				i, fp = i+n, next
				switch h.kind {
				case siteFrame:
					return h.site, hret, true
				case unknownFrame:
					return "", 0, false
				case callbackFrame:
					if callback == nil {
						callback = h
					}
				case endFrame:
					if callback != nil { // the whole stack: no log call after it
						return callback.site, callback.ret, true
					}
					return "", 0, false
				}
				prev = h
				continue // the next frame is not its hint, or the end
			}
			if fp == 0 {
				return "", 0, false
			}
			var ret uintptr
			ret, fp = frameAt(fp)
			i++
			f, room := lookupFrame(ret)
			if f != nil {
				prev.next.Store(f)
			}
			if callerFP() != fp0 { // the stack moved: fp points into the old one
				break
			}
			if f == nil {
				if !room { // its set is other frames': never replaced
					return "", 0, false
				}
				missed = ret
				break
			}
			switch f.kind {
			case siteFrame:
				return f.site, ret, true
			case unknownFrame:
				return "", 0, false
			case callbackFrame:
				if callback == nil {
					callback = f
				}
			case endFrame:
				if callback != nil { // the whole stack: no log call after it
					return callback.site, callback.ret, true
				}
				return "", 0, false
			}
			prev = f
		}
		if missed != 0 {
			learnFrame(classifyFrame(missed))
		} else if callerFP() == fp0 { // deeper than maxWalkFrames
			return "", 0, false
		}
	}
	return "", 0, false
}

// classifyFrame says what the frame whose return address is ret is, ret
// being one of the physical frames of the current stack: the call site if
// one of its logical frames (the frames inlined into it, innermost first)
// is neither the loggers', logcrumbs', the runtime's nor an autogenerated
// wrapper, as siteIn decides. runtime.CallersFrames gives one logical frame
// per counter, so the logical frames of ret are read from the stack as
// runtime.Callers gives them: ret's innermost frame has ret for counter,
// the frames it is inlined into follow, up to ret's own function.
func classifyFrame(ret uintptr) *frameSite {
	f := &frameSite{ret: ret, kind: unknownFrame}
	fn := runtime.FuncForPC(ret - 1)
	if fn == nil {
		return f
	}
	if fn.Name() == "runtime.goexit" {
		f.kind = endFrame
		return f
	}
	var pcs [128]uintptr
	n := runtime.Callers(1, pcs[:])
	i := slices.Index(pcs[:n], ret)
	entry := fn.Entry()
	outer := runtime.FuncForPC(entry).Name() // the physical frame's function
	if i < 0 {
		// An autogenerated wrapper, which runtime.Callers leaves out; only
		// a wrapper's own frame: one inlined into another function leaves
		// that function's frames on the stack, where its counters are not
		// ret.
		if file, _ := fn.FileLine(ret - 1); file == "<autogenerated>" && fn.Name() == outer {
			f.kind = passFrame
		}
		// The wrapper of a go statement's call (f.gowrap1), which
		// runtime.Callers leaves out too: passed, to the goroutine's end
		// (endFrame), when only callbacks were walked.
		if strings.Contains(outer, ".gowrap") && fn.Name() == outer {
			f.kind = passFrame
		}
		return f
	}
	f.kind = passFrame
	var callee string // the function ret's innermost frame called (see isSite)
	if i > 0 {
		fr, _ := runtime.CallersFrames(pcs[i-1 : i]).Next()
		callee = fr.Function
	}
	for _, pc := range pcs[i:n] {
		// The frames ret's function inlined end at its own, unless
		// runtime.Callers left that one out: an autogenerated wrapper
		// (a promoted method's, a method value's) that inlined a logger's
		// method. Past them the counters are the caller's frames, whose
		// site is not ret's (another caller of the wrapper has another):
		// the wrapper is the loggers', as runtime.Callers sees it.
		if g := runtime.FuncForPC(pc - 1); g == nil || g.Entry() != entry {
			return f
		}
		fr, _ := runtime.CallersFrames([]uintptr{pc}).Next()
		if fr.Function != "" && fr.File != "<autogenerated>" && !isLoggingFrame(fr.Function) && !strings.HasPrefix(fr.Function, "runtime.") {
			f.kind, f.site = siteFrame, fr.File+":"+strconv.Itoa(fr.Line)
			if !isSite(callee) {
				f.kind = callbackFrame
			}
			return f
		}
		callee = fr.Function
		if fr.Function == outer {
			return f
		}
	}
	f.kind = unknownFrame // ret's frames did not end on the stack read
	return f
}
