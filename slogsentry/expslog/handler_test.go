package expslog_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

func newLogger(t *testing.T, next xslog.Handler, opts slogsentry.Options) (*xslog.Logger, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts.Hub = hub
	return xslog.New(expslog.NewHandler(next, opts)), rec
}

// TestLevels: the levels are slogsentry.Options', whatever the wrapped
// handler's; Enabled is false only when neither side wants the level, and a
// slog.LevelVar changes logcrumbs' at run time.
func TestLevels(t *testing.T) {
	var lines strings.Builder
	next := xslog.NewTextHandler(&lines, &xslog.HandlerOptions{Level: xslog.LevelWarn})
	logger, rec := newLogger(t, next, slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())
	logger.DebugContext(ctx, "cache miss")
	logger.InfoContext(ctx, "fetched")
	logger.ErrorContext(ctx, "boom")
	if n := len(rec.OnlyEvent().Event.Breadcrumbs); n != 2 {
		t.Fatalf("event has %d breadcrumbs, want 2 (debug and info)", n)
	}
	if out := lines.String(); strings.Contains(out, "cache miss") || strings.Contains(out, "fetched") || !strings.Contains(out, "boom") {
		t.Fatalf("wrapped handler output = %q", out)
	}

	var level slog.LevelVar
	level.Set(slog.LevelInfo)
	h := expslog.NewHandler(next, slogsentry.Options{BreadcrumbLevel: &level})
	if h.Enabled(ctx, xslog.LevelDebug) || !h.Enabled(ctx, xslog.LevelInfo) {
		t.Fatal("Enabled ignores BreadcrumbLevel")
	}
	level.Set(slog.LevelDebug)
	if !h.Enabled(ctx, xslog.LevelDebug) {
		t.Fatal("Enabled does not follow the LevelVar")
	}
	quiet := expslog.NewHandler(next, slogsentry.Options{BreadcrumbLevel: slog.LevelError + 8})
	if quiet.Enabled(ctx, xslog.LevelInfo) || !quiet.Enabled(ctx, xslog.LevelWarn) {
		t.Fatal("Enabled ignores the wrapped handler's level")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk gone") }

// TestWrappedHandlerError: Handle returns the wrapped handler's error, and
// logcrumbs still keeps the record.
func TestWrappedHandlerError(t *testing.T) {
	h := expslog.NewHandler(xslog.NewJSONHandler(failingWriter{}, nil), slogsentry.Options{})
	trail := logcrumbs.NewTrail(10)
	ctx := logcrumbs.ContextWithTrail(context.Background(), trail)
	err := h.Handle(ctx, xslog.NewRecord(time.Now(), xslog.LevelInfo, "kept", 0))
	if err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("Handle returned %v, want the wrapped handler's error", err)
	}
	if crumbs := trail.Breadcrumbs(); len(crumbs) != 1 || crumbs[0].Message != "kept" {
		t.Errorf("breadcrumbs = %+v", crumbs)
	}
	if h.WithAttrs(nil) != xslog.Handler(h) || h.WithGroup("") != xslog.Handler(h) {
		t.Error("WithAttrs(nil) or WithGroup(\"\") did not return the handler itself")
	}
}

// TestZeroTimeKeepsItsPlace: a record with a zero time (which slog says to
// leave without one) stays where it was logged among the event's
// breadcrumbs.
func TestZeroTimeKeepsItsPlace(t *testing.T) {
	logger, rec := newLogger(t, nil, slogsentry.Options{})
	h := logger.Handler()
	ctx := logcrumbs.NewContext(context.Background())
	_ = h.Handle(ctx, xslog.NewRecord(time.Now(), xslog.LevelInfo, "first", 0))
	_ = h.Handle(ctx, xslog.NewRecord(time.Time{}, xslog.LevelInfo, "second, no time", 0))
	_ = h.Handle(ctx, xslog.NewRecord(time.Now(), xslog.LevelInfo, "third", 0))
	logger.ErrorContext(ctx, "boom")
	var got []string
	for _, b := range rec.OnlyEvent().Event.Breadcrumbs {
		got = append(got, b.Message)
		if b.Message == "second, no time" && !b.Timestamp.IsZero() {
			t.Errorf("the zero-time record's breadcrumb has time %v", b.Timestamp)
		}
	}
	if strings.Join(got, ",") != "first,second, no time,third" {
		t.Errorf("breadcrumbs = %q", got)
	}
}

// TestSharedTrailWithLogSlog: a request that logs through log/slog and
// x/exp/slog, each with its own handler, has one trail: the event of either
// carries the records of both, in order.
func TestSharedTrailWithLogSlog(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts := slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}
	std := slog.New(slogsentry.NewHandler(nil, opts))
	exp := xslog.New(expslog.NewHandler(nil, opts))
	ctx := logcrumbs.NewContext(context.Background())
	std.InfoContext(ctx, "from log/slog")
	exp.InfoContext(ctx, "from x/exp/slog")
	exp.ErrorContext(ctx, "failed", "err", errors.New("boom"))
	var got []string
	for _, b := range rec.OnlyEvent().Event.Breadcrumbs {
		got = append(got, b.Message)
	}
	if strings.Join(got, ",") != "from log/slog,from x/exp/slog" {
		t.Errorf("breadcrumbs = %q", got)
	}
}
