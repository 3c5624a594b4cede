package expslog_test

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// countValuer's LogValue returns how many times it was called.
type countValuer struct{ n *atomic.Int32 }

func (c countValuer) LogValue() xslog.Value { return xslog.Int64Value(int64(c.n.Add(1))) }

// noTime drops the time from the wrapped handler's output.
func noTime(groups []string, a xslog.Attr) xslog.Attr {
	if len(groups) == 0 && a.Key == xslog.TimeKey {
		return xslog.Attr{}
	}
	return a
}

// TestLogValuerResolvedOncePerRecord: an x/exp LogValuer logged once (at
// the top level, inside a group, through With, as a breadcrumb and as an
// event) has its LogValue called once, and the wrapped handler's output and
// Sentry show the same value.
func TestLogValuerResolvedOncePerRecord(t *testing.T) {
	var out bytes.Buffer
	logger, tr := newLogger(t, xslog.NewJSONHandler(&out, &xslog.HandlerOptions{ReplaceAttr: noTime}), slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())
	var top, grouped, with, crumb atomic.Int32
	logger.InfoContext(ctx, "crumb", "n", countValuer{&crumb})
	logger.With("w", countValuer{&with}).ErrorContext(ctx, "failed", "err", errors.New("boom"),
		"n", countValuer{&top}, xslog.Group("g", "n", countValuer{&grouped}))
	for name, n := range map[string]*atomic.Int32{"top": &top, "group": &grouped, "With": &with, "breadcrumb": &crumb} {
		if got := n.Load(); got != 1 {
			t.Errorf("%s: LogValue called %d times, want 1", name, got)
		}
	}
	want := `{"level":"INFO","msg":"crumb","n":1}` + "\n" +
		`{"level":"ERROR","msg":"failed","w":1,"err":"boom","n":1,"g":{"n":1}}` + "\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	ev := tr.One(t)
	lc := ev.Contexts["log"]
	if lc["n"] != int64(1) || lc["w"] != int64(1) || lc["g"].(map[string]any)["n"] != int64(1) {
		t.Errorf("event log context = %v, want the values the output shows", lc)
	}
	if bc := ev.Breadcrumbs; len(bc) != 1 || bc[0].Data["n"] != int64(1) {
		t.Errorf("breadcrumbs = %+v, want n 1", bc)
	}
}
