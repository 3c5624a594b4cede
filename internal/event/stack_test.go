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

// TestBridgesAreLoggingFrames: the frames of the common bridges between
// loggers are the logger's, not the call site's, so that records logged
// through them keep their callers' sites apart.
func TestBridgesAreLoggingFrames(t *testing.T) {
	for _, fn := range []string{
		"github.com/go-logr/zapr.(*zapLogger).Error",
		"github.com/go-logr/zerologr.(*LogSink).Error",
		"github.com/go-logr/logr/funcr.Formatter.FormatError",
		"github.com/bombsimon/logrusr/v4.(*logrusr).Error",
		"go.uber.org/zap/exp/zapslog.(*Handler).Handle",
		"github.com/samber/slog-zap/v2.(*ZapHandler).Handle",
		"github.com/samber/slog-multi.(*FanoutHandler).Handle",
		"k8s.io/klog/v2.ErrorS",
		// go-logr's bridge to the log package (slog's default behind it),
		// and the first major versions of logrusr and samber's handlers,
		// whose module paths have no /vN.
		"github.com/go-logr/stdr.logger.Error",
		"github.com/bombsimon/logrusr.(*logrusr).Error",
		"github.com/samber/slog-zap.(*ZapHandler).Handle",
		"github.com/samber/slog-zerolog.(*ZerologHandler).Handle",
		"github.com/samber/slog-logrus.(*LogrusHandler).Handle",
	} {
		if !isLoggingFrame(fn) {
			t.Errorf("%s is taken for a call site", fn)
		}
	}
	for _, fn := range []string{"main.main", "github.com/go-logr/zaprx.F", "github.com/go-logr/stdrx.F", "github.com/samber/slog-zapx.F", "go.uber.org/zapper.F", "example.com/app/log.Error"} {
		if isLoggingFrame(fn) {
			t.Errorf("%s is taken for a logger's frame", fn)
		}
	}
}
