package escalate

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

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
	"github.com/getsentry/sentry-go.",
	"log/slog.",
	"golang.org/x/exp/slog.",
	"go.uber.org/zap.",
	"go.uber.org/zap/zapcore.",
	"github.com/rs/zerolog.",
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

// hasJoinedPrefix reports whether a+"."+b begins with p.
func hasJoinedPrefix(a, b, p string) bool {
	if len(p) <= len(a) {
		return strings.HasPrefix(a, p)
	}
	return strings.HasPrefix(p, a) && p[len(a)] == '.' && strings.HasPrefix(b, p[len(a)+1:])
}

// callerStacktrace returns the current goroutine's stack from the caller's
// log call down, oldest frame first as Sentry wants it, or nil.
func callerStacktrace() *sentry.Stacktrace {
	pcs := make([]uintptr, 100)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var out []sentry.Frame
	top := true
	for {
		f, more := frames.Next()
		if top && isLoggingFrame(f.Function) {
			if !more {
				break
			}
			continue
		}
		top = false
		out = append(out, sentry.NewFrame(f))
		if !more {
			break
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.Reverse(out)
	return &sentry.Stacktrace{Frames: out}
}

// trimLoggingFrames drops the frames of the loggers and logcrumbs from the
// top (the end) of st, so that a stack sentry-go took inside logcrumbs
// starts where the caller logged. A stack extracted from an error has no
// such frames on top and is left as it is.
func trimLoggingFrames(st *sentry.Stacktrace) {
	if st == nil {
		return
	}
	n := len(st.Frames)
	for n > 0 && isLoggingFrameOf(st.Frames[n-1].Module, st.Frames[n-1].Function) {
		n--
	}
	if n > 0 { // never leave an empty stack
		st.Frames = st.Frames[:n]
	}
}

// callSite returns "file:line" of the caller's log call (or of a panic),
// the first frame outside the loggers, logcrumbs and the runtime, or "".
//
// It is asked on every event, suppressed repeats included, so the answer
// for the innermost frames' program counters is remembered: finding a
// frame's file and line was a tenth of the event path.
func callSite() string {
	var key siteKey
	n := runtime.Callers(2, key[:])
	if site, ok := sites.get(key); ok {
		return site
	}
	site, found := siteIn(key[:n])
	if !found && n == len(key) { // deeper than the key: look further, uncached
		var pcs [128]uintptr
		site, _ = siteIn(pcs[:runtime.Callers(2, pcs[:])])
		return site
	}
	// Cached: the site was among these pcs, or they are the whole stack.
	sites.put(key, site)
	return site
}

// siteIn returns the call site among pcs, and whether there was one.
func siteIn(pcs []uintptr) (string, bool) {
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if f.Function != "" && !isLoggingFrame(f.Function) && !strings.HasPrefix(f.Function, "runtime.") {
			return f.File + ":" + strconv.Itoa(f.Line), true
		}
		if !more {
			return "", false
		}
	}
}

// siteKey is the innermost program counters of a log call's stack: the same
// counters always lead to the same call site.
type siteKey [24]uintptr

// sites remembers call sites by siteKey, up to maxSites of them (a program
// logs errors from a few hundred places); past that, sites are found anew.
var sites siteCache

const maxSites = 4096

type siteCache struct {
	mu sync.RWMutex
	m  map[siteKey]string
}

func (c *siteCache) get(k siteKey) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.m[k]
	return s, ok
}

func (c *siteCache) put(k siteKey, site string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[siteKey]string)
	}
	if len(c.m) < maxSites {
		c.m[k] = site
	}
}
