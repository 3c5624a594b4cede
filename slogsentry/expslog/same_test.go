package expslog_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/slogsentry/expslog"
)

type point struct{ X, Y int }

type panicStringer struct{}

func (panicStringer) String() string { panic("stringer exploded") }

type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg } // panics on a nil receiver

// sent is what TestSameAsLogSlog compares of an event: everything but the
// IDs, times and stack traces, which differ between any two events.
type sent struct {
	Message, Logger string
	Level           sentry.Level
	Tags            map[string]string
	User            sentry.User
	Fingerprint     []string
	Log             sentry.Context
	Exceptions      []string // type: value
	Breadcrumbs     []sentry.Breadcrumb
}

func project(ev logcrumbstest.Event) sent {
	s := sent{
		Message: ev.Message, Logger: ev.Logger, Level: ev.Level,
		Tags: ev.Tags, User: ev.User, Fingerprint: ev.Fingerprint, Log: ev.Contexts["log"],
	}
	for _, ex := range ev.Exception {
		s.Exceptions = append(s.Exceptions, ex.Type+": "+ex.Value)
	}
	for _, b := range ev.Event.Breadcrumbs {
		c := *b
		c.Timestamp = time.Time{}
		s.Breadcrumbs = append(s.Breadcrumbs, c)
	}
	return s
}

// TestSameAsLogSlog logs the same records through log/slog and slogsentry,
// and through x/exp/slog and expslog, and compares what reaches the fake
// transport: every kind of value, groups (nested, empty, inline),
// WithAttrs and WithGroup, bad values, tags, user, fingerprint and the
// exception chain must come out the same.
func TestSameAsLogSlog(t *testing.T) {
	opts := func(hub *sentry.Hub) slogsentry.Options {
		return slogsentry.Options{Options: logcrumbs.Options{Hub: hub, TagKeys: []string{"route"}, FingerprintKey: "fp"}}
	}
	at := time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	base := errors.New("disk full")
	var typedNil *nilErr
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	scalars := []any{
		"s", "text", "i", -3, "u", uint64(7), "f", 1.5, "nan", math.NaN(), "b", true,
		"d", 1500 * time.Millisecond, "t", at, "nil", nil, "struct", point{1, 2},
		"bytes", []byte("hi"), "map", map[string]int{"a": 1}, "stringer", panicStringer{},
		"typednil", typedNil, "cyclic", cyclic, "chan", make(chan int), "odd",
	}

	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	std := slog.New(slogsentry.NewHandler(nil, opts(hub))).With("route", "/orders")
	ctx := logcrumbs.NewContext(context.Background())
	req := std.WithGroup("req").With("id", 7)
	req.DebugContext(ctx, "scalars", scalars...)
	req.InfoContext(ctx, "groups", slog.Group("g", "a", 1, slog.Group("h", "b", 2)), slog.Group("empty"), slog.Group("", "inline", "yes"))
	req.WithGroup("empty").WarnContext(ctx, "empty WithGroup")
	std.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", base), slog.Group("user", "id", "u-1", "plan", "pro"), "fp", "save")
	want := project(rec.OnlyEvent())

	rec = logcrumbstest.New(t)
	hub = rec.Hub()
	exp := xslog.New(expslog.NewHandler(nil, opts(hub))).With("route", "/orders")
	ctx = logcrumbs.NewContext(context.Background())
	xreq := exp.WithGroup("req").With("id", 7)
	xreq.DebugContext(ctx, "scalars", scalars...)
	xreq.InfoContext(ctx, "groups", xslog.Group("g", "a", 1, xslog.Group("h", "b", 2)), xslog.Group("empty"), xslog.Group("", "inline", "yes"))
	xreq.WithGroup("empty").WarnContext(ctx, "empty WithGroup")
	exp.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", base), xslog.Group("user", "id", "u-1", "plan", "pro"), "fp", "save")
	got := project(rec.OnlyEvent())

	if !reflect.DeepEqual(got, want) {
		t.Errorf("x/exp/slog event differs from log/slog's:\n got  %+v\n want %+v", got, want)
	}
	// The comparison means something only if the event has it all.
	if len(want.Breadcrumbs) != 3 || len(want.Breadcrumbs[0].Data) < 2 || want.User.ID != "u-1" ||
		want.Tags["route"] != "/orders" || len(want.Exceptions) != 2 || len(want.Fingerprint) != 1 {
		t.Errorf("log/slog's event lacks what is compared: %+v", want)
	}
	if _, ok := want.Breadcrumbs[2].Data["req"].(map[string]any)["empty"]; ok {
		t.Errorf("an empty WithGroup shows: %v", want.Breadcrumbs[2].Data)
	}
}
