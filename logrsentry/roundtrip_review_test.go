package logrsentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// roundTripScript logs directly, through a logger that went to slog and
// back (logr.FromSlogHandler(logr.ToSlogHandler(l)), which calls logr.New,
// and so Init, on the same sink again: klog and controller-runtime make
// such loggers), and directly again.
func roundTripScript(l logr.Logger) {
	l.Info("direct")
	back := logr.FromSlogHandler(logr.ToSlogHandler(l))
	back.Info("round trip")
	back.Error(errors.New("boom"), "round trip error")
	l.Info("direct after")
}

// TestRoundTripOutputUnchanged: funcr, logging its callers, writes the
// same through Wrap or NewSink as without logcrumbs, also for a logger
// that went to slog and back; and the event of such a logger starts at
// the caller's line.
func TestRoundTripOutputUnchanged(t *testing.T) {
	for _, how := range []string{"Wrap", "NewSink"} {
		t.Run(how, func(t *testing.T) {
			run := func(wrap bool) (string, *logcrumbstest.Recorder) {
				var out strings.Builder
				opts := funcr.Options{LogCaller: funcr.All}
				write := func(prefix, args string) { out.WriteString(args + "\n") }
				rec := logcrumbstest.New(t)
				lopts := logrsentry.Options{Options: rec.Options()}
				var l logr.Logger
				switch {
				case !wrap:
					l = funcr.New(write, opts)
				case how == "Wrap":
					l = logrsentry.Wrap(funcr.New(write, opts), lopts)
				default: // a sink no logr.New has initialized: callerSink counts as funcr does
					l = logr.New(logrsentry.NewSink(&callerSink{out: &out}, lopts))
				}
				if !wrap && how == "NewSink" {
					l = logr.New(&callerSink{out: &out})
				}
				_, l = logrsentry.WithContext(rec.Context(context.Background()), l)
				roundTripScript(l)
				return out.String(), rec
			}
			without, _ := run(false)
			with, rec := run(true)
			if without != with {
				t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
			}
			ev := rec.OnlyEvent()
			st := ev.Exception[len(ev.Exception)-1].Stacktrace
			if top := st.Frames[len(st.Frames)-1]; top.Function != "roundTripScript" {
				t.Errorf("the event's stack starts in %s, want roundTripScript", top.Function)
			}
		})
	}
}
