package core_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestElapsedOnEveryPath: an Entry timed as a base and the time elapsed
// since (Entry.Elapsed, zerologsentry's breadcrumbs) gives its record's
// time, Time plus Elapsed, on every path that makes a record: a
// breadcrumb built (fields written, a message encoder), filled in its
// trail (Encoder.Copies), begun and kept in two steps (StartBreadcrumb),
// an event, and a breadcrumb EscalateIf sends as an event, whose
// breadcrumb is kept in place or copied (past the breadcrumb limits). The
// times are read where Sentry sees them: the events' timestamps, their
// breadcrumbs', and the trail's (Trail.Breadcrumbs).
func TestElapsedOnEveryPath(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.BreadcrumbLimits.MaxAttrs = 4
	opts.EscalateIf = func(r logcrumbs.Record) bool { return strings.HasPrefix(r.Message(), "escalate") }
	escalating := core.New(opts, "test", 0)
	c := core.New(rec.Options(), "test", 0)
	ctx := rec.Context(context.Background())

	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	want := map[string]time.Time{}
	n := 0
	entry := func(level int, msg string) *core.Entry {
		n++
		d := time.Duration(n)*time.Minute + 7*time.Millisecond
		want[msg] = base.Add(d)
		return &core.Entry{Time: base, Elapsed: d, Level: core.LevelOf(level, -4, 0, 4, 8, 12), Message: msg}
	}
	info, errLevel := 4, 8

	c.Log(ctx, core.Breadcrumb, entry(info, "built"), nil, fields(nil))
	c.Log(ctx, core.Breadcrumb, entry(info, "filled"), nil, &core.Encoder{Copies: true, Fields: func(r *core.Record, _ *[]error) {
		r.AddText(core.KindString, "k", "v")
	}})
	msgEnt := entry(info, "encoded message")
	c.Log(ctx, core.Breadcrumb, msgEnt, nil, &core.Encoder{
		Message: func(r *core.Record) { r.SetMessage(msgEnt.Message) },
		Fields:  func(*core.Record, *[]error) {},
	})
	if r := c.StartBreadcrumb(context.Background(), entry(info, "two steps"), nil); r != nil {
		r.AddText(core.KindString, "k", "v")
		c.KeepBreadcrumb(ctx, r)
	} else {
		t.Fatal("StartBreadcrumb: nil")
	}
	escalating.Log(ctx, core.Breadcrumb, entry(info, "escalate small"), nil, fields(nil))
	escalating.Log(ctx, core.Breadcrumb, entry(info, "escalate large"), nil, &core.Encoder{Fields: func(r *core.Record, _ *[]error) {
		for i := range 6 {
			r.AddText(core.KindString, fmt.Sprint("k", i), "v")
		}
	}})
	c.Log(ctx, core.Event, entry(errLevel, "event"), nil, fields(nil))
	c.Log(ctx, core.Event, entry(errLevel, "last event"), nil, fields(nil))

	events := rec.Events()
	if len(events) != 4 {
		t.Fatalf("%d events, want 4", len(events))
	}
	check := func(what, msg string, at time.Time) {
		t.Helper()
		if w, ok := want[msg]; !ok || !at.Equal(w) {
			t.Errorf("%s %q: time %s, want %s (its Time plus Elapsed)", what, msg, at, w)
		}
	}
	for _, ev := range events {
		check("event", ev.Message, ev.Timestamp)
	}
	crumbs := events[3].Event.Breadcrumbs
	if len(crumbs) != 7 {
		t.Errorf("%d breadcrumbs in the last event, want 7", len(crumbs))
	}
	for _, b := range crumbs {
		check("the last event's breadcrumb", b.Message, b.Timestamp)
	}
	trail := logcrumbs.FromContext(ctx).Breadcrumbs()
	if len(trail) != 8 {
		t.Errorf("%d breadcrumbs in the trail, want 8", len(trail))
	}
	for _, b := range trail {
		check("the trail's breadcrumb", b.Message, b.Timestamp)
	}
}

// TestElapsedInCaptureOnceWindow: capture-once on the fallback trail,
// whose entries expire after FallbackCaptureWindow, times a record by
// Time plus Elapsed: an error logged again past the window after it, as
// told by Elapsed alone (the same base Time), is a new event; within it,
// a repeat.
func TestElapsedInCaptureOnceWindow(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.FallbackCaptureWindow = time.Minute
	c := core.New(opts, "test", 0)
	ctx := context.Background() // the fallback trail
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err := fmt.Errorf("elapsed window %s", t.Name())
	for i, d := range []time.Duration{0, 30 * time.Second, 2 * time.Minute} {
		ent := core.Entry{Time: base, Elapsed: d, Level: core.LevelOf(8, -4, 0, 4, 8, 12), Message: fmt.Sprint("failed ", i)}
		c.Log(ctx, core.Event, &ent, nil, fields(err))
	}
	if evs := rec.Events(); len(evs) != 2 || evs[0].Message != "failed 0" || evs[1].Message != "failed 2" {
		t.Errorf("events %v, want the first and the one past the window after it", evs)
	}
}
