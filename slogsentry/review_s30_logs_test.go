package slogsentry_test

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestReviewS30LogsKeyRepeated: a record two of whose attributes end up
// under one key sends to Sentry Logs what its event's "log" context holds,
// as the Logs level's doc promises ("scrubbed and user-gated as events
// are"): the last entry of a key wins, in the data map as in the Logs
// attributes. SendLog's flat path (no data map) sent both when one of them
// holds a map (a JSON value: slog.Any of a map or struct) and no group is
// named, or when a group's key and another attribute's differ only in
// invalid UTF-8 (which both become U+FFFD): the map's or the group's
// fields under dotted keys, beside the value that replaced it.
func TestReviewS30LogsKeyRepeated(t *testing.T) {
	for _, c := range []struct {
		name  string
		attrs []any
	}{
		{"map-then-scalar", []any{slog.Any("a", map[string]int{"b": 1}), slog.String("a", "x")}},
		{"scalar-then-map", []any{slog.String("a", "x"), slog.Any("a", map[string]int{"b": 1})}},
		{"map-then-map", []any{slog.Any("a", map[string]int{"b": 1}), slog.Any("a", map[string]int{"c": 2})}},
		{"user-map-then-scalar", []any{slog.Any("user", map[string]any{"id": 7}), slog.String("user", "bob")}},
		{"invalid-group-then-scalar", []any{slog.Group("x\xff", slog.Int("b", 1)), slog.String("x\xfe", "v")}},
		{"invalid-scalar-then-group", []any{slog.String("x\xfe", "v"), slog.Group("x\xff", slog.Int("b", 1))}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			h := slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelError})
			slog.New(h).ErrorContext(rec.Context(context.Background()), "m", c.attrs...)
			want := flatKeys("", rec.OnlyEvent().LogContext())
			logs := rec.Logs()
			if len(logs) != 1 {
				t.Fatalf("%d logs, want 1", len(logs))
			}
			var got []string
			for k := range logs[0].Attributes {
				if !strings.HasPrefix(k, "sentry.") && !strings.HasPrefix(k, "logcrumbs.") {
					got = append(got, k)
				}
			}
			sort.Strings(got)
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("Logs attributes %q, want the event's %q", got, want)
			}
		})
	}
}

// flatKeys returns the keys of data as Sentry Logs flatten them (maps'
// keys joined with dots), sorted.
func flatKeys(prefix string, data map[string]any) []string {
	var out []string
	for k, v := range data {
		if m, ok := v.(map[string]any); ok {
			out = append(out, flatKeys(prefix+k+".", m)...)
			continue
		}
		out = append(out, prefix+k)
	}
	sort.Strings(out)
	return out
}
