package event

import (
	"runtime"
	"strings"
	"testing"
)

func TestHasJoinedPrefix(t *testing.T) {
	parts := []string{"", ".", "go", "go.uber.org/zap", "go.uber.org/zap/zapcore", "log/slog", "Logger.Info",
		"(*Logger).log", "github.com/logcrumbs/logcrumbs", "github.com/logcrumbs/logcrumbs/internal/buffer", "main"}
	prefixes := append([]string{"go.", "log/slog.L", "main.main"}, loggingPackages...)
	for _, a := range parts {
		for _, b := range parts {
			for _, p := range prefixes {
				want := strings.HasPrefix(a+"."+b, p)
				if got := hasJoinedPrefix(a, b, p); got != want {
					t.Errorf("hasJoinedPrefix(%q, %q, %q) = %v, want %v", a, b, p, got, want)
				}
			}
			if got, want := isLoggingFrameOf(a, b), isLoggingFrame(a+"."+b); got != want {
				t.Errorf("isLoggingFrameOf(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestCallSiteDeepStacks: callSite and LogCallSite walk the frames (see
// walkSite), and runtime.Callers reads a window of the stack that widens
// when the site lies past it, and past its key looks further uncached: at
// every depth, each asked twice (the second time from its cache), they find
// the site a whole stack gives. This package's frames are logcrumbs' own,
// so the site is the test runner's frame (past maxWalkFrames at depth 40:
// runtime.Callers then).
func TestCallSiteDeepStacks(t *testing.T) {
	for _, depth := range []int{1, 8, 14, 20, 30, 40} {
		var got [6]string
		var want string
		var nest func(int)
		nest = func(d int) {
			if d > 0 {
				nest(d - 1)
				return
			}
			for i := range got {
				switch i / 2 {
				case 0:
					got[i] = callSite(0)
				case 1:
					got[i] = LogCallSite().Text
				default:
					got[i] = siteByCallers(2, &siteWindow)
				}
			}
			var pcs [256]uintptr
			want, _ = siteIn(pcs[:runtime.Callers(1, pcs[:])])
		}
		nest(depth)
		if want == "" || got != [6]string{want, want, want, want, want, want} {
			t.Errorf("depth %d: call sites %q, want %q", depth, got, want)
		}
	}
}
