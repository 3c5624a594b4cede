package slogsentry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

type countValuer struct{ n *atomic.Int32 }

func (c countValuer) LogValue() slog.Value { return slog.Int64Value(int64(c.n.Add(1))) }

// TestWithNestedLogValuerResolvedOnce: a LogValuer inside a group given to
// With runs once, when With is called, as slog's own handlers run it; the
// events and breadcrumbs of that logger all show that one value.
func TestWithNestedLogValuerResolvedOnce(t *testing.T) {
	rec := logcrumbstest.New(t)
	var n atomic.Int32
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	l := logger.With(slog.Group("req", "seq", countValuer{&n}))
	ctx := rec.Context(context.Background())
	l.InfoContext(ctx, "crumb")
	l.ErrorContext(ctx, "e1")
	l.ErrorContext(ctx, "e2")
	if got := n.Load(); got != 1 {
		t.Errorf("LogValue inside a With group called %d times, want 1", got)
	}
	for _, ev := range rec.Events() {
		if req, _ := ev.LogContext()["req"].(map[string]any); req["seq"] != int64(1) {
			t.Errorf("%s: req = %v, want seq 1", ev.Message, req)
		}
	}
}

// TestWithValueReadAtWith: a value given to With is what it was at With, in
// events as in breadcrumbs and in slog's own output.
func TestWithValueReadAtWith(t *testing.T) {
	rec := logcrumbstest.New(t)
	var out bytes.Buffer
	logger := slog.New(slogsentry.NewHandler(slog.NewJSONHandler(&out, nil), slogsentry.Options{Options: rec.Options()}))
	m := map[string]int{"a": 1}
	l := logger.With("m", m)
	m["a"] = 2
	ctx := rec.Context(context.Background())
	l.InfoContext(ctx, "crumb")
	l.ErrorContext(ctx, "boom")
	ev := rec.WaitEvents(1, 0)[0]
	mm, _ := ev.LogContext()["m"].(map[string]any)
	if mm["a"] != ev.Breadcrumbs()[0].Data["m"].(map[string]any)["a"] {
		t.Errorf("event shows m=%v, the breadcrumb and the JSON output the value at With time", mm)
	}
}

// TestWithValueNotRaced: the program may change a value it gave to With
// while the logger logs events (slog's own handlers format it at With):
// under -race this fails if an event reads it again.
func TestWithValueNotRaced(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(slog.NewJSONHandler(io.Discard, nil), slogsentry.Options{Options: rec.Options()}))
	counts := map[string]int{"a": 1}
	l := logger.With("counts", counts)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 2000 {
			counts["a"] = i
		}
	})
	ctx := rec.Context(context.Background())
	for range 50 {
		l.ErrorContext(ctx, "boom")
	}
	wg.Wait()
}

// TestEscalateIfSeesWithGroupErrors: EscalateIf sees errors given to With
// inside a group, as it sees them given to the log call.
func TestEscalateIfSeesWithGroupErrors(t *testing.T) {
	rec := logcrumbstest.New(t)
	o := rec.Options()
	o.EscalateIf = func(r logcrumbs.Record) bool { return len(r.Errors()) > 0 }
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: o}))
	ctx := rec.Context(context.Background())
	logger.WarnContext(ctx, "in call", slog.Group("req", "err", errors.New("upstream 503")))
	logger.With(slog.Group("req", "err", errors.New("upstream 504"))).WarnContext(ctx, "in With")
	if n := len(rec.Events()); n != 2 {
		t.Errorf("%d events, want both records escalated", n)
	}
}

// TestEscalateIfNoErrorsIsNil: a record that carries no error shows
// EscalateIf a nil r.Errors(), with or without a With preset, so that a
// predicate testing r.Errors() != nil escalates only records with errors.
func TestEscalateIfNoErrorsIsNil(t *testing.T) {
	rec := logcrumbstest.New(t)
	o := rec.Options()
	o.EscalateIf = func(r logcrumbs.Record) bool { return r.Errors() != nil }
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: o}))
	ctx := rec.Context(context.Background())
	logger.WarnContext(ctx, "no error", "status", 200)
	logger.With("route", "/orders").WarnContext(ctx, "no error in With either")
	logger.WarnContext(ctx, "with an error", "err", errors.New("upstream 503"))
	if got := rec.Events(); len(got) != 1 || got[0].Message != "with an error" {
		t.Errorf("%d events, want only the record with an error escalated", len(got))
	}
}
