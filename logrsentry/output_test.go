package logrsentry_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// secret is a logr.Marshaler that hides its value, as logr's own example
// of MarshalLog does.
type secret string

func (secret) MarshalLog() any { return "(hidden)" }

// logHelper logs through WithCallDepth, as a logging helper should.
func logHelper(log logr.Logger, msg string) { log.WithCallDepth(1).Info(msg, "via", "depth") }

// stackHelper logs through WithCallStackHelper.
func stackHelper(log logr.Logger, msg string) {
	helper, log := log.WithCallStackHelper()
	helper()
	log.Info(msg, "via", "helper")
}

// script is what a program logs through one logger: names, With values, V
// levels, odd and non-string keys, nil and real errors, a Marshaler, call
// depth. Both loggers log from the same lines, so that call sites match.
func script(log logr.Logger) {
	log = log.WithName("ctrl").WithValues("ns", "default", "n", 3)
	log.Info("reconciling", "attempt", 2, "took", 1500*time.Millisecond, "pw", secret("hunter2"))
	log.V(1).Info("cache miss", "key", "pods/x")
	log.V(2).Info("very verbose", "bytes", 512)
	log.WithName("sub").Info("odd list", "a", 1, "dangling")
	log.Info("non-string key", 42, "v", "k", "w")
	logHelper(log, "from a depth helper")
	stackHelper(log, "from a stack helper")
	log.Error(nil, "nil error", "k", "v")
	log.Error(fmt.Errorf("save: %w", errors.New("disk full")), "save failed", "pod", "x")
}

// TestUserSinkOutputUnchanged: funcr, logging its callers (file, line and
// function), writes byte for byte the same through Wrap, bound to a
// request or not, as without logcrumbs: names, values, V levels, odd lists,
// errors, and the call sites of helpers that use WithCallDepth and
// WithCallStackHelper.
func TestUserSinkOutputUnchanged(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		log := funcr.NewJSON(func(obj string) { out.WriteString(obj + "\n") },
			funcr.Options{Verbosity: 1, LogCaller: funcr.All, LogCallerFunc: true})
		if wrap {
			rec := logcrumbstest.New(t)
			log = logrsentry.Wrap(log, logrsentry.Options{Options: rec.Options()})
			script(log)
			_, bound := logrsentry.WithContext(rec.Context(context.Background()), log)
			script(bound)
			if n := len(rec.Events()); n != 4 { // two per script: the nil error's message event and "save failed"
				t.Errorf("%d events, want 4", n)
			}
		} else {
			script(log)
			script(log)
		}
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with {
		t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	for _, want := range []string{
		`"logger":"ctrl/sub"`, `"<non-string-key: 42>":"v"`, `"dangling":"<no-value>"`, `"error":null`,
		`"pw":"(hidden)"`, `"function":"github.com/logcrumbs/logcrumbs/logrsentry_test.script"`,
	} {
		if !strings.Contains(without, want) {
			t.Errorf("funcr's output lacks %s (the script is not what the test thinks): %s", want, without)
		}
	}
	if strings.Contains(without, "very verbose") || strings.Contains(without, "logHelper") || strings.Contains(without, "stackHelper") {
		t.Errorf("funcr's output has V(2) or a helper's frame: %s", without)
	}
}

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
