package conformance

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

var errDown = errors.New("db down")

// layers are the loggers of a program's layers: the store logs each error
// it meets, with component=store; the service and the handler log what the
// layer below returned. Noise control keys an event by its client, logger,
// call site and error types: a driver's Log is one call site for every
// record, so the upper layers are told apart by their logger names, as the
// call sites of real upper layers tell them apart.
type layers struct {
	store, service, handler Logger
}

func newLayers(t *testing.T, d Driver, opts logcrumbs.Options) layers {
	named := func(name string) Logger {
		o := opts
		o.LoggerName = name
		return d.New(t, Config{Options: o})
	}
	return layers{store: named(""), service: named("service"), handler: named("handler")}
}

func (l layers) log(ctx context.Context, msg string, err error) {
	fields := []Field{{"component", "store"}}
	if err != nil {
		fields = append(fields, Field{"err", err})
	}
	l.store.Bind(ctx).Log(Error, msg, fields...)
}

// repeatsOf returns the count of repeats an event carries.
func repeatsOf(ev *sentry.Event) int {
	n, _ := ev.Contexts["logcrumbs"]["repeats"].(int)
	return n
}

// RepeatsInOneRequestAreCounted: one request that logs the same error
// value 1,000 times from one line is one event (capture once), and at Flush
// a summary of the same issue counts the 999 repeats.
func testRepeatsInOneRequestAreCounted(t *testing.T, d Driver) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	l := newLayers(t, d, opts)
	ctx := rec.Context(context.Background())
	err := fmt.Errorf("poll: %w", errDown)
	const n = 1000
	for range n {
		l.log(ctx, "poll failed", err)
	}
	if got := len(rec.Events()); got != 1 {
		t.Fatalf("%d events, want 1", got)
	}
	logcrumbs.Flush(time.Second)
	evs := rec.Events()
	if len(evs) != 2 || repeatsOf(evs[1].Event) != n-1 {
		t.Fatalf("%d events after Flush (the last with %d repeats), want a summary of %d repeats",
			len(evs), repeatsOf(evs[len(evs)-1].Event), n-1)
	}
	sameIssue(t, evs[0].Event, evs[1].Event)
}

// RepeatsRideOnTheNextEvent: the repeats of one request ride on the next
// event of their fingerprint once the window has passed, and the request's
// later repeats are still counted, at Flush.
func testRepeatsRideOnTheNextEvent(t *testing.T, d Driver) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = 50 * time.Millisecond
	l := newLayers(t, d, opts)
	ctx := rec.Context(context.Background())
	err := fmt.Errorf("poll: %w", errDown)
	for range 10 {
		l.log(ctx, "poll failed", err)
	}
	time.Sleep(60 * time.Millisecond)
	l.log(rec.Context(context.Background()), "poll failed", fmt.Errorf("poll: %w", errDown)) // another request
	evs := rec.Events()
	if len(evs) != 2 || repeatsOf(evs[1].Event) != 9 {
		t.Fatalf("%d events (the last with %d repeats), want 2, the second with 9", len(evs), repeatsOf(evs[len(evs)-1].Event))
	}
	for range 5 {
		l.log(ctx, "poll failed", err)
	}
	logcrumbs.Flush(time.Second)
	evs = rec.Events()
	if len(evs) != 3 || repeatsOf(evs[2].Event) != 5 {
		t.Errorf("%d events after Flush (the last with %d repeats), want a summary of 5", len(evs), repeatsOf(evs[len(evs)-1].Event))
	}
}

// OneBugAtThreeLayersIsOneEvent: the same error logged by the layers of one
// request is one event, and Flush sends nothing for it: the upper layers'
// records are not repeats, even when an upper layer has an event of its
// own, with the same error types, from another request.
func testOneBugAtThreeLayersIsOneEvent(t *testing.T, d Driver) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	l := newLayers(t, d, opts)
	l.handler.Bind(rec.Context(context.Background())).Log(Error, "request failed", Field{"err", errors.New("earlier bug")})

	ctx := rec.Context(context.Background())
	err := errors.New("disk full")
	l.log(ctx, "write failed", err)
	l.service.Bind(ctx).Log(Error, "save failed", Field{"err", fmt.Errorf("save: %w", err)})
	l.handler.Bind(ctx).Log(Error, "request failed", Field{"err", err})
	if n := len(rec.Events()); n != 2 {
		t.Fatalf("%d events, want 2: the earlier bug and this one", n)
	}
	logcrumbs.Flush(time.Second)
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("Flush sent %d events, want none: %q", len(evs)-2, evs[len(evs)-1].Message)
	}
}

// RepeatsAreOneLayers: in a request that logs one error value over and
// over from one layer (a hot loop), the same record from another layer,
// identical but for its logger (the same level, message, fields and
// error), is not a repeat, however the two interleave: only the hot loop's
// repeats are counted, in the summary Flush sends. (Drivers log from one
// call site, so that layers differ by logger here, which the key holds;
// crosstest's TestRepeatsAreOneCallSites tells call sites apart. Each layer
// is an integration of its own, whose remembered last repeat
// (policy.RepeatMemo) is its own: that the memo's identity holds the
// logger is pinned by zapsentry's TestRepeatsAreOneNamedLogger, with two
// named loggers of one core.)
func testRepeatsAreOneLayers(t *testing.T, d Driver) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	l := newLayers(t, d, opts)
	ctx := rec.Context(context.Background())
	err := fmt.Errorf("poll: %w", errDown)
	service := func() {
		l.service.Bind(ctx).Log(Error, "poll failed", Field{"component", "store"}, Field{"err", err})
	}
	l.log(ctx, "poll failed", err) // the event
	for range 3 {
		l.log(ctx, "poll failed", err)
		service()
	}
	service()
	l.log(ctx, "poll failed", err)
	if got := len(rec.Events()); got != 1 {
		t.Fatalf("%d events, want 1", got)
	}
	logcrumbs.Flush(time.Second)
	evs := rec.Events()
	if len(evs) != 2 || repeatsOf(evs[1].Event) != 4 {
		t.Fatalf("%d events after Flush (the last with %d repeats), want a summary of the store's 4 repeats",
			len(evs), repeatsOf(evs[len(evs)-1].Event))
	}
}

// RepeatsSummaryJoinsItsIssue: 200 requests that log one bug are one event,
// and at Flush a summary that Sentry groups with it: the same fingerprint,
// exception chain (types, values, stack frames, mechanisms) or, for a
// message event, message and stack; with the count of repeats and without
// the trail.
func testRepeatsSummaryJoinsItsIssue(t *testing.T, d Driver) {
	for _, c := range []struct {
		name           string
		fingerprintKey string
		err            error
	}{
		{"exception", "", errDown},
		{"fingerprint", "component", errDown},
		{"message", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			opts.DedupeWindow, opts.FingerprintKey = time.Minute, c.fingerprintKey
			l := newLayers(t, d, opts)
			for range 200 {
				err := c.err
				if err != nil {
					err = fmt.Errorf("query: %w", err)
				}
				l.log(rec.Context(context.Background()), "query failed", err)
			}
			if n := len(rec.Events()); n != 1 {
				t.Fatalf("%d events from 200 requests of one bug, want 1", n)
			}
			logcrumbs.Flush(time.Second)
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events after Flush, want the event and a summary", len(evs))
			}
			orig, sum := evs[0].Event, evs[1].Event
			if repeatsOf(sum) != 199 || sum.Tags["logcrumbs.summary"] != "true" || len(sum.Breadcrumbs) != 0 {
				t.Errorf("summary: repeats %d, tags %v, %d breadcrumbs; want 199, logcrumbs.summary, none",
					repeatsOf(sum), sum.Tags, len(sum.Breadcrumbs))
			}
			switch {
			case c.fingerprintKey != "" && len(orig.Fingerprint) == 0,
				c.err != nil && (len(orig.Exception) == 0 || orig.Exception[len(orig.Exception)-1].Stacktrace == nil),
				c.err == nil && (len(orig.Threads) != 1 || orig.Threads[0].Stacktrace == nil):
				t.Fatalf("the event lacks what this case compares: fingerprint %v, %d exceptions, %d threads",
					orig.Fingerprint, len(orig.Exception), len(orig.Threads))
			}
			sameIssue(t, orig, sum)
		})
	}
}

// sameIssue checks that sum carries what Sentry groups orig on.
func sameIssue(t *testing.T, orig, sum *sentry.Event) {
	t.Helper()
	if sum.Message != orig.Message || sum.Level != orig.Level || sum.Logger != orig.Logger ||
		!slices.Equal(sum.Fingerprint, orig.Fingerprint) {
		t.Errorf("summary %q %s %s %v, want %q %s %s %v", sum.Message, sum.Level, sum.Logger, sum.Fingerprint,
			orig.Message, orig.Level, orig.Logger, orig.Fingerprint)
	}
	if len(sum.Exception) != len(orig.Exception) {
		t.Fatalf("summary has %d exceptions, want %d", len(sum.Exception), len(orig.Exception))
	}
	for i, o := range orig.Exception {
		s := sum.Exception[i]
		if s.Type != o.Type || s.Value != o.Value || s.Module != o.Module {
			t.Errorf("exception %d: %s %q, want %s %q", i, s.Type, s.Value, o.Type, o.Value)
		}
		if (s.Mechanism == nil) != (o.Mechanism == nil) || (o.Mechanism != nil && !reflect.DeepEqual(*s.Mechanism, *o.Mechanism)) {
			t.Errorf("exception %d: mechanism %+v, want %+v", i, s.Mechanism, o.Mechanism)
		}
		sameFrames(t, s.Stacktrace, o.Stacktrace)
	}
	if len(sum.Threads) != len(orig.Threads) {
		t.Fatalf("summary has %d threads, want %d", len(sum.Threads), len(orig.Threads))
	}
	for i := range orig.Threads {
		sameFrames(t, sum.Threads[i].Stacktrace, orig.Threads[i].Stacktrace)
	}
}

func sameFrames(t *testing.T, got, want *sentry.Stacktrace) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Errorf("stack trace %v, want %v", got, want)
		return
	}
	if want == nil {
		return
	}
	if len(got.Frames) != len(want.Frames) {
		t.Errorf("%d frames, want %d", len(got.Frames), len(want.Frames))
		return
	}
	for i, w := range want.Frames {
		g := got.Frames[i]
		if g.Function != w.Function || g.Module != w.Module || g.Filename != w.Filename || g.AbsPath != w.AbsPath ||
			g.Lineno != w.Lineno || g.InApp != w.InApp {
			t.Errorf("frame %d: %s %s:%d, want %s %s:%d", i, g.Function, g.Filename, g.Lineno, w.Function, w.Filename, w.Lineno)
		}
	}
}

// ConcurrentDedupedRepeatsCounted: one unit of work sends an error's
// event; then the goroutines of other units log the same error value at
// once, again and again, from the same line, within DedupeWindow. Noise
// control deduplicates each unit's first record, and every other record
// of the unit is a capture-once repeat of it: no other event is sent,
// every record is a repeat of the first unit's event, counted once (the
// summary of Flush), and each of the units' breadcrumbs names that event,
// none an event that was never sent. A goroutine must not find the error
// under the ID its unit's first record took before noise control
// deduplicated it. The records race: rounds of new units are repeated (on
// e73a3ec, slog failed within its first 15 rounds in each of 20 runs).
// One client and one line make one fingerprint for the whole case: noise
// control keeps at most 4,096 for their window.
func testConcurrentDedupedRepeatsCounted(t *testing.T, d Driver) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := d.New(t, Config{Options: opts})
	boom := errors.New("card declined " + t.Name())
	logger.Bind(rec.Context(context.Background())).Log(Error, "charge failed", Field{"err", boom}, Field{"path", "/cart"})
	if n := len(rec.Events()); n != 1 {
		t.Fatalf("the first unit sent %d events, want 1", n)
	}
	sentID := string(rec.Events()[0].EventID)
	for round := range 40 {
		if msg := dedupedRepeatsRound(rec, logger, boom, sentID); msg != "" {
			t.Fatalf("round %d: %s", round, msg)
		}
	}
}

// dedupedRepeatsRound has the goroutines of new units log boom through
// logger, whose fingerprint's event sentID is (see
// testConcurrentDedupedRepeatsCounted), and returns what went wrong, or "".
func dedupedRepeatsRound(rec *logcrumbstest.Recorder, logger Logger, boom error, sentID string) string {
	// Each unit keeps all its records: within the trail's 100.
	const units, goroutines, each = 4, 8, 12
	var ctxs []context.Context
	for range units {
		ctxs = append(ctxs, rec.Context(context.Background()))
	}
	before := len(rec.Events())
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, ctx := range ctxs {
		for range goroutines {
			wg.Go(func() {
				log := logger.Bind(ctx)
				<-start
				for range each {
					log.Log(Error, "charge failed", Field{"err", boom}, Field{"path", "/cart"})
				}
			})
		}
	}
	close(start)
	wg.Wait()
	if n := len(rec.Events()) - before; n != 0 {
		return fmt.Sprintf("%d events sent, want none (repeats of the first unit's)", n)
	}
	logcrumbs.Flush(time.Second)
	repeats := 0
	for _, ev := range rec.Events()[before:] {
		repeats += repeatsOf(ev.Event)
	}
	var problems []string
	if total := units * goroutines * each; repeats != total {
		problems = append(problems, fmt.Sprintf("%d repeats counted, of %d records", repeats, total))
	}
	for i, ctx := range ctxs {
		n, other := 0, map[string]int{}
		for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			if c.Message != "charge failed" {
				continue
			}
			n++
			if id, _ := c.Data["sentry.event_id"].(string); id != sentID {
				other[id]++
			}
		}
		if n != goroutines*each || len(other) > 0 {
			problems = append(problems, fmt.Sprintf("unit %d keeps %d breadcrumbs of %d records, naming another ID than the event sent (%s): %v", i, n, goroutines*each, sentID, other))
		}
	}
	if len(problems) == 0 {
		return ""
	}
	return fmt.Sprint(problems)
}

// ConcurrentRepeatsCountedAcrossEvents: the goroutines of two requests
// repeat their request's event of one fingerprint, on and on, while other
// requests send the fingerprint's next events (each takes the repeats
// counted so far) and another goroutine flushes (Flush's summaries take
// them too): every repeat is reported once, on an event or a summary, none
// lost and none twice. Four events in all: the requests' own are still
// the fingerprint's recent ones, whose repeats count. The window is a
// microsecond, so that each new request's record is an event of its own.
func testConcurrentRepeatsCountedAcrossEvents(t *testing.T, d Driver) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Microsecond
	logger := d.New(t, Config{Options: opts})
	boom := errors.New("card declined " + t.Name())
	logIt := func(ctx context.Context) {
		logger.Bind(ctx).Log(Error, "charge failed", Field{"err", boom})
	}
	storms := []context.Context{rec.Context(context.Background()), rec.Context(context.Background())}
	for _, ctx := range storms {
		time.Sleep(time.Millisecond) // past the window
		logIt(ctx)
	}
	if n := len(rec.Events()); n != len(storms) {
		t.Fatalf("the storms' requests sent %d events, want %d", n, len(storms))
	}
	const goroutines = 4
	var stop atomic.Bool
	var logged atomic.Int64
	var wg sync.WaitGroup
	for _, ctx := range storms {
		for range goroutines {
			wg.Go(func() {
				log := logger.Bind(ctx)
				n := int64(0)
				for ; !stop.Load() || n < 200; n++ {
					log.Log(Error, "charge failed", Field{"err", boom})
				}
				logged.Add(n)
			})
		}
	}
	flushing := make(chan struct{})
	var flusher sync.WaitGroup
	flusher.Go(func() {
		for {
			select {
			case <-flushing:
				return
			default:
				logcrumbs.Flush(time.Second)
			}
		}
	})
	for range 4 - len(storms) {
		time.Sleep(20 * time.Millisecond)
		logIt(rec.Context(context.Background())) // the fingerprint's next event
	}
	time.Sleep(20 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	close(flushing)
	flusher.Wait()
	logcrumbs.Flush(time.Second)
	events, repeats := 0, 0
	for _, ev := range rec.Events() {
		if _, sum := ev.Event.Tags["logcrumbs.summary"]; !sum {
			events++
		}
		repeats += repeatsOf(ev.Event)
	}
	if events != 4 || int64(repeats) != logged.Load() {
		t.Errorf("%d events, %d repeats reported on them and %d summaries; want 4 events and the %d repeats logged",
			events, repeats, len(rec.Events())-events, logged.Load())
	}
}
