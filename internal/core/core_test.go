package core_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

func TestLevels(t *testing.T) {
	lowest := 0
	dynamic := core.DynamicLevels(func(l int) bool { return l >= lowest }, func(l int) bool { return l >= 8 })
	fixed := core.FixedLevels(0, 8)
	for _, tc := range []struct {
		level int
		want  core.Decision
	}{{-4, core.Skip}, {0, core.Breadcrumb}, {4, core.Breadcrumb}, {8, core.Event}, {12, core.Event}} {
		if got := fixed.Decide(tc.level); got != tc.want {
			t.Errorf("fixed.Decide(%d) = %v, want %v", tc.level, got, tc.want)
		}
		if got := dynamic.Decide(tc.level); got != tc.want {
			t.Errorf("dynamic.Decide(%d) = %v, want %v", tc.level, got, tc.want)
		}
	}
	lowest = 5 // read at each record
	if got := dynamic.Decide(4); got != core.Skip {
		t.Errorf("dynamic.Decide(4) after raising the level = %v, want Skip", got)
	}
}

// fields is an Encoder writing one string field and, for events, one error.
func fields(err error) *core.Encoder {
	return &core.Encoder{Fields: func(rec *core.Record, errs *[]error) {
		rec.AddText(core.KindString, "path", "/cart")
		if err != nil {
			rec.AddText(core.KindString, "error", err.Error())
			if errs != nil {
				*errs = append(*errs, err)
			}
		}
	}}
}

func TestLogBreadcrumbThenEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	c := core.New(rec.Options(), "test", 0)
	ctx := rec.Context(context.Background())
	preset := c.With(nil, func(r *core.Record, _ *[]error) { r.AddText(core.KindString, "svc", "shop") })

	ent := core.Entry{Time: time.Now(), Level: core.LevelOf(0, -4, 0, 4, 8, 12), Logger: "named", Message: "loading cart"}
	c.Log(ctx, core.Breadcrumb, &ent, preset, fields(nil))
	c.Log(ctx, core.Skip, &ent, preset, fields(nil)) // nothing
	err := fmt.Errorf("checkout: %w", errors.New("card declined"))
	ev := core.Entry{Time: time.Now(), Level: core.LevelOf(8, -4, 0, 4, 8, 12), Message: "checkout failed"}
	c.Log(ctx, core.Event, &ev, preset, fields(err))

	events := rec.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	crumbs := events[0].Breadcrumbs()
	if len(crumbs) != 1 || crumbs[0].Message != "loading cart" || crumbs[0].Category != "named" ||
		crumbs[0].Data["svc"] != "shop" || crumbs[0].Data["path"] != "/cart" {
		t.Errorf("breadcrumbs = %+v, want one of logger named with svc and path", crumbs)
	}
	if events[0].Message != "checkout failed" || events[0].Logger != "test" || events[0].Level != sentry.LevelError {
		t.Errorf("event: message %q, logger %q, level %q", events[0].Message, events[0].Logger, events[0].Level)
	}
	if ex := events[0].Exceptions(); len(ex) != 2 || ex[0].Value != err.Error() {
		t.Errorf("exceptions = %+v, want the %%w chain of %q", ex, err)
	}

	// The same error logged again from the same trail is not sent twice.
	c.Log(ctx, core.Event, &ev, preset, fields(err))
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events after logging the error again, want 1 (capture-once)", n)
	}
}

func TestLoggerNameWins(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.LoggerName = "mine"
	c := core.New(opts, "test", 0)
	ev := core.Entry{Time: time.Now(), Level: core.LevelOf(8, -4, 0, 4, 8, 12), Logger: "named", Message: "failed"}
	c.Log(rec.Context(context.Background()), core.Event, &ev, nil, fields(nil))
	if events := rec.Events(); len(events) != 1 || events[0].Logger != "mine" {
		t.Errorf("events = %v, want one of logger mine", events)
	}
}

func TestBreadcrumbAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates")
	}
	c := core.New(logcrumbs.Options{}, "test", 0)
	ctx := logcrumbs.NewContext(context.Background())
	preset := c.With(nil, func(r *core.Record, _ *[]error) { r.AddText(core.KindString, "svc", "shop") })
	path := "/cart"
	log := func() {
		ent := core.Entry{Time: time.Now(), Level: core.LevelOf(0, -4, 0, 4, 8, 12), Message: "loading cart"}
		c.Log(ctx, core.Breadcrumb, &ent, preset, &core.Encoder{Fields: func(rec *core.Record, _ *[]error) {
			rec.AddText(core.KindString, "path", path)
		}})
	}
	for range 2 * logcrumbs.DefaultCapacity {
		log()
	}
	if n := testing.AllocsPerRun(1000, log); n != 0 {
		t.Errorf("a breadcrumb allocates %.1f times, want 0", n)
	}
}

func TestEnsureTrail(t *testing.T) {
	ctx := core.EnsureTrail(context.Background())
	if logcrumbs.FromContext(ctx) == nil {
		t.Fatal("no trail attached")
	}
	if again := core.EnsureTrail(ctx); logcrumbs.FromContext(again).Len() != logcrumbs.FromContext(ctx).Len() || again != ctx {
		t.Error("a context with a trail must be returned as it is")
	}
}

// loggerEntry stands for a logger's own entry type that it panics with
// (logrus panics with its *Entry, not the message).
type loggerEntry struct{ msg string }

// TestPanicValueNoted: a Panics record whose logger panics with a value
// other than its message (Entry.PanicValue), recovered by RunJob, is one
// event.
func TestPanicValueNoted(t *testing.T) {
	rec := logcrumbstest.New(t)
	c := core.New(rec.Options(), "test", 0)
	_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
		e := &loggerEntry{msg: "invariant broken"}
		ent := core.Entry{Time: time.Now(), Level: core.LevelOf(16, -4, 0, 4, 8, 12), Message: e.msg, Panics: true, PanicValue: e}
		c.Log(ctx, core.Event, &ent, nil, fields(nil))
		panic(e)
	})
	if evs := rec.Events(); len(evs) != 1 {
		for _, ev := range evs {
			t.Logf("event %q", ev.Message)
		}
		t.Errorf("%d events for one record whose logger then panics with its entry, want 1", len(evs))
	}
}

// TestNewEventRecordAllocatesOnce: an event logged into a new trail that is
// never emptied back into the record pool (NewContext with no unit's end,
// as a consumer of messages may use it) keeps its record as the event's
// breadcrumb, so the next event's record is new: it allocates its struct,
// its bytes and its attributes once each, and the trail is the fourth
// allocation. It was grown as it was written, 7 allocations more here
// (issue 20: the ZapEvent/-empty rows went from 54 to 61 allocations).
func TestNewEventRecordAllocatesOnce(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates")
	}
	c := core.New(logcrumbs.Options{}, "test", 0) // no client: the record is kept, nothing sent
	preset := c.With(nil, func(r *core.Record, _ *[]error) { r.AddText(core.KindString, "svc", "shop") })
	err := fmt.Errorf("charge order 42: %w", errors.New("card declined by the issuing bank"))
	log := func() {
		ent := core.Entry{Time: time.Now(), Level: core.LevelOf(8, -4, 0, 4, 8, 12), Message: "charge failed"}
		c.Log(logcrumbs.NewContext(context.Background()), core.Event, &ent, preset, &core.Encoder{Fields: func(rec *core.Record, errs *[]error) {
			rec.AddText(core.KindString, "path", "/orders/42")
			rec.AddScalar(core.KindInt64, "status", 502)
			rec.AddScalar(core.KindDuration, "took", uint64(3*time.Millisecond))
			rec.AddScalar(core.KindBool, "cached", 0)
			rec.AddText(core.KindString, "err", err.Error())
			*errs = append(*errs, err)
		}})
	}
	if n := testing.AllocsPerRun(1000, log); n > 4 {
		t.Errorf("an event in a new trail allocates %.1f times, want at most 4: the trail, the record's struct, bytes and attributes", n)
	}
}
