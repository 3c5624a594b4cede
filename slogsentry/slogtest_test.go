package slogsentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"testing/slogtest"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// withContext is a test handler that logs every record with ctx, so that
// slogtest's context-free calls reach one test's own trail.
type withContext struct {
	slog.Handler
	ctx context.Context
}

func (h withContext) Handle(_ context.Context, r slog.Record) error {
	return h.Handler.Handle(h.ctx, r)
}
func (h withContext) WithAttrs(as []slog.Attr) slog.Handler {
	return withContext{h.Handler.WithAttrs(as), h.ctx}
}
func (h withContext) WithGroup(name string) slog.Handler {
	return withContext{h.Handler.WithGroup(name), h.ctx}
}

// TestSlogtestBreadcrumbs runs testing/slogtest against what logcrumbs keeps:
// the breadcrumbs of a stand-alone handler, read back from the trail.
func TestSlogtestBreadcrumbs(t *testing.T) {
	var trail *logcrumbs.Trail
	slogtest.Run(t, func(t *testing.T) slog.Handler {
		trail = logcrumbs.NewTrail(10)
		ctx := logcrumbs.ContextWithTrail(context.Background(), trail)
		return withContext{slogsentry.NewHandler(nil, slogsentry.Options{}), ctx}
	}, func(t *testing.T) map[string]any {
		crumbs := trail.Breadcrumbs()
		if len(crumbs) != 1 {
			t.Fatalf("trail has %d breadcrumbs, want 1", len(crumbs))
		}
		b := crumbs[0]
		m := map[string]any{}
		for k, v := range b.Data {
			m[k] = v
		}
		m[slog.MessageKey] = b.Message
		m[slog.LevelKey] = string(b.Level)
		if !b.Timestamp.IsZero() {
			m[slog.TimeKey] = b.Timestamp
		}
		return m
	})
}

// TestSlogtestWrapped runs testing/slogtest against the wrapped JSON
// handler's output: wrapping must not change what it sees.
func TestSlogtestWrapped(t *testing.T) {
	var buf bytes.Buffer
	h := slogsentry.NewHandler(slog.NewJSONHandler(&buf, nil), slogsentry.Options{})
	err := slogtest.TestHandler(h, func() []map[string]any {
		var out []map[string]any
		for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatalf("bad JSON line %q: %v", line, err)
			}
			out = append(out, m)
		}
		return out
	})
	if err != nil {
		t.Fatal(err)
	}
}
