package zerologsentry_test

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// syncBuffer is a bytes.Buffer safe for concurrent writes, as a log file is.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLogger returns a Debug logger writing JSON to out, with the hook
// sending to the returned transport.
func newLogger(t *testing.T, opts zerologsentry.Options, out *syncBuffer) (zerolog.Logger, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts.Hub = hub
	if out == nil {
		out = new(syncBuffer)
	}
	return zerolog.New(out).Level(zerolog.DebugLevel).Hook(zerologsentry.NewHook(opts)), rec
}

func newWriter(t *testing.T, out *syncBuffer) (*zerologsentry.Writer, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	return zerologsentry.NewWriter(out, zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}), rec
}

// boundLogger returns a zerolog logger writing to io.Discard and bound to
// ctx through a Hook of opts, or, if writer, through a Writer of opts: the
// two ways a program keeps zerolog records, for the tests that run both.
func boundLogger(ctx context.Context, opts zerologsentry.Options, writer bool) zerolog.Logger {
	if writer {
		w := zerologsentry.NewWriter(io.Discard, opts)
		_, log := w.WithContext(ctx, zerolog.New(w))
		return log
	}
	_, log := zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
	return log
}

// messages returns the messages of t's breadcrumbs, oldest first.
func messages(t *logcrumbs.Trail) []string {
	var m []string
	for _, b := range t.Breadcrumbs() {
		m = append(m, b.Message)
	}
	return m
}

func messagesOf(rec *logcrumbstest.Recorder) []string {
	var out []string
	for _, ev := range rec.Events() {
		out = append(out, ev.Message)
	}
	return out
}
