package expslog_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

type panicValuer struct{}

func (panicValuer) LogValue() xslog.Value { panic("valuer exploded") }

type user struct{ id string }

func (u user) LogValue() xslog.Value { return xslog.GroupValue(xslog.String("id", u.id)) }

// TestEventWithTrail: an error logged through x/exp/slog is a Sentry event
// with its context's trail, the exception chain, typed data and the user;
// the JSON output is the same as without logcrumbs.
func TestEventWithTrail(t *testing.T) {
	hub, tr := sentrytest.NewHub(t, nil)
	var with, without bytes.Buffer
	logAll := func(l *xslog.Logger) {
		ctx := logcrumbs.NewContext(context.Background())
		l = l.With("svc", "api").WithGroup("req")
		l.DebugContext(ctx, "debug kept in the trail", "n", 1)
		l.InfoContext(ctx, "loaded", "n", 3, "ok", true, xslog.Group("db", "rows", uint64(7)), "bad", panicValuer{})
		l.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", errors.New("disk full")))
	}
	logAll(xslog.New(xslog.NewJSONHandler(&without, nil)))
	logAll(xslog.New(expslog.NewHandler(xslog.NewJSONHandler(&with, nil), slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub},
	})))
	strip := func(s string) string { // the times differ
		var out []string
		for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
			out = append(out, line[strings.Index(line, `"level"`):])
		}
		return strings.Join(out, "\n")
	}
	if strip(with.String()) != strip(without.String()) {
		t.Errorf("output changed:\n%s\n%s", with.String(), without.String())
	}

	ev := tr.One(t)
	if ev.Message != "save failed" || ev.Logger != "slog" || len(ev.Exception) != 2 || ev.Exception[1].Value != "save: disk full" {
		t.Errorf("event = %q %q %+v", ev.Message, ev.Logger, ev.Exception)
	}
	if len(ev.Breadcrumbs) != 2 || ev.Breadcrumbs[0].Level != "debug" {
		t.Fatalf("breadcrumbs = %+v", ev.Breadcrumbs)
	}
	d := ev.Breadcrumbs[1].Data
	req, _ := d["req"].(map[string]any)
	db, _ := req["db"].(map[string]any)
	if d["svc"] != "api" || req["n"] != int64(3) || req["ok"] != true || db["rows"] != uint64(7) {
		t.Errorf("breadcrumb data = %#v", d)
	}
	if s, _ := req["bad"].(string); s != "!PANIC in expslog_test.panicValuer.LogValue: valuer exploded" {
		t.Errorf("panicking LogValuer = %#v", req["bad"])
	}
}

// TestLogValuerAndLevels: an x/exp LogValuer resolves as in log/slog (here to
// the user group), and the levels come from slogsentry.Options.
func TestLogValuerAndLevels(t *testing.T) {
	hub, tr := sentrytest.NewHub(t, nil)
	l := xslog.New(expslog.NewHandler(nil, slogsentry.Options{
		Options:         logcrumbs.Options{Hub: hub},
		BreadcrumbLevel: slog.LevelInfo,
		EventLevel:      slog.LevelWarn,
	}))
	ctx := logcrumbs.NewContext(context.Background())
	l.DebugContext(ctx, "dropped")
	l.InfoContext(ctx, "kept")
	l.WarnContext(ctx, "sent", "user", user{"42"})
	ev := tr.One(t)
	if ev.Level != "warning" || ev.User.ID != "42" || len(ev.Breadcrumbs) != 1 || ev.Breadcrumbs[0].Message != "kept" {
		t.Errorf("event = %q %+v %+v", ev.Level, ev.User, ev.Breadcrumbs)
	}
}
