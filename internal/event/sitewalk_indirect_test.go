package event

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"testing"
)

// siteProbe is logcrumbs' end of a log call (this package's frames are
// logcrumbs'): as a slog.Handler a logger calls it, as an io.Writer a
// writer of the program's does; each asks walkSite and runtime.Callers'
// frames (siteIn) for the call site.
type siteProbe struct {
	walked, want string
	ok           bool
}

func (p *siteProbe) ask() {
	p.walked, _, p.ok = walkSite()
	var pcs [256]uintptr
	p.want, _ = siteIn(pcs[:runtime.Callers(1, pcs[:])])
}

func (p *siteProbe) Write(b []byte) (int, error)              { p.ask(); return len(b), nil }
func (p *siteProbe) Enabled(context.Context, slog.Level) bool { return true }
func (p *siteProbe) Handle(context.Context, slog.Record) error {
	p.ask()
	return nil
}
func (p *siteProbe) WithAttrs([]slog.Attr) slog.Handler { return p }
func (p *siteProbe) WithGroup(string) slog.Handler      { return p }

// TestWalkSiteAgreesThroughIndirectCalls: a frame that calls through an
// interface (fmt.Fprint's w.Write) calls a logger on one stack (a
// *log.Logger's writer of slog's: the log call) and a writer of the
// program's on another (a callback then, see isSite): the walk, which
// learns what a return address's frame is once, finds the site
// runtime.Callers finds on both, in either order.
func TestWalkSiteAgreesThroughIndirectCalls(t *testing.T) {
	p := &siteProbe{}
	toLogger := slog.NewLogLogger(p, slog.LevelError).Writer() // slog's handlerWriter: a logger's
	toProgram := io.MultiWriter(p)                             // io's frame: the program's, calling logcrumbs
	for i, w := range []io.Writer{toLogger, toProgram, toLogger, toProgram} {
		fmt.Fprint(w, "x")
		if p.ok && p.walked != p.want {
			t.Errorf("write %d (%T): walkSite found %q, runtime.Callers %q", i, w, p.walked, p.want)
		}
	}
}
