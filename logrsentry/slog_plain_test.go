package logrsentry_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-logr/logr"
)

// plainSink is a logr sink that is no logr.SlogSink (as stdr, testr or
// logrusr): logr.ToSlogHandler hands it slog records as Info and Error
// calls. It writes each call with its caller, as found by its call depth.
type plainSink struct {
	mu    *sync.Mutex
	out   *strings.Builder
	depth int
	name  string
	kv    []any
}

func (s *plainSink) Init(info logr.RuntimeInfo) { s.depth = info.CallDepth }
func (s *plainSink) Enabled(level int) bool     { return level <= 0 }
func (s *plainSink) Info(level int, msg string, kv ...any) {
	s.write(fmt.Sprintf("V(%d)", level), msg, kv)
}
func (s *plainSink) Error(err error, msg string, kv ...any) {
	s.write(fmt.Sprintf("error(%v)", err), msg, kv)
}

func (s *plainSink) write(what, msg string, kv []any) {
	_, file, line, _ := runtime.Caller(s.depth + 2)
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.out, "%s:%d %s %s %q %v %v\n", filepath.Base(file), line, s.name, what, msg, s.kv, kv)
}

func (s *plainSink) WithValues(kv ...any) logr.LogSink {
	s2 := *s
	s2.kv = append(slices.Clip(s.kv), kv...)
	return &s2
}

func (s *plainSink) WithName(name string) logr.LogSink {
	s2 := *s
	s2.name += "/" + name
	return &s2
}

func (s *plainSink) WithCallDepth(depth int) logr.LogSink {
	s2 := *s
	s2.depth += depth
	return &s2
}

// TestSlogBridgePlainSink: TestSlogBridgeOutputUnchanged for a sink that
// is no logr.SlogSink: logcrumbs keeps the slog records that reach it
// through logr.ToSlogHandler in the trail of the slog call's context, as
// the package says ("keeps slog records in the trail of the slog call's
// context when it carries one, else of the logger's"), not in the
// process-wide fallback trail, where every request's records mix; and the
// sink gets the calls, values and call sites it got without logcrumbs.
func TestSlogBridgePlainSink(t *testing.T) {
	run := func(wrap bool) string {
		var out strings.Builder
		log := logr.New(&plainSink{mu: new(sync.Mutex), out: &out})
		if !wrap {
			slogScript(context.Background(), log)
			return out.String()
		}
		wrappedSlogScript(t, log)
		return out.String()
	}
	without, with := run(false), run(true)
	if without != with {
		t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	if !strings.Contains(without, `"slow" [ctrl pods] [req.ms 900 req.pod.ns default]`) ||
		strings.Contains(without, "cache miss") || !strings.Contains(without, "sink_test.go:") {
		t.Errorf("the sink's output is not what the test expects: %s", without)
	}
}
