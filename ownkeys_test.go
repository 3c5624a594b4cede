package logcrumbs_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestOwnKeysPrefixedUserFieldsKept: a user's field of one of logcrumbs'
// own keys is kept under the key prefixed with "attr."; the user's own
// field of that prefixed key is not lost to it, but is kept prefixed once
// more ("attr.attr."), in an error record's breadcrumb, in a Sentry Log
// (as the flat path and the map path send it) and in an event's log
// context.
func TestOwnKeysPrefixedUserFieldsKept(t *testing.T) {
	t.Run("breadcrumb", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}}))
		ctx := logcrumbs.NewContext(context.Background())
		logger.ErrorContext(ctx, "save failed", "err", errors.New("disk full"),
			"sentry.event_id", "user-1", "attr.sentry.event_id", "user-attr")
		logger.ErrorContext(ctx, "render failed", "err", errors.New("template missing"))
		evs := rec.Events()
		if len(evs) != 2 {
			t.Fatalf("%d events, want 2", len(evs))
		}
		for _, b := range evs[1].Breadcrumbs() {
			if b.Message != "save failed" {
				continue
			}
			want := map[string]any{
				"sentry.event_id":           string(evs[0].EventID),
				"attr.sentry.event_id":      "user-1",
				"attr.attr.sentry.event_id": "user-attr",
			}
			for k, v := range want {
				if b.Data[k] != v {
					t.Errorf("breadcrumb %q: %s is %v, want %v (data %v)", b.Message, k, b.Data[k], v, b.Data)
				}
			}
			return
		}
		t.Errorf("no breadcrumb of the save")
	})
	t.Run("logs", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}, LogsLevel: slog.LevelInfo}))
		ctx := logcrumbs.NewContext(context.Background())
		logger.InfoContext(ctx, "flat", "logcrumbs.logger", "mine", "attr.logcrumbs.logger", "theirs")
		// A named group beside a dotted key: the map path (see needsMap).
		logger.InfoContext(ctx, "grouped", "logcrumbs.logger", "mine", "attr.logcrumbs.logger", "theirs", slog.Group("g", "n", 1))
		logs := rec.Logs()
		if len(logs) != 2 {
			t.Fatalf("%d logs, want 2", len(logs))
		}
		for _, l := range logs {
			want := map[string]string{
				"logcrumbs.logger":           "slog",
				"attr.logcrumbs.logger":      "mine",
				"attr.attr.logcrumbs.logger": "theirs",
			}
			for k, v := range want {
				if got := l.Attributes[k].AsInterface(); got != v {
					t.Errorf("log %q: %s is %v, want %v", l.Body, k, got, v)
				}
			}
		}
	})
	t.Run("log context", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
			Hub: rec.Hub(), EventLimits: logcrumbs.Limits{MaxValueBytes: 16},
		}}))
		ctx := logcrumbs.NewContext(context.Background())
		logger.ErrorContext(ctx, "save failed", "err", errors.New("disk full"), "body", strings.Repeat("x", 64),
			"logcrumbs.truncated", "user-1", "attr.logcrumbs.truncated", "user-attr")
		data := rec.OnlyEvent().LogContext()
		want := map[string]any{
			"logcrumbs.truncated":           true,
			"attr.logcrumbs.truncated":      "user-1",
			"attr.attr.logcrumbs.truncated": "user-attr",
		}
		for k, v := range want {
			if data[k] != v {
				t.Errorf("the log context's %s is %v, want %v (context %v)", k, data[k], v, data)
			}
		}
	})
}

// TestOwnKeyGroupScrubbed: a record's group named as one of logcrumbs'
// own keys ("logcrumbs.dropped_attrs", in a record that dropped
// attributes for MaxAttrs) is kept under "attr." as the record's other
// fields are, and scrubbed as they are: its secret key's value never
// leaves the process, in the event's breadcrumbs as in the trail's.
func TestOwnKeyGroupScrubbed(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub:              rec.Hub(),
		BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 6},
	}}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "login",
		slog.Group("logcrumbs.dropped_attrs", "password", "hunter2", "user_agent", "curl"),
		"a", 1, "b", 2, "c", 3, "d", 4)
	logger.ErrorContext(ctx, "charge failed", "err", errors.New("card declined"))
	ev := rec.OnlyEvent()
	for _, b := range ev.Breadcrumbs() {
		if b.Message != "login" {
			continue
		}
		js, _ := json.Marshal(b.Data)
		if strings.Contains(string(js), "hunter2") {
			t.Errorf("breadcrumb %q sends the password: %s", b.Message, js)
		}
		if _, ok := b.Data["attr.logcrumbs.dropped_attrs"].(map[string]any); !ok {
			t.Errorf("breadcrumb %q does not keep the group under attr.logcrumbs.dropped_attrs: %s", b.Message, js)
		}
		return
	}
	t.Errorf("no breadcrumb of the login")
}
