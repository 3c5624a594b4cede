package logrsentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// callerSink is a sink as funcr is built: it counts the depth Init and
// WithCallDepth give it and writes the function that called logr.
type callerSink struct {
	depth int
	out   *strings.Builder
}

func (s *callerSink) Init(info logr.RuntimeInfo) { s.depth += info.CallDepth }

func (s *callerSink) Enabled(int) bool { return true }

func (s *callerSink) Info(_ int, msg string, _ ...any) {
	pc, _, _, _ := runtime.Caller(s.depth + 1)
	fmt.Fprintf(s.out, "%s from %s\n", msg, runtime.FuncForPC(pc).Name())
}

func (s *callerSink) Error(_ error, msg string, _ ...any) {
	pc, _, _, _ := runtime.Caller(s.depth + 1)
	fmt.Fprintf(s.out, "%s from %s\n", msg, runtime.FuncForPC(pc).Name())
}

func (s *callerSink) WithValues(...any) logr.LogSink { return s }

func (s *callerSink) WithName(string) logr.LogSink { return s }

func (s *callerSink) WithCallDepth(d int) logr.LogSink {
	s2 := *s
	s2.depth += d
	return &s2
}

// TestNewSinkTellsNextItsDepth: a sink given to NewSink, then to logr.New,
// names the same callers as given to logr.New alone.
func TestNewSinkTellsNextItsDepth(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		var s logr.LogSink = &callerSink{out: &out}
		if wrap {
			s = logrsentry.NewSink(s, logrsentry.Options{Options: logcrumbstest.New(t).Options()})
		}
		log := logr.New(s)
		log.Info("direct")
		log.Error(nil, "error")
		logHelper(log, "helper")
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with || !strings.Contains(without, "error from github.com/logcrumbs/logcrumbs/logrsentry_test.TestNewSinkTellsNextItsDepth.func1") {
		t.Errorf("output differs or names the wrong caller:\nwithout: %s\nwith:    %s", without, with)
	}
}

// failVia logs an error through a helper, with WithCallDepth or with
// WithCallStackHelper.
func failVia(log logr.Logger, stackHelper bool, err error) {
	if stackHelper {
		helper, log := log.WithCallStackHelper()
		helper()
		log.Error(err, "payment declined")
		return
	}
	log.WithCallDepth(1).Error(err, "payment declined")
}

// TestCallDepthIsTheTopFrameAndCallSite: errors of the same text logged
// through a helper from two call sites are two events (dedupe on), and each
// event's stack starts in the function that called the helper, not in the
// helper, logr or logcrumbs; the same call site twice is one event.
func TestCallDepthIsTheTopFrameAndCallSite(t *testing.T) {
	for _, viaHelper := range []bool{false, true} {
		t.Run(fmt.Sprint("WithCallStackHelper=", viaHelper), func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			base := logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: opts}))
			fail := func() {
				_, log := logrsentry.WithContext(rec.Context(context.Background()), base)
				failVia(log, viaHelper, errors.New("card expired "+t.Name()))
			}
			_, log := logrsentry.WithContext(rec.Context(context.Background()), base)
			failVia(log, viaHelper, errors.New("card expired "+t.Name())) // call site 1
			for range 2 {
				fail() // call site 2, twice: one event
			}
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2 (two call sites)", len(evs))
			}
			for i, want := range []string{"TestCallDepthIsTheTopFrameAndCallSite.func1", "TestCallDepthIsTheTopFrameAndCallSite.func1.1"} {
				st := evs[i].Exception[len(evs[i].Exception)-1].Stacktrace
				if st == nil || len(st.Frames) == 0 {
					t.Fatalf("event %d has no stack", i)
				}
				if top := st.Frames[len(st.Frames)-1]; top.Module != "github.com/logcrumbs/logcrumbs/logrsentry_test" || top.Function != want {
					t.Errorf("event %d's stack starts in %s.%s, want %s", i, top.Module, top.Function, want)
				}
			}
		})
	}
}

// TestRoundTripSlogBackendSourceUnchanged: a logr logger backed by a slog
// handler (logr.FromSlogHandler, whose sink sets, not adds, the depth Init
// gives it) writes the same source lines through Wrap or NewSink as
// without logcrumbs, also after a logger went to slog and back (which
// calls Init on logcrumbs' sink again), and for the original logger after.
func TestRoundTripSlogBackendSourceUnchanged(t *testing.T) {
	for _, how := range []string{"Wrap", "NewSink"} {
		t.Run(how, func(t *testing.T) {
			run := func(wrap bool) string {
				var buf bytes.Buffer
				h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{AddSource: true})
				l := logr.FromSlogHandler(h)
				if wrap {
					rec := logcrumbstest.New(t)
					lopts := logrsentry.Options{Options: rec.Options()}
					if how == "Wrap" {
						l = logrsentry.Wrap(l, lopts)
					} else {
						l = logr.New(logrsentry.NewSink(l.GetSink(), lopts))
					}
					_, l = logrsentry.WithContext(rec.Context(context.Background()), l)
				}
				roundTripScript(l)
				var lines []string
				for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
					var r struct {
						Msg    string
						Source struct {
							File string
							Line int
						}
					}
					if err := json.Unmarshal([]byte(line), &r); err != nil {
						t.Fatal(err)
					}
					lines = append(lines, r.Msg+" at "+filepath.Base(r.Source.File))
				}
				return strings.Join(lines, "; ")
			}
			without, with := run(false), run(true)
			if without != with {
				t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
			}
		})
	}
}

// TestRoundTripSlogBackendNoRace: a slog-backed logger (logr.FromSlogHandler)
// goes to slog and back while other goroutines log through it: logcrumbs
// writes nothing they read (run with -race), as without logcrumbs, where
// logr.ToSlogHandler unwraps the handler.
func TestRoundTripSlogBackendNoRace(t *testing.T) {
	rec := logcrumbstest.New(t)
	h := slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{AddSource: true})
	l := logrsentry.Wrap(logr.FromSlogHandler(h), logrsentry.Options{Options: rec.Options()})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					l.Info("busy")
				}
			}
		}()
	}
	for range 50 {
		logr.FromSlogHandler(logr.ToSlogHandler(l)).Info("round trip")
	}
	close(stop)
	wg.Wait()
}

// setDepthSink is callerSink with an Init that sets the depth, as logr's
// FromSlogHandler sink does, rather than adding to it.
type setDepthSink struct{ callerSink }

func (s *setDepthSink) Init(info logr.RuntimeInfo) { s.depth = info.CallDepth }

func (s *setDepthSink) WithCallDepth(d int) logr.LogSink {
	s2 := *s
	s2.depth += d
	return &s2
}

// TestRoundTripSetDepthSinkUnchanged: a sink whose Init sets its depth
// names the same callers through Wrap or NewSink as without logcrumbs, also
// for a logger that went to slog and back.
func TestRoundTripSetDepthSinkUnchanged(t *testing.T) {
	for _, how := range []string{"Wrap", "NewSink"} {
		t.Run(how, func(t *testing.T) {
			run := func(wrap bool) string {
				var out strings.Builder
				l := logr.New(&setDepthSink{callerSink{out: &out}})
				if wrap {
					rec := logcrumbstest.New(t)
					lopts := logrsentry.Options{Options: rec.Options()}
					if how == "Wrap" {
						l = logrsentry.Wrap(l, lopts)
					} else {
						l = logr.New(logrsentry.NewSink(&setDepthSink{callerSink{out: &out}}, lopts))
					}
				}
				roundTripScript(l)
				return out.String()
			}
			without, with := run(false), run(true)
			if without != with {
				t.Errorf("output differs:\nwithout: %s\nwith:    %s", without, with)
			}
		})
	}
}
