package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	pkgerrors "github.com/pkg/errors"
	"github.com/rs/zerolog"
	zpkgerrors "github.com/rs/zerolog/pkgerrors"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestSkippedRepeatBreadcrumb: an error record that capture-once skips, on
// a trail that skipped one already, keeps its fields encoded in its
// breadcrumb (its errors found by a scan that copies nothing), which reads
// as the breadcrumbs of the event it repeats and of the first repeat,
// whose fields were parsed at once: the same level, message and data, the
// same event named. Fields of every kind are logged, and a member that
// would hide the error if the scan read it wrong.
func TestSkippedRepeatBreadcrumb(t *testing.T) {
	for _, writer := range []bool{false, true} {
		t.Run(map[bool]string{false: "hook", true: "writer"}[writer], func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			errDeclined, errStock := errors.New("card declined"), errors.New("out of stock")
			fail := func(err error) {
				log.Error().Err(err).Str("path", "/cart\t\"x\"").Int("status", 402).Bool("retry", false).
					Dict("user", zerolog.Dict().Str("id", "u1").Ints("roles", []int{1, 2})).
					Str("note", `{"error":"not this"}`).Msg("checkout failed")
			}
			fail(errDeclined)
			fail(errDeclined) // skipped: capture-once
			fail(errDeclined) // skipped, its fields unparsed
			fail(errStock)
			events := rec.Events()
			if len(events) != 2 {
				t.Fatalf("%d events, want 2", len(events))
			}
			if ex := events[1].Exceptions(); len(ex) != 1 || ex[0].Value != "out of stock" {
				t.Fatalf("second event's exceptions: %+v", ex)
			}
			crumbs := events[1].Breadcrumbs()
			if len(crumbs) != 3 {
				t.Fatalf("%d breadcrumbs, want 3", len(crumbs))
			}
			last := crumbs[2]
			if last.Data["sentry.event_id"] != string(events[0].EventID) || last.Data["status"] != int64(402) {
				t.Errorf("the last repeat's breadcrumb: %v, want its fields and the first event's id", last.Data)
			}
			for i, c := range crumbs[:2] {
				if !reflect.DeepEqual(c, last) {
					t.Errorf("the last repeat's breadcrumb:\n%+v\nbreadcrumb %d, parsed at once:\n%+v", last, i, c)
				}
			}
		})
	}
}

// TestSkippedRepeatBreadcrumbPastMaxAttrs: a skipped repeat whose fields
// stay deferred in its breadcrumb reads as the breadcrumb of a repeat
// parsed at once, also when the breadcrumb's MaxAttrs binds and an empty
// object (a group that parses to nothing) comes after the limit: parsed
// within the event's limits, the empty group leaves no trace, and the
// copy counts no attribute for it as dropped.
func TestSkippedRepeatBreadcrumbPastMaxAttrs(t *testing.T) {
	for _, writer := range []bool{false, true} {
		t.Run(map[bool]string{false: "hook", true: "writer"}[writer], func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			errDeclined, errStock := errors.New("card declined"), errors.New("out of stock")
			fail := func(err error) {
				e := log.Error().Err(err)
				for i := range 70 {
					e = e.Int(fmt.Sprintf("k%d", i), i)
				}
				e.Dict("empty", zerolog.Dict()).Dict("nested", zerolog.Dict().Dict("inner", zerolog.Dict())).
					Str("after", "x").Msg("checkout failed")
			}
			fail(errDeclined)
			fail(errDeclined) // skipped: capture-once, parsed at once
			fail(errDeclined) // skipped, its fields kept deferred
			fail(errStock)
			events := rec.Events()
			if len(events) != 2 {
				t.Fatalf("%d events, want 2", len(events))
			}
			crumbs := events[1].Breadcrumbs()
			if len(crumbs) != 3 {
				t.Fatalf("%d breadcrumbs, want 3", len(crumbs))
			}
			if !reflect.DeepEqual(crumbs[2].Data, crumbs[1].Data) {
				t.Errorf("the deferred repeat's breadcrumb:\n%v\nthe one parsed at once:\n%v", crumbs[2].Data, crumbs[1].Data)
			}
		})
	}
}

// TestSkippedRepeatTimes: the breadcrumbs of an error logged again and
// again in one unit of work (the first sent, the others skipped repeats
// of it, or on the full path with core.SetSkipRepeats(false)) are timed
// within their log calls, through a Hook and a Writer: an error record's
// time is its clock's base plus the time elapsed since it (Entry.Elapsed),
// which a skipped repeat's breadcrumb must keep (buffer.Repeat.Elapsed).
// Sleeps between the calls put the elapsed time well past the slack.
func TestSkippedRepeatTimes(t *testing.T) {
	defer core.SetSkipRepeats(true)
	const slack = 3 * time.Millisecond // the record clock's maxDrift, and rounding
	for _, skip := range []bool{true, false} {
		for _, viaWriter := range []bool{false, true} {
			core.SetSkipRepeats(skip)
			rec := logcrumbstest.New(t)
			o := rec.Options()
			o.DedupeWindow = time.Minute // skipped repeats are counted on their fingerprint's entry
			opts := zerologsentry.Options{Options: o}
			ctx := rec.Context(context.Background())
			var l zerolog.Logger
			if viaWriter {
				w := zerologsentry.NewWriter(io.Discard, opts)
				_, l = w.WithContext(ctx, zerolog.New(w))
			} else {
				_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
			}
			boom := errors.New("s31 times")
			var windows [][2]time.Time
			for range 6 {
				time.Sleep(15 * time.Millisecond)
				before := time.Now()
				l.Error().Err(boom).Msg("charge failed")
				windows = append(windows, [2]time.Time{before, time.Now()})
			}
			if n := len(rec.Events()); n != 1 {
				t.Fatalf("skip %v, writer %v: %d events, want 1", skip, viaWriter, n)
			}
			var i int
			for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if c.Message != "charge failed" {
					continue
				}
				if i >= len(windows) {
					t.Fatalf("skip %v, writer %v: more breadcrumbs than records", skip, viaWriter)
				}
				w := windows[i]
				if c.Timestamp.Before(w[0].Add(-slack)) || c.Timestamp.After(w[1].Add(slack)) {
					t.Errorf("skip %v, writer %v: breadcrumb %d at %v, logged between %v and %v", skip, viaWriter, i,
						c.Timestamp.Format(time.StampMicro), w[0].Format(time.StampMicro), w[1].Format(time.StampMicro))
				}
				if _, ok := c.Data["sentry.event_id"]; !ok {
					t.Errorf("skip %v, writer %v: breadcrumb %d names no event", skip, viaWriter, i)
				}
				i++
			}
			if i != len(windows) {
				t.Errorf("skip %v, writer %v: %d breadcrumbs of %d records", skip, viaWriter, i, len(windows))
			}
		}
	}
}

// TestSkippedRepeatInPlaceRandom: with random fields (groups, the event
// ID's key at any depth and in the logger's context, escapes, NUL, invalid
// UTF-8, cut keys) and random limits, small and large, the breadcrumb of a
// skipped repeat whose fields stay deferred (taken in place, the event ID
// added before them, in about a quarter of the seeds) reads as that of the
// repeat before it, parsed at once, and as the event's own; so do their
// Sentry Logs (LogsOnEvent). For the hook and the writer, with and without
// ErrorMarshalFunc and ErrorStackMarshaler. It fails with the ID added
// after the deferred fields, or with Relimit's MaxAttrs checks left out.
func TestSkippedRepeatInPlaceRandom(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 100
	}
	prev, prevStack := zerolog.ErrorMarshalFunc, zerolog.ErrorStackMarshaler
	defer func() { zerolog.ErrorMarshalFunc, zerolog.ErrorStackMarshaler = prev, prevStack }()
	for seed := range uint64(seeds) {
		r := rand.New(rand.NewPCG(seed, 7))
		zlSmall = seed%2 == 0
		writer := r.IntN(2) == 0
		if r.IntN(2) == 0 {
			zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(prev)
		} else {
			zerolog.ErrorMarshalFunc = prev
		}
		stack := r.IntN(3) == 0
		zerolog.ErrorStackMarshaler = prevStack
		if stack {
			zerolog.ErrorStackMarshaler = zpkgerrors.MarshalStack
		}
		logs := r.IntN(3) == 0
		rec := logcrumbstest.New(t)
		opts := zerologsentry.Options{Options: rec.Options()}
		opts.LogsOnEvent = logs
		opts.BreadcrumbLimits = zlLimits(r)
		opts.EventLimits = zlLimits(r)
		if r.IntN(2) == 0 { // limits that take most records in place
			opts.BreadcrumbLimits.MaxAttrs = 500
			opts.EventLimits = logcrumbs.Limits{}
			if r.IntN(2) == 0 {
				opts.BreadcrumbLimits.MaxValueBytes = 5000
			}
		}
		ctx := rec.Context(context.Background())
		log := boundLogger(ctx, opts, writer)
		if r.IntN(3) == 0 {
			log = addRandomContext(r, log.With()).Logger()
		}
		fieldSeed := r.Uint64()
		msg := zlText(r, zlSize(r))
		errA := pkgerrors.New("declined " + zlText(r, zlSize(r)))
		errB := pkgerrors.New("out of stock")
		fail := func(err error) {
			fr := rand.New(rand.NewPCG(fieldSeed, 1))
			e := log.Error()
			if stack {
				e = e.Stack()
			}
			addRandomFields(fr, e.Err(err), 0).Msg(msg)
		}
		fail(errA)
		fail(errA) // skipped, parsed at once
		fail(errA) // skipped, its fields deferred
		fail(errA)
		fail(errB)
		events := rec.Events()
		if len(events) != 2 {
			t.Fatalf("seed %d: %d events, want 2", seed, len(events))
		}
		crumbs := events[1].Breadcrumbs()
		if len(crumbs) != 4 {
			t.Fatalf("seed %d: %d breadcrumbs, want 4", seed, len(crumbs))
		}
		for i := 1; i < 4; i++ {
			if !reflect.DeepEqual(crumbs[i], crumbs[0]) {
				t.Fatalf("seed %d (writer %v, limits %+v %+v): breadcrumb %d\n%#v\nthe event's own\n%#v",
					seed, writer, opts.BreadcrumbLimits, opts.EventLimits, i, crumbs[i], crumbs[0])
			}
		}
		if !logs {
			continue
		}
		// The repeats' records, sent to Logs with the second event
		// (LogsOnEvent): the deferred ones read as the one parsed at once.
		all := rec.Logs()
		if len(all) != 5 {
			t.Fatalf("seed %d: %d logs, want 5", seed, len(all))
		}
		sent := all[1:4]
		for _, l := range sent {
			delete(l.Attributes, "logcrumbs.time")
		}
		for i := 1; i < 3; i++ {
			if !reflect.DeepEqual(sent[i].Attributes, sent[0].Attributes) || sent[i].Level != sent[0].Level {
				t.Fatalf("seed %d: log %d\n%v\nthe event's own\n%v", seed, i, sent[i].Attributes, sent[0].Attributes)
			}
		}
	}
}
