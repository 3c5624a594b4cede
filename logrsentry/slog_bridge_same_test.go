package logrsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// deepGroup returns n groups nested in one another around an int.
func deepGroup(n int) slog.Attr {
	a := slog.Int("leaf", 1)
	for i := range n {
		a = slog.Group(fmt.Sprintf("g%d", i), a)
	}
	return a
}

// TestSlogBridgeSameAsSlogsentry: slog calls through logr.ToSlogHandler of
// a wrapped logger reach Sentry as the same calls through slogsentry do
// (breadcrumbs' data, the event's message, exception and log context), for
// the ways of grouping slog has (TestSlogBridgeGroupsAsSlogsentry's script
// and more): a group opened by WithGroup that the record leaves empty,
// attributes of With after WithGroup, nested WithGroups, an Error record
// without an error or with one, a group of only an empty-keyed nil, groups
// nested past render.MaxDepth, LogValuers
// that resolve to groups.
func TestSlogBridgeSameAsSlogsentry(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		name   string
		script func(ctx context.Context, sl *slog.Logger)
		skip   string // a judgment call left open
	}{
		{"WithGroup left empty", func(ctx context.Context, sl *slog.Logger) {
			sl.WithGroup("g").InfoContext(ctx, "none")
			sl.WithGroup("g").ErrorContext(ctx, "failed", "err", boom)
		}, ""},
		{"WithGroup left empty by an empty group", func(ctx context.Context, sl *slog.Logger) {
			sl.WithGroup("g").InfoContext(ctx, "none", slog.Group("h"))
			sl.ErrorContext(ctx, "failed", "err", boom)
		}, ""},
		{"With after WithGroup, then attrs", func(ctx context.Context, sl *slog.Logger) {
			sl = sl.With("a", 1).WithGroup("g").With("b", 2).WithGroup("h")
			sl.InfoContext(ctx, "one", "c", 3, slog.Group("i", "d", 4))
			sl.ErrorContext(ctx, "failed", "err", boom, "e", 5)
		}, ""},
		{"Error without an error", func(ctx context.Context, sl *slog.Logger) {
			sl.ErrorContext(ctx, "failed", "n", 1)
		}, ""},
		{"Error with an error in a group", func(ctx context.Context, sl *slog.Logger) {
			sl.WithGroup("g").ErrorContext(ctx, "failed", slog.Group("h", "err", boom))
		}, ""},
		{"Error with an error of With in a group", func(ctx context.Context, sl *slog.Logger) {
			sl.WithGroup("g").With("err", boom).ErrorContext(ctx, "failed", "n", 1)
		}, ""},
		{"Error with error key", func(ctx context.Context, sl *slog.Logger) {
			sl.ErrorContext(ctx, "failed", "error", boom)
		}, ""},
		{"LogValuers", func(ctx context.Context, sl *slog.Logger) {
			sl.WithGroup("g").With("v", groupValuer{}).InfoContext(ctx, "valued", "w", groupValuer{}, slog.Group("h", "x", groupValuer{}))
			sl.ErrorContext(ctx, "failed", "err", boom, "w", groupValuer{})
		}, ""},
		{"a LogValuer that panics, in a group", func(ctx context.Context, sl *slog.Logger) {
			sl.InfoContext(ctx, "valued", slog.Group("g", "v", panickyValuer{}))
			sl.ErrorContext(ctx, "failed", "n", 1, slog.Group("g", "v", panickyValuer{}))
		}, ""},
		{"nil values", func(ctx context.Context, sl *slog.Logger) {
			sl.WithGroup("g").InfoContext(ctx, "nils", slog.Any("k", nil), slog.Group("h", slog.Any("", nil)))
			sl.ErrorContext(ctx, "failed", "err", boom)
		}, ""},
		{"empty keys", func(ctx context.Context, sl *slog.Logger) {
			sl.InfoContext(ctx, "empty", slog.String("", "x"), slog.Group("g", slog.Int("", 1)), slog.Group("", slog.Int("a", 2)))
			sl.ErrorContext(ctx, "failed", "err", boom)
		}, "judgment call: an attribute with an empty key and a value (slog.String(\"\", \"x\")) is kept by slogsentry " +
			"under \"\" (as slog's JSONHandler writes it) and dropped by the bridge (addAttr, as logr's attrToKVs drops it): " +
			"breadcrumb map[a:2] through the bridge, map[:x a:2 g:map[:1]] through slogsentry"},
		{"groups past MaxDepth", func(ctx context.Context, sl *slog.Logger) {
			sl.InfoContext(ctx, "deep", deepGroup(102))
			sl.ErrorContext(ctx, "failed", "err", boom, deepGroup(102))
		}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.skip != "" {
				t.Skip(c.skip)
			}
			got := func(handler func(*logcrumbstest.Recorder, context.Context) slog.Handler) string {
				rec := logcrumbstest.New(t)
				ctx := rec.Context(context.Background())
				c.script(ctx, slog.New(handler(rec, ctx)))
				ev := rec.OnlyEvent()
				var crumbs []string
				for _, b := range ev.Breadcrumbs() {
					crumbs = append(crumbs, fmt.Sprintf("%s %v %v", b.Message, b.Level, b.Data))
				}
				return fmt.Sprintf("event %q %v %v\nlog %v\nbreadcrumbs %q", ev.Message, ev.Level, ev.Exceptions(), ev.LogContext(), crumbs)
			}
			want := got(func(rec *logcrumbstest.Recorder, _ context.Context) slog.Handler {
				return slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()})
			})
			bridged := got(func(rec *logcrumbstest.Recorder, ctx context.Context) slog.Handler {
				_, log := logrsentry.WithContext(ctx, logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()})))
				return logr.ToSlogHandler(log)
			})
			if bridged != want {
				t.Errorf("through the bridge:\n%.2000s\nthrough slogsentry:\n%.2000s", bridged, want)
			}
		})
	}
}

// groupValuer logs as a group of one attribute.
type groupValuer struct{}

func (groupValuer) LogValue() slog.Value { return slog.GroupValue(slog.Int("in", 1)) }
