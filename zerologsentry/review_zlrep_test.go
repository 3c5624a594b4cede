package zerologsentry_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	pkgerrors "github.com/pkg/errors"
	"github.com/rs/zerolog"
	zpkgerrors "github.com/rs/zerolog/pkgerrors"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// zlKeys are the keys randomZerologFields picks from: the event ID's
// entry's, zerolog's own, empty, long enough to be cut.
var zlKeys = []string{"a", "b", "sentry.event_id", "sentry", "event_id", "error", "level", "time", "message", "",
	strings.Repeat("k", 130), "user"}

// randomText is a string of about size bytes, with escapes, non-ASCII and
// invalid UTF-8 now and then.
func zlText(r *rand.Rand, size int) string {
	var b strings.Builder
	for b.Len() < size {
		switch r.IntN(12) {
		case 0:
			b.WriteString(`"`)
		case 1:
			b.WriteString(`\`)
		case 2:
			b.WriteString("é")
		case 3:
			b.WriteByte(0xff)
		case 4:
			b.WriteByte(0)
		case 5:
			b.WriteString("\n")
		default:
			b.WriteString("abcdefgh"[:1+r.IntN(8)])
		}
	}
	return b.String()
}

// zlSmall keeps the sizes zlSize picks small: records a breadcrumb takes
// in place.
var zlSmall bool

func zlSize(r *rand.Rand) int {
	if zlSmall {
		return r.IntN(12)
	}
	switch r.IntN(5) {
	case 0:
		return 20 + r.IntN(200)
	case 1:
		return 900 + r.IntN(300)
	}
	return r.IntN(12)
}

// addRandomFields adds random fields to e, groups (Dict) among them.
func addRandomFields(r *rand.Rand, e *zerolog.Event, depth int) *zerolog.Event {
	n := r.IntN(6)
	if r.IntN(6) == 0 && !zlSmall {
		n = 30 + r.IntN(60)
	}
	for range n {
		key := zlKeys[r.IntN(len(zlKeys))]
		switch r.IntN(8) {
		case 0, 1:
			// An empty error text is left out: capture-once cannot tell
			// its repeats once a stack makes each a new error.
			e = e.Str(key, "e"+zlText(r, zlSize(r)))
		case 2:
			e = e.Int(key, r.IntN(1000))
		case 3:
			if depth < 3 {
				e = e.Dict(key, addRandomFields(r, zerolog.Dict(), depth+1))
			}
		case 4:
			e = e.Bool(key, r.IntN(2) == 0)
		case 5:
			e = e.Float64(key, r.Float64())
		case 6:
			e = e.Ints(key, []int{1, 2, 3})
		case 7:
			e = e.RawJSON(key, []byte(`{"x":[1,"\u00e9"],"sentry.event_id":"y"}`))
		}
	}
	return e
}

func zlLimits(r *rand.Rand) logcrumbs.Limits {
	pick := func(xs ...int) int { return xs[r.IntN(len(xs))] }
	return logcrumbs.Limits{
		MaxAttrs:       pick(0, 3, 10, 64, 100, 600),
		MaxValueBytes:  pick(0, 2, 10, 40, 100, 1024, 5000),
		MaxRecordBytes: pick(0, 60, 200, 1000, 4096, 20000, 40000),
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

func addRandomContext(r *rand.Rand, c zerolog.Context) zerolog.Context {
	for range 1 + r.IntN(3) {
		key := zlKeys[r.IntN(len(zlKeys))]
		switch r.IntN(3) {
		case 0:
			c = c.Str(key, "e"+zlText(r, zlSize(r)))
		case 1:
			c = c.Int(key, 7)
		case 2:
			c = c.Dict(key, zerolog.Dict().Str("sentry.event_id", "z").Int("n", 1))
		}
	}
	return c
}
