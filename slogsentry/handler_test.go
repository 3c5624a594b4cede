package slogsentry_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

func newLogger(t *testing.T, next slog.Handler, opts slogsentry.Options) (*slog.Logger, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts.Hub = hub
	return slog.New(slogsentry.NewHandler(next, opts)), rec
}

func TestWrappedHandlerOutputUnchanged(t *testing.T) {
	run := func(wrap bool) string {
		var buf bytes.Buffer
		var h slog.Handler = slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})
		if wrap {
			hub := logcrumbstest.New(t).Hub()
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

// noTime drops the time from the wrapped handler's output, so that two
// outputs compare.
func noTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
