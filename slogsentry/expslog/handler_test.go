package expslog_test

import (
	"context"
	"log/slog"
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
