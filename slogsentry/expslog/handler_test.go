package expslog_test

import (
	"context"
	"log/slog"
	"testing"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

type panicValuer struct{}

func (panicValuer) LogValue() xslog.Value { panic("valuer exploded") }

type user struct{ id string }

func (u user) LogValue() xslog.Value { return xslog.GroupValue(xslog.String("id", u.id)) }

// TestLogValuerAndLevels: an x/exp LogValuer resolves as in log/slog (here to
// the user group), and the levels come from slogsentry.Options.
func TestLogValuerAndLevels(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	l := xslog.New(expslog.NewHandler(nil, slogsentry.Options{
		Options:         logcrumbs.Options{Hub: hub},
		BreadcrumbLevel: slog.LevelInfo,
		EventLevel:      slog.LevelWarn,
	}))
	ctx := logcrumbs.NewContext(context.Background())
	l.DebugContext(ctx, "dropped")
	l.InfoContext(ctx, "kept")
	l.WarnContext(ctx, "sent", "user", user{"42"})
	ev := rec.OnlyEvent()
	if ev.Level != "warning" || ev.User.ID != "42" || len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Message != "kept" {
		t.Errorf("event = %q %+v %+v", ev.Level, ev.User, ev.Event.Breadcrumbs)
	}
}
