package slogsentry_test

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestLookupGroupRepeated: Record.Lookup of a group, for
// Options.EscalateIf, is the group's map "converted as in the event's
// "log" context" (logcrumbs.Record's doc): a group logged twice is one
// map there, holding the fields of both, so Lookup returns that map, not
// the last group's fields alone. A group after a value of its key starts
// anew, as in the data map.
func TestLookupGroupRepeated(t *testing.T) {
	for _, c := range []struct {
		name  string
		attrs []any
		want  map[string]any
	}{
		{"twice", []any{slog.Group("http", slog.Int("status", 500)), slog.Group("http", slog.String("path", "/x"))},
			map[string]any{"status": int64(500), "path": "/x"}},
		{"nested-twice", []any{slog.Group("a", slog.Group("http", slog.Int("status", 500))), slog.Group("a", slog.Group("http", slog.String("path", "/x")))},
			map[string]any{"status": int64(500), "path": "/x"}},
		{"after-a-value", []any{slog.Group("http", slog.Int("status", 500)), slog.String("http", "v"), slog.Group("http", slog.String("path", "/x"))},
			map[string]any{"path": "/x"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			var got any
			o := rec.Options()
			path := "http"
			if c.name == "nested-twice" {
				path = "a.http"
			}
			o.EscalateIf = func(r logcrumbs.Record) bool { got, _ = r.Lookup(path); return true }
			h := slogsentry.NewHandler(nil, slogsentry.Options{Options: o})
			slog.New(h).InfoContext(rec.Context(context.Background()), "m", c.attrs...)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Lookup(%q) = %#v, want %#v", path, got, c.want)
			}
			ev := rec.OnlyEvent()
			var inLog any = ev.LogContext()
			for _, seg := range strings.Split(path, ".") {
				inLog = inLog.(map[string]any)[seg]
			}
			if !reflect.DeepEqual(inLog, c.want) {
				t.Errorf("the event's log context holds %#v at %q, want %#v", inLog, path, c.want)
			}
		})
	}
}
