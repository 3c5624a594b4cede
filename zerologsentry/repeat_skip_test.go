package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/buffer"
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

// TestSkipRepeatAgreesWithTheFullPathOptions is
// TestSkipRepeatAgreesWithTheFullPath across the options that touch
// capture, one random set of them a seed: RequireError, FingerprintKey,
// TagKeys, long logger names, small and tiny limits of either kind, Warn
// as the event level, EscalateIf, Sentry Logs (the level, LogsOnEvent,
// PassThroughLevel), secret keys, deduplication on and off, a BeforeSend
// that drops some events or panics on one, a sample rate of 0 for a
// client, a hub without a client; with trails of a few records (full
// rings, records filled in place of the dropped one), sub-loggers with
// context fields, joined errors and two errors a record, records over 1
// KiB, a field named as the event ID's entry, long and escaped messages,
// Panic records. It compares events, their breadcrumbs, Sentry Logs, each trail's
// breadcrumbs, drops and last event (not the process-wide counters:
// the package's parallel tests add to them).
func TestSkipRepeatAgreesWithTheFullPathOptions(t *testing.T) {
	defer core.SetSkipRepeats(true)
	defer func(f func(error) any) { zerolog.ErrorMarshalFunc = f }(zerolog.ErrorMarshalFunc)
	seeds := uint64(60)
	if testing.Short() {
		seeds = 16
	}
	for seed := range seeds {
		full := runRepeatOptions(t, seed, false)
		got := runRepeatOptions(t, seed, true)
		if !reflect.DeepEqual(full, got) {
			for i := range min(len(full), len(got)) {
				if full[i] != got[i] {
					t.Fatalf("seed %d: line %d differs:\nfull path: %s\nskipping:  %s", seed, i, full[i], got[i])
				}
			}
			t.Fatalf("seed %d: %d lines on the full path, %d skipping", seed, len(full), len(got))
		}
	}
}

var runDigits = regexp.MustCompile(`#[0-9]*`)

// optionRuns numbers the runs of runRepeatOptions.
var optionRuns int

func runRepeatOptions(t *testing.T, seed uint64, skip bool) []string {
	core.SetSkipRepeats(skip)
	marshal := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = marshal }()
	r := rand.New(rand.NewPCG(seed, 28))
	pick := func(p int) bool { return r.IntN(p) == 0 }

	var beforeSendCalls int
	var dropped []string
	dropMsg, panicMsg := "", ""
	if pick(3) {
		dropMsg = "charge failed"
	}
	if pick(4) {
		panicMsg = "poll failed"
	}
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if ev.Type != "" || ev.Tags["logcrumbs.summary"] != "" {
				// A batch of Sentry Logs, sent when its timer says, or
				// the summaries of repeats Flush sends in no order.
				return ev
			}
			beforeSendCalls++
			if ev.Message == dropMsg && beforeSendCalls%2 == 1 {
				dropped = append(dropped, string(ev.EventID))
				return nil
			}
			if ev.Message == panicMsg && beforeSendCalls%3 == 1 {
				panic("BeforeSend bug")
			}
			return ev
		}
	})
	sampled := logcrumbstest.New(t, func(o *sentry.ClientOptions) { o.SampleRate = 0.0000001 })

	opts := rec.Options()
	if !pick(4) { // on: a skipped repeat is counted on its key's entry
		opts.DedupeWindow = time.Minute
	}
	switch r.IntN(4) {
	case 0:
		opts.LoggerName = strings.Repeat("n", 130)
	case 1:
		opts.LoggerName = "api"
	}
	opts.RequireError = pick(3)
	if pick(4) {
		opts.FingerprintKey = "fp"
	}
	if pick(2) {
		opts.TagKeys = []string{"path", "status"}
	}
	limits := func() logcrumbs.Limits {
		switch r.IntN(6) {
		case 2: // few attributes, long values
			return logcrumbs.Limits{MaxAttrs: 4, MaxValueBytes: 1000, MaxRecordBytes: 4000}
		case 3: // a message longer than a value
			return logcrumbs.Limits{MaxAttrs: 64, MaxValueBytes: 100, MaxRecordBytes: 1000}
		case 0:
			return logcrumbs.Limits{MaxAttrs: 6, MaxValueBytes: 40, MaxRecordBytes: 160}
		case 1:
			return logcrumbs.Limits{MaxAttrs: 2, MaxValueBytes: 12, MaxRecordBytes: 70}
		}
		return logcrumbs.Limits{}
	}
	opts.BreadcrumbLimits = limits()
	opts.EventLimits = limits()
	if pick(3) {
		opts.EscalateIf = func(rc logcrumbs.Record) bool {
			v, _ := rc.Lookup("status")
			return fmt.Sprint(v) == "502"
		}
	}
	if pick(3) {
		opts.PassThroughLevel = sentry.LevelError
	}
	opts.LogsOnEvent = pick(3)
	if pick(3) {
		opts.SecretKeys = []string{"path"}
	}
	zopts := zerologsentry.Options{Options: opts}
	if pick(3) {
		zopts.EventLevel = zerolog.WarnLevel
	}
	switch r.IntN(4) {
	case 0:
		zopts.LogsLevel = zerolog.ErrorLevel
	case 1:
		zopts.LogsLevel = zerolog.FatalLevel
	}
	hook := zerologsentry.NewHook(zopts)
	writer := zerologsentry.NewWriter(io.Discard, zopts)

	// Of one length either way: the texts take room in the records.
	optionRuns++
	run := fmt.Sprintf(" #%06d", optionRuns)
	base := errors.New("db down" + run)
	other := errors.New("timeout" + run)
	errs := []error{base, errors.New("db down" + run), fmt.Errorf("poll: %w", base), other, errors.Join(base, other)}

	capacity := []int{0, 3, 5}[r.IntN(3)]
	buffer.Fallback().Release() // the last run's records
	newCtx := func() context.Context {
		if pick(8) { // the fallback trail's
			return sentry.SetHubOnContext(context.Background(), rec.Hub().Clone())
		}
		ctx := logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(capacity))
		switch r.IntN(8) {
		case 0:
			return logcrumbs.Bind(ctx, sentry.NewHub(nil, sentry.NewScope())) // no client
		case 1:
			return logcrumbs.Bind(ctx, sampled.Hub().Clone()) // drops every event
		}
		return logcrumbs.Bind(ctx, rec.Hub().Clone())
	}
	var ctxs []context.Context
	for range 3 {
		ctxs = append(ctxs, newCtx())
	}
	all := append([]context.Context(nil), ctxs...)

	var last uint64 // the seed of the last record's choices
	for range 120 {
		switch k := r.IntN(25); {
		case k == 0:
			i := r.IntN(len(ctxs))
			ctxs[i] = newCtx()
			all = append(all, ctxs[i])
		case k == 1:
			if pick(2) {
				zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(marshal)
			} else {
				zerolog.ErrorMarshalFunc = marshal
			}
		default:
			// Most records repeat the one before, in runs: every choice
			// of a record is made by a generator of its own seed.
			if last == 0 || pick(4) {
				last = r.Uint64()
			}
			r := rand.New(rand.NewPCG(last, 1))
			pick := func(p int) bool { return r.IntN(p) == 0 }
			ctx := ctxs[r.IntN(len(ctxs))]
			var l zerolog.Logger
			if pick(2) {
				_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(hook))
			} else {
				_, l = writer.WithContext(ctx, zerolog.New(writer))
			}
			if pick(4) {
				l = l.With().Str("req", "r-1").Logger()
			}
			var e *zerolog.Event
			switch r.IntN(12) {
			case 0:
				e = l.Warn()
			case 1:
				e = l.Info()
			case 2:
				e = l.Panic()
			default:
				e = l.Error()
			}
			switch r.IntN(8) {
			case 0: // no error
			case 1:
				e = e.Err(errs[r.IntN(len(errs))]).AnErr("cause", other)
			default:
				e = e.Err(errs[r.IntN(len(errs))])
			}
			e = e.Str("path", "/cart")
			switch r.IntN(8) {
			case 0:
				e = e.Int("status", 502)
			case 1:
				e = e.Str("big", strings.Repeat("x", 50+r.IntN(100)))
			case 2:
				e = e.Str("huge", strings.Repeat("y", 1100))
			case 3:
				e = e.Str("sentry.event_id", "mine")
			case 4:
				e = e.Str("fp", "group-"+fmt.Sprint(r.IntN(2)))
			case 5:
				e = e.Int("a", 1).Int("b", 2).Int("c", 3).Int("d", 4)
			}
			msg := []string{"poll failed", "charge failed", "a \"quoted\" failure", strings.Repeat("m", 60), strings.Repeat("l", 120)}[r.IntN(5)]
			func() {
				defer func() { _ = recover() }() // Panic records
				if pick(2) {
					skipLogAt1(e, msg)
				} else {
					skipLogAt2(e, msg)
				}
			}()
		}
	}
	sent := len(rec.Events())
	logcrumbs.Flush(time.Second)

	return dumpRepeats(rec, sent, all, dropped, run)
}

// TestSkipRepeatAgreesAtTheLimits: a run of one error record, repeated on
// one trail, leaves the same breadcrumbs and events skipped as on the full
// path, for limits around each of Repeat.Fits' tests (the message within
// an event's value but not a breadcrumb's, fields that parse into more
// attributes than a breadcrumb keeps, a record the breadcrumb's bytes
// barely hold), through the hook and the writer.
func TestSkipRepeatAgreesAtTheLimits(t *testing.T) {
	defer core.SetSkipRepeats(true)
	cases := []struct {
		name   string
		bc, ev logcrumbs.Limits
		msg    string
		fields int
	}{
		{"message past a breadcrumb's value", logcrumbs.Limits{MaxValueBytes: 100}, logcrumbs.Limits{}, strings.Repeat("l", 120), 0},
		{"message at a breadcrumb's value", logcrumbs.Limits{MaxValueBytes: 100}, logcrumbs.Limits{}, strings.Repeat("l", 100), 0},
		{"fields past a breadcrumb's attributes", logcrumbs.Limits{MaxAttrs: 4, MaxValueBytes: 1000}, logcrumbs.Limits{}, "poll failed", 6},
		{"fields within a breadcrumb's attributes", logcrumbs.Limits{MaxAttrs: 40}, logcrumbs.Limits{}, "poll failed", 6},
		{"an event's attributes fewer", logcrumbs.Limits{}, logcrumbs.Limits{MaxAttrs: 10}, "poll failed", 6},
		{"a breadcrumb's bytes", logcrumbs.Limits{MaxRecordBytes: 230}, logcrumbs.Limits{}, "poll failed", 6},
		{"an event's bytes", logcrumbs.Limits{}, logcrumbs.Limits{MaxRecordBytes: 170}, "poll failed", 6},
	}
	for _, c := range cases {
		for _, writer := range []bool{false, true} {
			run := func(skip bool) []string {
				core.SetSkipRepeats(skip)
				rec := logcrumbstest.New(t)
				opts := zerologsentry.Options{Options: rec.Options()}
				opts.BreadcrumbLimits, opts.EventLimits = c.bc, c.ev
				opts.DedupeWindow = time.Minute // repeats are counted on a key's entry
				opts.EventLevel = zerolog.WarnLevel
				ctx := rec.Context(context.Background())
				var l zerolog.Logger
				if writer {
					_, l = zerologsentry.NewWriter(io.Discard, opts).WithContext(ctx, zerolog.New(io.Discard))
				} else {
					_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
				}
				err := errors.New("db down")
				start := time.Now()
				other := errors.New("timeout")
				// A run of err; another error's event; err's run again, at
				// another level, with an event without an error (which
				// capture-once does not look up) in it.
				for i := range 11 {
					e := l.Error()
					switch {
					case i == 6:
						e = e.Err(other)
					case i == 8:
					case i > 6:
						e = l.Warn().Err(err)
					default:
						e = e.Err(err)
					}
					for i := range c.fields {
						e = e.Int(fmt.Sprintf("f%d", i), i)
					}
					skipLogAt1(e, c.msg)
				}
				var lines []string
				names := map[string]string{}
				for i, ev := range rec.Events() {
					names[string(ev.EventID)] = fmt.Sprint("event", i)
					lines = append(lines, fmt.Sprintf("event %q", ev.Message))
				}
				lines = append(lines, "last "+names[string(logcrumbs.LastEventID(ctx))])
				for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
					keys := make([]string, 0, len(b.Data))
					for k := range b.Data {
						keys = append(keys, k)
					}
					sort.Strings(keys)
					line := fmt.Sprintf("crumb %s %s %q", b.Level, b.Category, b.Message)
					// Times differ from run to run: each is the time of
					// its record, after the run's start and in order.
					if b.Timestamp.Before(start.Add(-time.Second)) || b.Timestamp.After(time.Now()) {
						line += " time=" + b.Timestamp.String()
					}
					for _, k := range keys {
						v := fmt.Sprint(b.Data[k])
						if k == "sentry.event_id" {
							v = names[v]
						}
						line += fmt.Sprintf(" %s=%s", k, v)
					}
					lines = append(lines, line)
				}
				return lines
			}
			full, got := run(false), run(true)
			if !reflect.DeepEqual(full, got) {
				t.Errorf("%s, writer %v:\nfull path:\n%s\nskipping:\n%s", c.name, writer, strings.Join(full, "\n"), strings.Join(got, "\n"))
			}
		}
	}
}

// dumpRepeats is what a run of the skip tests left, as lines to compare
// the early path with the full path by: the events sent while logging, in
// order, then the summaries Flush sent, sorted (they go in no order), the
// Logs, each context's trail and last event ID, and the records dropped.
// Event IDs become names in the order they appear, and the run's marker
// is taken out of every line.
func dumpRepeats(rec *logcrumbstest.Recorder, sent int, all []context.Context, dropped []string, run string) []string {
	ids := map[string]string{}
	id := func(s string) string {
		if s == "" {
			return ""
		}
		if strings.HasSuffix(s, "…") { // cut by the limits: random bytes, which may collide
			return fmt.Sprintf("cut%d", len(s))
		}
		if n, ok := ids[s]; ok {
			return n
		}
		ids[s] = fmt.Sprintf("id%d", len(ids))
		return ids[s]
	}
	var lines, summaries []string
	for i, ev := range rec.Events() {
		evID := "summary"
		if i < sent {
			evID = id(string(ev.EventID))
		}
		block := []string{fmt.Sprintf("event %s %s %q fp=%v tags=%v repeats=%v logger=%s", evID, ev.Level, ev.Message,
			ev.Fingerprint, ev.Tags, ev.Contexts["logcrumbs"]["repeats"], ev.Logger)}
		for _, ex := range ev.Exceptions() {
			block = append(block, fmt.Sprintf("  exception %s %q", ex.Type, ex.Value))
		}
		for _, c := range ev.Breadcrumbs() {
			block = append(block, "  crumb "+crumbLine(fmt.Sprintf("%s %s %q", c.Level, c.Category, c.Message), c.Data, id))
		}
		if i < sent {
			lines = append(lines, block...)
		} else {
			summaries = append(summaries, strings.Join(block, "\n"))
		}
	}
	sort.Strings(summaries)
	lines = append(lines, summaries...)
	for _, lg := range rec.Logs() {
		keys := make([]string, 0, len(lg.Attributes))
		for k := range lg.Attributes {
			if k != "logcrumbs.time" && !strings.HasPrefix(k, "sentry.") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		line := fmt.Sprintf("log %s %q", lg.Level, lg.Body)
		for _, k := range keys {
			line += fmt.Sprintf(" %s=%v", k, lg.Attributes[k].AsInterface())
		}
		lines = append(lines, line)
	}
	for i, ctx := range all {
		tr := logcrumbs.FromContext(ctx)
		if tr == nil {
			tr = logcrumbs.Fallback()
		}
		lines = append(lines, fmt.Sprintf("trail %d last %s dropped %d len %d", i, id(string(logcrumbs.LastEventID(ctx))), tr.Dropped(), tr.Len()))
		for _, c := range tr.Breadcrumbs() {
			lines = append(lines, "  crumb "+crumbLine(fmt.Sprintf("%s %s %q", c.Level, c.Category, c.Message), c.Data, id))
		}
	}
	for _, d := range dropped {
		lines = append(lines, "dropped "+id(d))
	}
	for i := range lines {
		lines[i] = strings.ReplaceAll(lines[i], run, "")
		lines[i] = runDigits.ReplaceAllString(lines[i], "#") // a run's texts cut by the limits
	}
	return lines
}
