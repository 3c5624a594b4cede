package slogsentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

func newLogger(t *testing.T, next slog.Handler, opts slogsentry.Options) (*slog.Logger, *sentrytest.Transport) {
	t.Helper()
	hub, tr := sentrytest.NewHub(t, nil)
	opts.Hub = hub
	return slog.New(slogsentry.NewHandler(next, opts)), tr
}

func TestEventCarriesTrailOldestFirst(t *testing.T) {
	logger, tr := newLogger(t, nil, slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())

	logger.DebugContext(ctx, "opening", "path", "/tmp/x")
	logger.InfoContext(ctx, "loaded", "n", 3, "took", 1500*time.Millisecond, "ok", true)
	logger.WarnContext(ctx, "slow", slog.Group("db", "table", "users", "rows", uint64(7)))
	base := errors.New("disk full")
	logger.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", base))

	ev := tr.One(t)
	if ev.Message != "save failed" || ev.Level != sentry.LevelError || ev.Logger != "slog" {
		t.Errorf("event message/level/logger = %q/%q/%q", ev.Message, ev.Level, ev.Logger)
	}
	var got []string
	for _, b := range ev.Breadcrumbs {
		got = append(got, string(b.Level)+":"+b.Message)
	}
	want := []string{"debug:opening", "info:loaded", "warning:slow"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("breadcrumbs = %v, want %v", got, want)
	}
	if d := ev.Breadcrumbs[1].Data; d["n"] != int64(3) || d["took"] != "1.5s" || d["ok"] != true {
		t.Errorf("breadcrumb data = %#v", d)
	}
	db, _ := ev.Breadcrumbs[2].Data["db"].(map[string]any)
	if db["table"] != "users" || db["rows"] != uint64(7) {
		t.Errorf("group data = %#v", ev.Breadcrumbs[2].Data)
	}
	if len(ev.Exception) != 2 {
		t.Fatalf("exceptions = %d, want 2", len(ev.Exception))
	}
	if ev.Exception[0].Value != "disk full" || ev.Exception[1].Value != "save: disk full" {
		t.Errorf("exception values = %q, %q", ev.Exception[0].Value, ev.Exception[1].Value)
	}
	if ev.Exception[1].Type != "*fmt.wrapError" {
		t.Errorf("outer type = %q", ev.Exception[1].Type)
	}
	st := ev.Exception[1].Stacktrace
	if st == nil || len(st.Frames) == 0 {
		t.Fatal("outermost exception has no stack trace")
	}
	if top := st.Frames[len(st.Frames)-1]; top.Function != "TestEventCarriesTrailOldestFirst" {
		t.Errorf("top frame = %s.%s, want the test function", top.Module, top.Function)
	}
	if ev.Contexts["log"]["err"] != "save: disk full" {
		t.Errorf("log context = %#v", ev.Contexts["log"])
	}
}

func TestWrappedHandlerOutputUnchanged(t *testing.T) {
	run := func(wrap bool) string {
		var buf bytes.Buffer
		var h slog.Handler = slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})
		if wrap {
			hub, _ := sentrytest.NewHub(t, nil)
			h = slogsentry.NewHandler(h, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}})
		}
		l := slog.New(h).With("svc", "api").WithGroup("req").With("id", 7)
		ctx := logcrumbs.NewContext(context.Background())
		l.DebugContext(ctx, "hidden")
		l.InfoContext(ctx, "hello", "k", "v", slog.Group("g", "a", 1), slog.Group("empty"))
		l.ErrorContext(ctx, "boom", "err", errors.New("x"))
		return strings.ReplaceAll(buf.String(), `"time":"`, "")
	}
	// The time differs between runs; compare the rest.
	strip := func(s string) string {
		var out []string
		for _, line := range strings.Split(s, "\n") {
			if i := strings.Index(line, `"level"`); i >= 0 {
				line = line[i:]
			}
			out = append(out, line)
		}
		return strings.Join(out, "\n")
	}
	without, with := strip(run(false)), strip(run(true))
	if without != with {
		t.Fatalf("output differs:\nwithout: %s\nwith:    %s", without, with)
	}
	if !strings.Contains(without, `"msg":"hello"`) || strings.Contains(without, "hidden") {
		t.Fatalf("unexpected output: %s", without)
	}
}
