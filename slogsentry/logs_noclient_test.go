package slogsentry_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestLogsWithoutClientThenBound: with the Logs level on, a hub without a
// client, or with sentry-go's no-op client, sends nothing and logging goes
// on; once the program binds a client to that hub, the next records reach
// Sentry Logs through it (the logger logcrumbs keeps is the client's, not
// the hub's first), marked as logcrumbs'; a client bound in its place
// takes the next ones, and none is sent once the hub has no client.
func TestLogsWithoutClientThenBound(t *testing.T) {
	for _, first := range []*sentry.Client{nil, sentry.NewNoopClient()} {
		rec := logcrumbstest.New(t)
		hub := sentry.NewHub(first, sentry.NewScope())
		l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, LogsLevel: slog.LevelInfo}))
		ctx := logcrumbs.NewContext(context.Background())
		l.InfoContext(ctx, "before")
		l.ErrorContext(ctx, "failed before")
		hub.BindClient(rec.Hub().Client())
		l.InfoContext(ctx, "after")
		l.InfoContext(context.Background(), "after, no unit")
		var bodies []string
		for _, lg := range rec.Logs() {
			bodies = append(bodies, lg.Body)
			if o := lg.Attributes["sentry.origin"].AsString(); o != "auto.log.logcrumbs" {
				t.Errorf("%q: sentry.origin %q", lg.Body, o)
			}
		}
		if got := strings.Join(bodies, "|"); got != "after|after, no unit" {
			t.Errorf("first client %v: logs %q, want the records logged after the bind", first, got)
		}
		// Another client bound: the next records go through it only.
		rec2 := logcrumbstest.New(t)
		hub.BindClient(rec2.Hub().Client())
		l.InfoContext(ctx, "rebound")
		if logs := rec2.Logs(); len(logs) != 1 || logs[0].Body != "rebound" {
			t.Errorf("the client bound second: %d logs, want rebound", len(logs))
		}
		if logs := rec.Logs(); len(logs) != 2 {
			t.Errorf("the client bound first: %d logs, want the 2 before the rebind", len(logs))
		}
		hub.BindClient(nil)
		l.InfoContext(ctx, "unbound")
		if n1, n2 := len(rec.Logs()), len(rec2.Logs()); n1 != 2 || n2 != 1 {
			t.Errorf("after the client was unbound: %d and %d logs, want 2 and 1", n1, n2)
		}
	}
}
