package expslog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	xslog "golang.org/x/exp/slog"
	"golang.org/x/exp/slog/slogtest"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

// withContext logs every record with ctx, so that slogtest's context-free
// calls reach the test's own trail.
type withContext struct {
	xslog.Handler
	ctx context.Context
}

func (h withContext) Handle(_ context.Context, r xslog.Record) error {
	return h.Handler.Handle(h.ctx, r)
}
func (h withContext) WithAttrs(as []xslog.Attr) xslog.Handler {
	return withContext{h.Handler.WithAttrs(as), h.ctx}
}
func (h withContext) WithGroup(name string) xslog.Handler {
	return withContext{h.Handler.WithGroup(name), h.ctx}
}

// crumbMap is a breadcrumb as slogtest wants a record: its data, plus the
// message, level and (unless zero) time under slog's keys.
func crumbMap(b *sentry.Breadcrumb) map[string]any {
	m := map[string]any{xslog.MessageKey: b.Message, xslog.LevelKey: string(b.Level)}
	for k, v := range b.Data {
		m[k] = v
	}
	if !b.Timestamp.IsZero() {
		m[xslog.TimeKey] = b.Timestamp
	}
	return m
}

// numbered logs every record with ctx, as withContext does, and with its
// number in logging order before its message, so that results can put an
// event's breadcrumbs back in that order: the event orders them by time,
// and slogtest's zero-time record has none (TestZeroTimeKeepsItsPlace checks
// where it goes).
type numbered struct {
	xslog.Handler
	ctx context.Context
	n   *int
}

func (h numbered) Handle(_ context.Context, r xslog.Record) error {
	r.Message = fmt.Sprintf("%03d %s", *h.n, r.Message)
	*h.n++
	return h.Handler.Handle(h.ctx, r)
}
func (h numbered) WithAttrs(as []xslog.Attr) xslog.Handler {
	return numbered{h.Handler.WithAttrs(as), h.ctx, h.n}
}
func (h numbered) WithGroup(name string) xslog.Handler {
	return numbered{h.Handler.WithGroup(name), h.ctx, h.n}
}

// TestSlogtestEvents runs x/exp's slogtest against what reaches Sentry:
// every record slogtest logs becomes a breadcrumb of one trail, and the
// results are the breadcrumbs of the event that an error record in the same
// trail sends through the fake transport.
func TestSlogtestEvents(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	ctx := logcrumbs.NewContext(context.Background())
	h := expslog.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}})
	var out []map[string]any // slogtest calls results twice: send the event once
	err := slogtest.TestHandler(numbered{h, ctx, new(int)}, func() []map[string]any {
		if out != nil {
			return out
		}
		if n := len(rec.Events()); n != 0 {
			t.Fatalf("slogtest's info records sent %d events", n)
		}
		if err := h.Handle(ctx, xslog.NewRecord(time.Now(), xslog.LevelError, "slogtest done", 0)); err != nil {
			t.Fatal(err)
		}
		ev := rec.OnlyEvent()
		if ev.Message != "slogtest done" {
			t.Fatalf("event message = %q", ev.Message)
		}
		crumbs := slices.Clone(ev.Event.Breadcrumbs)
		slices.SortFunc(crumbs, func(a, b *sentry.Breadcrumb) int { return strings.Compare(a.Message, b.Message) })
		out = []map[string]any{}
		for i, b := range crumbs {
			if b.Level != sentry.LevelInfo {
				t.Errorf("breadcrumb %q has level %q, want info", b.Message, b.Level)
			}
			m := crumbMap(b)
			msg, ok := strings.CutPrefix(b.Message, fmt.Sprintf("%03d ", i))
			if !ok {
				t.Fatalf("breadcrumb %d of the event is %q", i, b.Message)
			}
			m[xslog.MessageKey] = msg
			out = append(out, m)
		}
		return out
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSlogtestBreadcrumbs runs x/exp's slogtest against what logcrumbs
// keeps: the breadcrumbs of a stand-alone handler, read back from the trail.
func TestSlogtestBreadcrumbs(t *testing.T) {
	trail := logcrumbs.NewTrail(100)
	ctx := logcrumbs.ContextWithTrail(context.Background(), trail)
	h := withContext{expslog.NewHandler(nil, slogsentry.Options{}), ctx}
	err := slogtest.TestHandler(h, func() []map[string]any {
		var out []map[string]any
		for _, b := range trail.Breadcrumbs() {
			out = append(out, crumbMap(b))
		}
		return out
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSlogtestWrapped runs x/exp's slogtest against the wrapped x/exp JSON
// handler's output: wrapping must not change what it sees.
func TestSlogtestWrapped(t *testing.T) {
	var buf bytes.Buffer
	h := expslog.NewHandler(xslog.NewJSONHandler(&buf, nil), slogsentry.Options{})
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
