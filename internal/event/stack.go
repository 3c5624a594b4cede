package event

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getsentry/sentry-go"
)

// loggingPackages are the function-name prefixes of the frames between the
// caller's log call and this package: the loggers and logcrumbs itself. They
// are dropped from the top of a stack trace, so that it starts where the
// caller logged.
var loggingPackages = []string{
	"github.com/logcrumbs/logcrumbs.",
	"github.com/logcrumbs/logcrumbs/internal/",
	"github.com/logcrumbs/logcrumbs/slogsentry.",
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog.",
	"github.com/logcrumbs/logcrumbs/zapsentry.",
	"github.com/logcrumbs/logcrumbs/zerologsentry.",
	"github.com/logcrumbs/logcrumbs/logrussentry.",
	"github.com/logcrumbs/logcrumbs/logrsentry.",
	"github.com/getsentry/sentry-go.",
	// The loggers' own packages from here on (see loggerPackages).
	"log/slog.",
	"log.", // the log package, through slog.NewLogLogger or slog's default
	"golang.org/x/exp/slog.",
	"go.uber.org/zap.",
	"go.uber.org/zap/zapcore.",
	"github.com/rs/zerolog.",
	"github.com/go-logr/logr.",
	"github.com/rs/zerolog/log.",
	"github.com/sirupsen/logrus.",
	// Bridges from one logger's API to another's handler, core or sink: a
	// record logged through them, without a program counter of its own
	// (zap without AddCaller), would otherwise have the bridge's frame
	// for its call site, the same for every record, and deduplication
	// would take different errors of one type for one bug.
	"github.com/go-logr/logr/",
	"github.com/go-logr/zapr.",
	"github.com/go-logr/zerologr.",
	"github.com/go-logr/stdr.",
	"github.com/bombsimon/logrusr.", // v1's path; /v2 on below
	"github.com/bombsimon/logrusr/",
	"go.uber.org/zap/exp/zapslog.",
	"github.com/samber/slog-zap.", // v1 (golang.org/x/exp/slog); /v2 on below
	"github.com/samber/slog-zap/",
	"github.com/samber/slog-zerolog.",
	"github.com/samber/slog-zerolog/",
	"github.com/samber/slog-logrus.",
	"github.com/samber/slog-logrus/",
	"github.com/samber/slog-multi.",
	"k8s.io/klog/v2.",
}

// loggerPackages are the loggingPackages of the loggers themselves (and
// the bridges between them), not logcrumbs' or sentry-go's: a frame of
// the program's called from one of them (a writer of the program's in
// front of zerologsentry's Writer, a zap core or slog handler of its own
// around an integration's) is the logger calling back into the program,
// not the program's log call (see isSite).
var loggerPackages = loggingPackages[slices.Index(loggingPackages, "log/slog."):]

// isLoggerFrame reports whether function is one of loggerPackages'.
func isLoggerFrame(function string) bool {
	for _, p := range loggerPackages {
		if strings.HasPrefix(function, p) {
			return true
		}
	}
	return false
}

// isSite reports whether a frame of function, neither the loggers',
// logcrumbs' nor the runtime's (isProgramFrame), that called a frame of
// callee (the frame before it on the stack), may be a log call: it called
// a logger. Otherwise (it called logcrumbs, or a function of the
// program's that did) it is a callback of the logger's, which every
// record the logger writes to it passes through, and the log call is
// further out; it is the call site only when no frame further out called
// a logger (a program that calls an integration itself: Writer.Write, a
// diode's goroutine). Keyed by callbacks, the records of every log call
// would be one for deduplication, and their events' stacks would start in
// the callback.
//
// A frame that called a logger is the log call unless a logger called it
// (isLoggerFrame of its caller, the frame after it on the stack): a frame
// called by a logger is a callback, whatever it calls (a writer of the
// program's in front of a zerolog.MultiLevelWriter, a core of the
// program's around a zapcore.NewTee, a zerolog hook or a slog handler of
// the program's that logs to another logger): the site is where the
// program logged, further out (siteIn, callerFrames, trimLoggingFramesBy
// and the walk's classifyFrame look one frame ahead for it).
//
// A frame that called the runtime is the site, as it was before callbacks
// were told apart: a panic's (runtime.gopanic, sigpanic), or a deferred
// call's.
func isSite(callee string) bool {
	return isLoggerFrame(callee) || strings.HasPrefix(callee, "runtime.")
}

// isProgramFrame reports whether a frame of function is the program's:
// neither the loggers', logcrumbs', nor the runtime's.
func isProgramFrame(function string) bool {
	return function != "" && !isLoggingFrame(function) && !strings.HasPrefix(function, "runtime.")
}

func isLoggingFrame(function string) bool {
	for _, p := range loggingPackages {
		if strings.HasPrefix(function, p) {
			return true
		}
	}
	return false
}

// isLoggingFrameOf is isLoggingFrame(module+"."+function), sentry-go's split
// of a function name, without building that string: it is asked of the
// frames of every event's stack.
func isLoggingFrameOf(module, function string) bool {
	for _, p := range loggingPackages {
		if hasJoinedPrefix(module, function, p) {
			return true
		}
	}
	return false
}

// isLoggerFrameOf is isLoggerFrame(module+"."+function), as
// isLoggingFrameOf is isLoggingFrame's.
func isLoggerFrameOf(module, function string) bool {
	for _, p := range loggerPackages {
		if hasJoinedPrefix(module, function, p) {
			return true
		}
	}
	return false
}

// hasJoinedPrefix reports whether a+"."+b begins with p.
func hasJoinedPrefix(a, b, p string) bool {
	if len(p) <= len(a) {
		return strings.HasPrefix(a, p)
	}
	return strings.HasPrefix(p, a) && p[len(a)] == '.' && strings.HasPrefix(b, p[len(a)+1:])
}

// callerStacktrace returns the current goroutine's stack from the caller's
// log call down, oldest frame first as Sentry wants it, or nil. A non-zero
// pc is the log call's program counter, as the logger recorded it (slog's
// Record.PC, zap's caller): the stack starts at its frame, so that a
// wrapper around the logger is not taken for the caller; a record handled
// on another goroutine, whose stack does not hold pc, gets pc's frame alone.
// With pc zero the stack starts at the first frame outside the loggers.
//
// The frames are worked out once per stack (its program counters and pc,
// see callerStacks) and copied for each event, which may change them.
func callerStacktrace(pc uintptr) *sentry.Stacktrace {
	var pcs [100]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := callerStacks.lookup(pc, pcs[:n], callerFrames)
	if frames == nil {
		return nil
	}
	return &sentry.Stacktrace{Frames: slices.Clone(frames)}
}

// callerStacks remembers callerStacktrace's frames by program counters.
var callerStacks stackCache

// callerFrames is what callerStacktrace makes of pcs, its caller's stack:
// nil for no stack.
func callerFrames(pcs []uintptr, pc uintptr) []sentry.Frame {
	var at runtime.Frame
	if pc != 0 {
		at = frameOf(pc)
	}
	frames := runtime.CallersFrames(pcs)
	var out []sentry.Frame
	top := true
	// searching: without pc, the log call (see isSite) is not found yet;
	// the stack starts at the first frame outside the loggers unless one
	// after it is. cand is the index in out of a frame that called a
	// logger, the log call unless a logger called it (the next frame),
	// -1 for none.
	searching, cand := false, -1
	var callee string
	for {
		f, more := frames.Next()
		if top {
			skip := isLoggingFrame(f.Function)
			if pc != 0 { // pc may be a return address or a call's own: match lines
				skip = f.Function != at.Function || f.Line != at.Line
			}
			if skip {
				callee = f.Function
				if !more {
					break
				}
				continue
			}
			if pc == 0 {
				searching = true
				// The log call is the program's (siteIn): not the
				// runtime's panic that ran a deferred logger's method.
				if isProgramFrame(f.Function) && isSite(callee) {
					cand = 0
				}
			}
		} else if searching {
			if cand >= 0 {
				if !isLoggerFrame(f.Function) { // the log call: the stack starts there
					out, searching = out[cand:], false
				}
				cand = -1
			}
			if searching && isProgramFrame(f.Function) && isSite(callee) {
				cand = len(out)
			}
		}
		top = false
		callee = f.Function
		out = append(out, sentry.NewFrame(f))
		if !more {
			break
		}
	}
	if searching && cand >= 0 { // the stack ended after it
		out = out[cand:]
	}
	if len(out) == 0 {
		if pc != 0 { // handled on another goroutine
			return []sentry.Frame{sentry.NewFrame(at)}
		}
		return nil
	}
	slices.Reverse(out)
	return out
}

// trimLoggingFrames drops the frames of the loggers and logcrumbs from the
// top (the end) of st, so that a stack sentry-go took inside logcrumbs
// starts where the caller logged, and with a non-zero pc (see
// callerStacktrace) the frames above pc's. A stack extracted from an error
// has no such frames on top and is left as it is.
func trimLoggingFrames(st *sentry.Stacktrace, pc uintptr) { trimLoggingFramesBy(st, pc, nil) }

// siteLinks is what the whole stack says of one frame of a stack that
// leaves some out (sentry-go's leaves out the runtime's): whether the
// function it called is a logger's or the runtime's (isSite), and whether
// a logger's called it.
type siteLinks struct{ calleeSite, loggerCaller bool }

// trimLoggingFramesBy is trimLoggingFrames, with links, when not nil, for
// each frame of st (see siteLinks), else what st's own frames say: a frame
// that called runtime.Goexit, under which a deferred callback logged, is
// the log call only by the frames st left out.
func trimLoggingFramesBy(st *sentry.Stacktrace, pc uintptr, links []siteLinks) {
	if st == nil {
		return
	}
	n := len(st.Frames)
	if n == 0 || !isLoggingFrameOf(st.Frames[n-1].Module, st.Frames[n-1].Function) {
		return // the error's own stack
	}
	for n > 0 && isLoggingFrameOf(st.Frames[n-1].Module, st.Frames[n-1].Function) {
		n--
	}
	if pc == 0 && n > 0 {
		// The stack starts at the log call (see isSite): the first frame
		// outside the loggers that called a logger (or the runtime) and
		// that no logger called, else at the top frame left, a callback.
		for j := n - 1; j >= 0; j-- {
			if isLoggingFrameOf(st.Frames[j].Module, st.Frames[j].Function) {
				continue
			}
			var site bool
			if links != nil {
				site = links[j].calleeSite && !links[j].loggerCaller
			} else {
				site = isLoggerFrameOf(st.Frames[j+1].Module, st.Frames[j+1].Function) &&
					(j == 0 || !isLoggerFrameOf(st.Frames[j-1].Module, st.Frames[j-1].Function))
			}
			if site {
				n = j + 1
				break
			}
		}
	}
	if pc != 0 {
		f := frameOf(pc)
		j := n - 1
		for j >= 0 && !isFrame(st.Frames[j], f) {
			j--
		}
		if j < 0 { // handled on another goroutine
			st.Frames = []sentry.Frame{sentry.NewFrame(f)}
			return
		}
		n = j + 1
	}
	if n > 0 { // never leave an empty stack
		st.Frames = st.Frames[:n]
	}
}

// frameOf returns the frame of one program counter (a log call's: a
// program has a few hundred), remembered, since finding it allocates.
func frameOf(pc uintptr) runtime.Frame {
	if f, ok := pcFrames.get(pc); ok {
		return f
	}
	f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	pcFrames.put(pc, f)
	return f
}

// pcFrames remembers the frames of log calls' program counters.
var pcFrames cache[uintptr, runtime.Frame]

// isFrame reports whether sf, a frame sentry-go made, is f.
func isFrame(sf sentry.Frame, f runtime.Frame) bool {
	return sf.Lineno == f.Line &&
		len(sf.Module)+1+len(sf.Function) == len(f.Function) && hasJoinedPrefix(sf.Module, sf.Function, f.Function)
}

// callSite returns "file:line" of the caller's log call (or of a panic),
// the first frame outside the loggers, logcrumbs and the runtime that
// called a logger (see isSite), else the first outside them, or "".
//
// It is asked on every event, suppressed repeats included, so the answer
// for the innermost frames' program counters is remembered: finding a
// frame's file and line was a tenth of the event path. Without pc, reading
// those counters (runtime.Callers, which pays for every frame it reads,
// about 80 ns each) was then 40% of a skipped repeat: it reads a window of
// them (siteWindow), not the whole key, and the window is no wider than the
// deepest call site seen needs, since every frame read past the site is
// paid for nothing.
func callSite(pc uintptr) string {
	if pc != 0 { // the log call's own counter (see callerStacktrace)
		if site, ok := pcSites.get(pc); ok {
			return site
		}
		f := frameOf(pc)
		site := f.File + ":" + strconv.Itoa(f.Line)
		pcSites.put(pc, site)
		return site
	}
	site, _ := siteFrom(3, &siteWindow) // from callSite's caller
	return site
}

// LogCallSite is callSite(0) for a record its caller, a few frames above
// the log call, is handling: an integration's core, which finds the site
// for the event path before it goes deeper (escalate, the key), so that
// runtime.Callers, when the frames are not walked (see walkSite), reads
// fewer frames, with a window of its own (coreSiteWindow). It is inlined:
// its caller is the first frame read. With the site it returns the return
// address of the frame that holds it when the frames were walked, else 0:
// the same address always has the same site (see Site).
func LogCallSite() Site {
	text, ret := siteFrom(3, &coreSiteWindow)
	return Site{Text: text, Ret: ret}
}

// Site is a record's call site, found by its integration's core for a
// record without a program counter (LogCallSite): its "file:line", and,
// when not 0, the return address of the physical frame that holds it,
// which always leads to the same site (what policy.RecordID needs).
type Site struct {
	Text string
	Ret  uintptr
}

// siteFrom is callSite without a pc, from the skip-th frame (as
// runtime.Callers counts, from siteFrom) and with the window win, unless
// walkSite finds it by frame pointers; ret is then the return address of
// the frame that holds it.
func siteFrom(skip int, win *atomic.Int32) (site string, ret uintptr) {
	if site, ret, ok := walkSite(); ok {
		return site, ret
	}
	return siteByCallers(skip+1, win), 0
}

// siteByCallers is siteFrom by runtime.Callers.
func siteByCallers(skip int, win *atomic.Int32) string {
	// The key is the first w counters, zero after them: the same counters
	// always lead to the same site, whatever w read them, when the site is
	// among them or they are the whole stack (what is cached).
	w := max(int(win.Load()), 1)
	var key siteKey
	n := runtime.Callers(skip, key[:w])
	if site, ok := sites.get(key); ok {
		return site
	}
	pcs := key // siteIn's frames keep their slice: a copy, so that key stays on the stack when cached
	site, at := siteIn(pcs[:n])
	if at >= 0 || n < w {
		sites.put(key, site)
		return site
	}
	// The stack goes on past the window: look further, uncached, and widen
	// the window, from now on, to where this site lies (up to the whole
	// key; a site deeper than that is always looked for so).
	var deep [128]uintptr
	site, at = siteIn(deep[:runtime.Callers(skip, deep[:])])
	widenSiteWindow(win, min(max(at+2, w+1), len(key))) // the site's frame and its caller's
	return site
}

// siteWindow is how many program counters callSite reads without a pc:
// from minSiteWindow, widened process-wide (widenSiteWindow) to the deepest
// call site seen. From callSite's caller to the log call, an integration's
// stack is 8 (zap) to 11 (logrus, zerolog's writer) frames deep.
// coreSiteWindow is LogCallSite's, from an integration's core: 5 (zap) to
// 9 (zerolog's writer, from event; two fewer from a repeat skipped through
// core.Core.SkipEncoded).
var siteWindow, coreSiteWindow atomic.Int32

func init() {
	siteWindow.Store(minSiteWindow)
	coreSiteWindow.Store(minCoreSiteWindow)
}

// minSiteWindow is siteWindow's first width: the frames of logcrumbs
// between callSite and any integration's entry point, and one more;
// minCoreSiteWindow is coreSiteWindow's.
const (
	minSiteWindow     = 8
	minCoreSiteWindow = 4
)

// widenSiteWindow widens win to w, unless it is wider already.
func widenSiteWindow(win *atomic.Int32, w int) {
	for {
		cur := win.Load()
		if int(cur) >= w || win.CompareAndSwap(cur, int32(w)) {
			return
		}
	}
}

// siteIn returns the call site among pcs, and its index in frames (its
// caller's frame, which decides it, is among pcs too), or -1 when it did
// not find one that called a logger and that no logger called (see
// isSite): with the first callback, if any, which is the call site when
// pcs are the whole stack (else the caller reads further), or the last
// frame of pcs when it called a logger and its caller is not among them.
func siteIn(pcs []uintptr) (string, int) {
	frames := runtime.CallersFrames(pcs)
	var callee, callback, cand string
	for i := 0; ; i++ {
		f, more := frames.Next()
		if cand != "" {
			if !isLoggerFrame(f.Function) {
				return cand, i - 1
			}
			cand = "" // a logger called it: a callback
		}
		if isProgramFrame(f.Function) {
			site := f.File + ":" + strconv.Itoa(f.Line)
			if isSite(callee) {
				cand = site
			}
			if callback == "" {
				callback = site
			}
		}
		callee = f.Function
		if !more {
			if cand != "" {
				return cand, -1
			}
			return callback, -1
		}
	}
}

// siteKey is the innermost program counters of a log call's stack: the same
// counters always lead to the same call site.
type siteKey [24]uintptr

// sites remembers call sites by siteKey; pcSites by the log call's program
// counter, when the logger gives one (a key of one word hashes faster than
// a siteKey).
var (
	sites   cache[siteKey, string]
	pcSites cache[uintptr, string]
)

// maxSites bounds each cache: a program logs errors from a few hundred
// places; past the bound, answers are found anew.
const maxSites = 4096

// cache is a map of answers worked out once, up to maxSites of them, safe
// for concurrent use.
type cache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (c *cache[K, V]) get(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *cache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[K]V)
	}
	if len(c.m) < maxSites {
		c.m[k] = v
	}
}
