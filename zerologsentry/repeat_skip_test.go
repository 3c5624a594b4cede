package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// skipLogAt1 and skipLogAt2 are two call sites of one log call.
func skipLogAt1(e *zerolog.Event, msg string) { e.Msg(msg) }
func skipLogAt2(e *zerolog.Event, msg string) { e.Msg(msg) }

// TestSkipRepeatAgreesWithTheFullPath: random sequences of error records,
// logged with skipping repeats without their record (core.SetSkipRepeats)
// and without, leave the same trails, send the same events, and count the
// same repeats (the summaries logcrumbs.Flush sends): through a hook and
// a writer of two options (another logger name and smaller breadcrumb
// limits), two call sites, different errors of one text, wrapped ones,
// two messages, fields that change, records too long for a breadcrumb to
// keep whole, new trails (an emptied unit's), ErrorMarshalFunc set and
// unset, and windows of deduplication that pass. Event IDs are compared
// by the order they first appear in; times are left out.
func TestSkipRepeatAgreesWithTheFullPath(t *testing.T) {
	defer core.SetSkipRepeats(true)
	defer func(f func(error) any) { zerolog.ErrorMarshalFunc = f }(zerolog.ErrorMarshalFunc)
	skipped := 0
	for seed := range uint64(24) {
		var full, got []string
		for try := 0; ; try++ {
			var steady, steadyToo bool
			full, steady = runRepeats(t, seed, false, nil)
			got, steadyToo = runRepeats(t, seed, true, &skipped)
			if steady && steadyToo {
				break
			}
			if try == 4 {
				t.Logf("seed %d: the machine stalled longer than its runs allow, five times: not compared", seed)
				full, got = nil, nil
				break
			}
		}
		if !reflect.DeepEqual(full, got) {
			for i := range min(len(full), len(got)) {
				if full[i] != got[i] {
					t.Fatalf("seed %d: line %d differs:\nfull path: %s\nskipping:  %s", seed, i, full[i], got[i])
				}
			}
			t.Fatalf("seed %d: %d lines on the full path, %d skipping", seed, len(full), len(got))
		}
	}
	if skipped == 0 {
		t.Fatal("no repeat was skipped: the sequences test nothing")
	}
}

// runRepeats logs seed's sequence and returns what it left, as lines, and
// whether no step of it took long enough to pass a deduplication window
// of its own (which the same sequence, run again, would not: the two are
// not compared then).
func runRepeats(t *testing.T, seed uint64, skip bool, skipped *int) ([]string, bool) {
	core.SetSkipRepeats(skip)
	marshal := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = marshal }()
	r := rand.New(rand.NewPCG(seed, 20))
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	expiring := seed%4 == 3
	if expiring {
		opts.DedupeWindow = 30 * time.Millisecond
	}
	small := opts
	small.LoggerName = "small"
	small.BreadcrumbLimits = logcrumbs.Limits{MaxAttrs: 6, MaxValueBytes: 40, MaxRecordBytes: 160}
	hooks := []*zerologsentry.Hook{
		zerologsentry.NewHook(zerologsentry.Options{Options: opts}),
		zerologsentry.NewHook(zerologsentry.Options{Options: small}),
	}
	writers := []*zerologsentry.Writer{
		zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts}),
		zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: small}),
	}
	// Texts of this run's own: the errors ErrorMarshalFunc remembers, and
	// zerolog's shared text-only errors, are remembered by text for the
	// whole process.
	run := fmt.Sprintf(" #%d-%v", seed, skip)
	base := errors.New("db down" + run)
	errs := []error{base, errors.New("db down" + run), fmt.Errorf("poll: %w", base), errors.New("timeout" + run)}
	var ctxs []context.Context
	for range 3 {
		ctxs = append(ctxs, rec.Context(context.Background()))
	}
	all := append([]context.Context(nil), ctxs...)
	// Steady: every stretch between two sleeps took less than half the
	// window, so that only the sleeps let a window pass.
	steady := true
	stretch := time.Now()
	for range 80 {
		if expiring && time.Since(stretch) > opts.DedupeWindow/2 {
			steady = false
		}
		switch k := r.IntN(20); {
		case k == 0: // the unit ends, another starts
			i := r.IntN(len(ctxs))
			ctxs[i] = rec.Context(context.Background())
			all = append(all, ctxs[i])
		case k == 1:
			if r.IntN(2) == 0 {
				zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(marshal)
			} else {
				zerolog.ErrorMarshalFunc = marshal
			}
		case k == 2 && expiring:
			time.Sleep(2 * opts.DedupeWindow)
			stretch = time.Now()
		default:
			ctx := ctxs[r.IntN(len(ctxs))]
			var l zerolog.Logger
			if i := r.IntN(4); i < 2 {
				_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(hooks[i]))
			} else {
				_, l = writers[i-2].WithContext(ctx, zerolog.New(writers[i-2]))
			}
			e := l.Error().Err(errs[r.IntN(len(errs))]).Str("path", "/cart")
			switch r.IntN(4) {
			case 0:
				e = e.Int("status", 402)
			case 1:
				e = e.Str("big", strings.Repeat("x", 50+r.IntN(100)))
			}
			msg := []string{"poll failed", "charge failed"}[r.IntN(2)]
			if r.IntN(2) == 0 {
				skipLogAt1(e, msg)
			} else {
				skipLogAt2(e, msg)
			}
		}
	}
	sent := len(rec.Events())
	logcrumbs.Flush(time.Second) // the summaries of the repeats, in no order
	lines := dumpRepeats(rec, sent, all, nil, run)
	if skipped != nil {
		*skipped += skipsSeen(lines)
	}
	return lines, steady
}

// skipsSeen counts the breadcrumbs of repeats in lines: an upper bound of
// the repeats skipped, that is 0 when none were.
func skipsSeen(lines []string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "  crumb error") && strings.Contains(l, "sentry.event_id=") {
			n++
		}
	}
	return n
}

// crumbLine is a breadcrumb as a line for the skip tests' comparisons:
// head, then its data sorted by key, the earlier event's ID named by id.
func crumbLine(head string, data map[string]any, id func(string) string) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(head)
	for _, k := range keys {
		v := data[k]
		if k == "sentry.event_id" {
			v = id(fmt.Sprint(v))
		}
		fmt.Fprintf(&b, " %s=%v", k, v)
	}
	return b.String()
}
