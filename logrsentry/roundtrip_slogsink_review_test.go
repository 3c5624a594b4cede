package logrsentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

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
