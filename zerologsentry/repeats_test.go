package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestRepeatAllocsAsBareLogger holds the error-storm promise (issue 20) for
// zerolog: a request that logs the same error over and over sends one
// event, and every later record, which capture-once skips (and counts as a
// repeat, and keeps as an error breadcrumb), allocates no more than zerolog
// alone allocates for the same call, with the hook and with the writer,
// with zerolog's own ErrorMarshalFunc (the error known by its text) and
// with zerologsentry.ErrorMarshalFunc (the real error value). It allocated
// 6 times either way: 3 closures and the stack they shared, a copy of every
// string member's text (2) for the look-up in the recent errors, and the
// TextError or the remembered value ErrorMarshalFunc made at each record;
// then 2 with text errors, a core.TextError and a copy of its text per
// record, until the text-only errors made lately were shared.
func TestRepeatAllocsAsBareLogger(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	err := fmt.Errorf("charge order 42: %w", errors.New("card declined by the issuing bank"))
	measure := func(l zerolog.Logger) float64 {
		logOnce := func() {
			l.Error().Err(err).Str("path", "/orders/42").Int("status", 502).Dur("took", 3*time.Millisecond).Msg("charge failed")
		}
		for range 2 * logcrumbs.DefaultCapacity {
			logOnce()
		}
		return testing.AllocsPerRun(1000, logOnce)
	}
	for _, real := range []bool{false, true} {
		for _, writer := range []bool{false, true} {
			name := map[bool]string{false: "hook", true: "writer"}[writer] + map[bool]string{false: "-text", true: "-ErrorMarshalFunc"}[real]
			t.Run(name, func(t *testing.T) {
				saved := zerolog.ErrorMarshalFunc
				t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
				zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
				bare := measure(zerolog.New(io.Discard))
				if real {
					zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
				}
				rec := logcrumbstest.New(t)
				ctx := rec.Context(context.Background())
				opts := zerologsentry.Options{Options: rec.Options()}
				l := boundLogger(ctx, opts, writer)
				got := measure(l)
				if n := len(rec.Events()); n != 1 {
					t.Fatalf("%d events sent, want 1: the records after the first are repeats", n)
				}
				t.Logf("a skipped repeat allocates %.1f times, zerolog alone %.1f", got, bare)
				if got > bare {
					t.Errorf("a skipped repeat allocates %.1f times, zerolog alone %.1f: want no more", got, bare)
				}
			})
		}
	}
}

// TestConcurrentRepeatsCounted: goroutines of several units of work
// log one error value again and again from one line, through a Hook and
// a Writer, with skipped repeats (core.SetSkipRepeats) and without. One
// event is sent (the deduplication window spans the run); every other
// record is a repeat of it, counted once (the summaries of Flush), and
// every unit keeps a breadcrumb of each of its records, none of which
// names an event that was never sent ("a breadcrumb never names an event
// that was not sent", buffer.Trail.Recaptured). Rounds are repeated, as
// the records race.
func TestConcurrentRepeatsCounted(t *testing.T) {
	defer core.SetSkipRepeats(true)
	for _, skip := range []bool{false, true} {
		for round := range 20 {
			if msg := s31Round(t, skip, round); msg != "" {
				t.Fatalf("skip %v, round %d: %s", skip, round, msg)
			}
		}
	}
}

func s31Round(t *testing.T, skip bool, round int) string {
	core.SetSkipRepeats(skip)
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	hook := zerologsentry.NewHook(zerologsentry.Options{Options: opts})
	writer := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts})
	boom := fmt.Errorf("s31 boom %v %d", skip, round)
	const units, goroutines, each = 4, 6, 15
	var ctxs []context.Context
	for range units {
		ctxs = append(ctxs, rec.Context(context.Background()))
	}
	var wg sync.WaitGroup
	for u, ctx := range ctxs {
		for g := range goroutines {
			wg.Go(func() {
				var l zerolog.Logger
				if (u+g)%2 == 0 {
					_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(hook))
				} else {
					_, l = writer.WithContext(ctx, zerolog.New(writer))
				}
				for range each {
					l.Error().Err(boom).Str("path", "/cart").Msg("charge failed")
				}
			})
		}
	}
	wg.Wait()
	sent := len(rec.Events())
	logcrumbs.Flush(time.Second)
	repeats := 0
	for _, ev := range rec.Events()[sent:] {
		n, _ := ev.Contexts["logcrumbs"]["repeats"].(int)
		repeats += n
	}
	var problems []string
	if total := units * goroutines * each; sent != 1 || sent+repeats != total {
		problems = append(problems, fmt.Sprintf("%d events sent and %d repeats counted, of %d records", sent, repeats, total))
	}
	ids := map[string]bool{}
	for _, ev := range rec.Events()[:sent] {
		ids[string(ev.EventID)] = true
	}
	for i, ctx := range ctxs {
		n, unsent := 0, 0
		for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			if c.Message != "charge failed" {
				continue
			}
			n++
			if id, _ := c.Data["sentry.event_id"].(string); !ids[id] {
				unsent++
			}
		}
		if n != goroutines*each || unsent > 0 {
			problems = append(problems, fmt.Sprintf("unit %d keeps %d breadcrumbs of %d records, %d naming no event sent", i, n, goroutines*each, unsent))
		}
	}
	return strings.Join(problems, "; ")
}

// An error event whose capture panics (the user's BeforeSend, recovered
// by logcrumbs) is not sent, yet capture-once kept the error under its
// ID: the repeats after it named an event that never existed in their
// breadcrumbs (sentry.event_id), and logcrumbs.LastEventID returned it,
// as if it had been sent. A BeforeSend that drops the event (nil) names
// none; a panicking one must not either. Both paths (a skipped repeat and
// the full one) are held to it.
func TestPanickedEventNotNamedByRepeats(t *testing.T) {
	for _, skip := range []bool{true, false} {
		func() {
			defer core.SetSkipRepeats(true)
			core.SetSkipRepeats(skip)
			calls := 0
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					if ev.Type == "" && ev.Tags["logcrumbs.summary"] == "" {
						calls++
						if calls == 1 {
							panic("BeforeSend bug")
						}
					}
					return ev
				}
			})
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			ctx, l := zerologsentry.WithContext(rec.Context(context.Background()),
				zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts})))
			err := errors.New("card declined")
			for range 4 {
				skipLogAt1(l.Error().Err(err), "charge failed")
			}
			if id := logcrumbs.LastEventID(ctx); id != "" {
				t.Errorf("skip %v: LastEventID = %q, an event never sent", skip, id)
			}
			for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if id, ok := b.Data["sentry.event_id"]; ok {
					t.Errorf("skip %v: a breadcrumb names event %v, never sent", skip, id)
				}
			}
			if n := len(rec.Events()); n != 0 {
				t.Errorf("skip %v: %d events sent, want 0", skip, n)
			}
		}()
	}
}

// TestRepeatsOfInFlightEventDropped: while the client decides a unit's
// event (BeforeSend, held here), another goroutine of the unit logs the
// same error over and over, its repeats skipped (core.skipRepeat, and the
// full path for the first of a run, and with skipping off). The client
// then drops the event: no breadcrumb of the unit names it, nor does
// LastEventID, and the repeats logged after name no event either.
func TestRepeatsOfInFlightEventDropped(t *testing.T) {
	for _, skip := range []bool{true, false} {
		func() {
			defer core.SetSkipRepeats(true)
			core.SetSkipRepeats(skip)
			inFlight, release := make(chan struct{}), make(chan struct{})
			var once sync.Once
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(*sentry.Event, *sentry.EventHint) *sentry.Event {
					once.Do(func() { close(inFlight); <-release })
					return nil
				}
			})
			log := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()}))
			ctx := rec.Context(context.Background())
			boom := errors.New("in flight: card declined")
			logIt := func() { log.Error().Ctx(ctx).Err(boom).Msg("charge failed") }
			done := make(chan struct{})
			go func() {
				defer close(done)
				logIt()
			}()
			<-inFlight
			for range 20 {
				logIt() // repeats of the event in the client's hands
			}
			if id := logcrumbs.LastEventID(ctx); id == "" {
				t.Fatalf("skip %v: in flight, LastEventID is empty: the repeats were not folded into the event", skip)
			}
			close(release)
			<-done
			for range 5 {
				logIt()
			}
			if n := len(rec.Events()); n != 0 {
				t.Fatalf("skip %v: %d events, want none", skip, n)
			}
			named := 0
			for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if _, ok := c.Data["sentry.event_id"]; ok {
					named++
				}
			}
			if named > 0 {
				t.Errorf("skip %v: %d breadcrumbs name the dropped event", skip, named)
			}
			if id := logcrumbs.LastEventID(ctx); id != "" {
				t.Errorf("skip %v: LastEventID = %q, dropped", skip, id)
			}
		}()
	}
}
