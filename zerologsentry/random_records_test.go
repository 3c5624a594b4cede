package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/golden"
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

// TestHookAndWriterSameOutcomeRandom: random sequences of records (every
// level below Fatal, messages with escapes, non-ASCII and lengths past
// the limits, random fields with groups, zerolog's own names, RawJSON,
// errors and their repeats, ErrorMarshalFunc set or not, a logger's With
// fields, random limits) logged through a Hook and through a Writer (in
// front of a ConsoleWriter now and then), each bound to a request of its
// own, send the same events, with the same
// breadcrumbs and Logs, and leave the same trails: the two bindings
// "differ only in how they learn the request". Some records have no
// message (Send), some of those a last field named "message", which
// zerolog's output cannot tell from a message. Messages hold invalid
// UTF-8 now and then (zlText's 0xff bytes, and runs of bad bytes), which
// the Writer reads as zerolog wrote it, one \ufffd a byte, and the Hook
// as the program gave it.
func TestHookAndWriterSameOutcomeRandom(t *testing.T) {
	seeds := 150
	if testing.Short() {
		seeds = 30
	}
	prev := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = prev }()
	for seed := range uint64(seeds) {
		var dumps [2][]string
		for i, writer := range []bool{false, true} {
			r := rand.New(rand.NewPCG(seed, 31))
			zlSmall = seed%3 == 0
			zerolog.ErrorMarshalFunc = prev
			if r.IntN(2) == 0 {
				zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(prev)
			}
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			opts.LogsOnEvent = r.IntN(3) == 0
			if r.IntN(2) == 0 {
				opts.BreadcrumbLimits = zlLimits(r)
				opts.EventLimits = zlLimits(r)
			}
			run := fmt.Sprintf(" #%d", seed)
			errs := []error{errors.New("declined" + run), fmt.Errorf("charge: %w", errors.New("declined"+run)), errors.New("out of stock" + run)}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			if r.IntN(4) == 0 {
				// Output through a ConsoleWriter, with the Writer in front
				// of it (behind it, it is given no JSON to read).
				console := zerolog.ConsoleWriter{Out: io.Discard, NoColor: true}
				if writer {
					w := zerologsentry.NewWriter(console, opts)
					_, log = w.WithContext(ctx, zerolog.New(w))
				} else {
					_, log = zerologsentry.WithContext(ctx, zerolog.New(console).Hook(zerologsentry.NewHook(opts)))
				}
			}
			if r.IntN(3) == 0 {
				log = addRandomContext(r, log.With()).Logger()
			}
			for range 4 + r.IntN(12) {
				var e *zerolog.Event
				switch r.IntN(6) {
				case 0:
					e = log.Debug()
				case 1:
					e = log.Info()
				case 2:
					e = log.Warn()
				case 3:
					e = log.Log()
				default:
					e = log.Error()
				}
				if r.IntN(2) == 0 {
					e = e.Err(errs[r.IntN(len(errs))])
				}
				e = addRandomFields(r, e, 0)
				msg := "m" + zlText(r, zlSize(r))
				if r.IntN(4) == 0 { // a run of bad bytes: a cut-off rune, then 0xfe
					msg += "\xe2\x82\xfe" + zlText(r, zlSize(r))
				}
				switch r.IntN(5) {
				case 0:
					// No message, a last field of the program's named
					// "message": in zerolog's output, the message.
					e.Str(zerolog.MessageFieldName, msg).Send()
				case 1:
					e.Send() // no message; maybe a last field "message" of addRandomFields'
				default:
					e.Msg(msg)
				}
			}
			dumps[i] = dumpRepeats(rec, len(rec.Events()), []context.Context{ctx}, nil, run)
		}
		if strings.Join(dumps[0], "\n") != strings.Join(dumps[1], "\n") {
			for i := range min(len(dumps[0]), len(dumps[1])) {
				if dumps[0][i] != dumps[1][i] {
					t.Fatalf("seed %d: line %d differs:\nhook:   %s\nwriter: %s", seed, i, dumps[0][i], dumps[1][i])
				}
			}
			t.Fatalf("seed %d: %d lines through the hook, %d through the writer", seed, len(dumps[0]), len(dumps[1]))
		}
	}
	zlSmall = false
}

// conv5Keys are keys of every length add copies differently (1-3, 4-7,
// 8-16, 17+), of distinct bytes so that an overwritten byte shows, long
// keys cut to 128 bytes, keys with escapes, empty and duplicate keys, and
// zerolog's own names.
var conv5Keys = func() []string {
	const abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var ks []string
	for n := 1; n <= 24; n++ {
		ks = append(ks, abc[:n], abc[len(abc)-n:])
	}
	ks = append(ks, "", "level", "time", "stack", "error", "message", "k\"ey", `k\ey`, "ké", "k\x80", "k\ny",
		strings.Repeat(abc, 3)[:125], strings.Repeat(abc, 3)[:128], strings.Repeat(abc, 3)[:129], strings.Repeat(abc, 5),
		strings.Repeat("é", 70), strings.Repeat("\"", 70))
	return ks
}()

// conv5Raw are values zerolog's RawJSON hands over as they are: malformed,
// bad escapes at a string's end, lone surrogates, raw invalid UTF-8, deep
// nesting, huge numbers.
var conv5Raw = []string{
	`"\u"`, `"\u1"`, `"\u12"`, `"\u123"`, `"ab\u"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\ud83d\ude00"`,
	`"\ud83d\ude0"`, `"\uZZZZ"`, `"\x"`, `"\\"`, `"\"`, "\"\xff\xfe\x80\"", "\"a\x00b\"", `"` + strings.Repeat(`\u00e9`, 40) + `"`,
	`[1,"a\"b",{}]`, `{"x":1,"y":[true,null]}`, `{}`, `{"":{"":{}}}`, `{"a":{"b":{"c":"\u"}}}`,
	strings.Repeat(`{"d":`, 40) + `1` + strings.Repeat(`}`, 40), strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40),
	`123456789012345678901234567890`, `-99999999999999999999`, `1e999`, `-0`, `1.5e-400`, `18446744073709551615`,
	`nul`, `truex`, `"unterminated`, `{"a":1`, `{"a":"\u`, `}`, `,`, `"a":"b"`, ``,
}

func conv5Str(rng *rand.Rand) string {
	const alphabet = "ab\"\\\n\x00\x1f\x7fé\xff\x80/<>&\u2028\U0001F600"
	var sb strings.Builder
	n := rng.IntN(30)
	if rng.IntN(8) == 0 {
		n = 100 + rng.IntN(1500)
	}
	for range n {
		if rng.IntN(4) == 0 {
			r := []rune(alphabet)
			sb.WriteString(string(r[rng.IntN(len(r))]))
		} else {
			sb.WriteByte('a' + byte(rng.IntN(26)))
		}
	}
	return sb.String()
}

func conv5Field(rng *rand.Rand, e *zerolog.Event, depth int) *zerolog.Event {
	k := conv5Keys[rng.IntN(len(conv5Keys))]
	switch rng.IntN(14) {
	case 0, 1, 2:
		return e.Str(k, conv5Str(rng))
	case 3:
		return e.Int64(k, rng.Int64()>>rng.IntN(64))
	case 4:
		return e.Uint64(k, rng.Uint64())
	case 5:
		return e.Float64(k, []float64{0, math.NaN(), math.Inf(-1), 1e21, 1.5}[rng.IntN(5)])
	case 6:
		return e.Bool(k, rng.IntN(2) == 0)
	case 7, 8:
		return e.RawJSON(k, []byte(conv5Raw[rng.IntN(len(conv5Raw))]))
	case 9:
		return e.Interface(k, map[string]any{conv5Keys[rng.IntN(len(conv5Keys))]: conv5Str(rng), "n": rng.IntN(9), "l": []any{nil, true}})
	case 10:
		if depth > 4 {
			return e.Int(k, 1)
		}
		d := zerolog.Dict()
		for range rng.IntN(5) {
			d = conv5Field(rng, d, depth+1)
		}
		return e.Dict(k, d)
	case 11:
		return e.Strs(k, []string{conv5Str(rng), conv5Str(rng)})
	case 12:
		return e.Bytes(k, []byte(conv5Str(rng)))
	default:
		return e.Interface(k, nil)
	}
}

var conv5ID = regexp.MustCompile(`[0-9a-f]{32}`)

func conv5Dump(sb *strings.Builder, evs []logcrumbstest.Event) {
	for _, ev := range evs {
		fmt.Fprintf(sb, "EVENT %q %q\n", ev.Message, ev.Level)
		for _, ex := range ev.Exceptions() {
			fmt.Fprintf(sb, "  exc %q %q\n", ex.Type, ex.Value)
		}
		fmt.Fprintf(sb, "  log %#v\n", ev.LogContext())
		for _, b := range ev.Breadcrumbs() {
			fmt.Fprintf(sb, "  crumb %q %q %q %#v\n", b.Level, b.Category, b.Message, b.Data)
		}
	}
}

// TestRandomRecordsEndToEnd logs random zerolog records, of malformed RawJSON,
// long and short keys and values cut by small limits, through the hook
// and the writer into small trails refilled in place, with repeats that
// capture-once skips (their breadcrumbs deferred) and Sentry Logs, and
// dumps every event's breadcrumbs: CONV5_DUMP=file writes them, for a
// diff with main's. Run it under -race too.
//
// It also runs each case with Options.EscalateIf set (to a predicate that
// never escalates), which parses every breadcrumb when logged, and fails
// when an event then reads otherwise.
func TestRandomRecordsEndToEnd(t *testing.T) {
	lazy := conv5Run(t, false)
	if f := os.Getenv("CONV5_DUMP"); f != "" {
		if err := os.WriteFile(f, []byte(lazy), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eager := conv5Run(t, true)
	if d := golden.Diff(lazy, eager); d != "" {
		t.Fatalf("parsed when read (got) and when logged (want) differ at %s", d)
	}
}

func conv5Run(t *testing.T, eager bool) string {
	var sb strings.Builder
	limits := []logcrumbs.Limits{{}, {MaxAttrs: 5, MaxValueBytes: 10, MaxRecordBytes: 300}, {MaxAttrs: 64, MaxValueBytes: 7, MaxRecordBytes: 600},
		{MaxAttrs: 3, MaxValueBytes: 2000, MaxRecordBytes: 2000}, {MaxAttrs: 64, MaxValueBytes: 40, MaxRecordBytes: 130}}
	for li, lim := range limits {
		for _, writer := range []bool{false, true} {
			for _, logs := range []bool{false, true} {
				fmt.Fprintf(&sb, "=== limits %d writer %v logs %v\n", li, writer, logs)
				rec := logcrumbstest.New(t)
				opts := zerologsentry.Options{Options: rec.Options()}
				opts.DedupeWindow = 0 // capture-once and skipped repeats on
				opts.BreadcrumbLimits = lim
				if eager {
					opts.EscalateIf = func(logcrumbs.Record) bool { return false }
				}
				if logs {
					opts.LogsLevel = zerolog.WarnLevel
					opts.LogsOnEvent = true
				}
				ctx := logcrumbs.Bind(logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(7)), rec.Hub().Clone())
				// Without a timestamp, and with records of no level
				// (Log), a record's first member is the program's: its
				// key lies a few bytes past where the parse writes it.
				stamp := func(l zerolog.Logger) zerolog.Logger {
					if li%2 == 0 {
						return l.With().Timestamp().Logger()
					}
					return l
				}
				var log zerolog.Logger
				if writer {
					w := zerologsentry.NewWriter(io.Discard, opts)
					_, log = w.WithContext(ctx, stamp(zerolog.New(w)))
				} else {
					_, log = zerologsentry.WithContext(ctx, stamp(zerolog.New(io.Discard)).Hook(zerologsentry.NewHook(opts)))
				}
				rng := rand.New(rand.NewPCG(uint64(li), 5))
				repeated := errors.New("repeated failure")
				n := 400
				if logs { // sentry-go drops Logs entries past its buffer
					n = 60
				}
				for i := range n {
					lvl := []zerolog.Level{zerolog.DebugLevel, zerolog.InfoLevel, zerolog.WarnLevel, zerolog.NoLevel}[rng.IntN(4)]
					e := log.WithLevel(lvl)
					for range rng.IntN(9) {
						e = conv5Field(rng, e, 0)
					}
					e.Msg(fmt.Sprintf("crumb %d %s", i, conv5Str(rng)[:0]))
					switch {
					case i%37 == 36:
						log.Error().Int("i", i).Str("x", conv5Str(rng)).Msg(fmt.Sprintf("failed %d", i))
					case i%11 == 10:
						for range 3 { // one call site, one error: skipped repeats after the first
							e := log.Error().Err(repeated)
							for range rng.IntN(5) {
								e = conv5Field(rng, e, 0)
							}
							e.Msg("repeat")
						}
					}
				}
				log.Error().Msg("last")
				conv5Dump(&sb, rec.Events())
				if logs {
					for _, l := range rec.Logs() {
						keys := make([]string, 0, len(l.Attributes))
						for k := range l.Attributes {
							keys = append(keys, k)
						}
						sort.Strings(keys)
						fmt.Fprintf(&sb, "LOG %q", l.Body)
						for _, k := range keys {
							fmt.Fprintf(&sb, " %q=%#v", k, l.Attributes[k].AsInterface())
						}
						sb.WriteString("\n")
					}
				}
			}
		}
	}
	out := conv5ID.ReplaceAllString(sb.String(), "<id>")
	// Normalized: times, and event IDs cut by the limits.
	out = regexp.MustCompile(`"sentry.event_id"(:|=)"[^"]*"`).ReplaceAllString(out, "EID")
	out = regexp.MustCompile(`20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z`).ReplaceAllString(out, "TIME")
	return regexp.MustCompile(` "(logcrumbs.time|sentry.release)"="[^"]*"`).ReplaceAllString(out, "")
}

// TestRandomRecordsConcurrent sends events (new ones, skipped repeats, with Sentry
// Logs on event) while other goroutines log into the same small trail,
// through the hook and the writer, for the race detector, and checks that
// every breadcrumb an event shows is one that was logged.
func TestRandomRecordsConcurrent(t *testing.T) {
	for _, writer := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		opts := zerologsentry.Options{Options: rec.Options()}
		opts.DedupeWindow = 0
		opts.LogsOnEvent = true
		opts.BreadcrumbLimits = logcrumbs.Limits{MaxAttrs: 8, MaxValueBytes: 40, MaxRecordBytes: 200}
		ctx := logcrumbs.Bind(logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(5)), rec.Hub().Clone())
		log := boundLogger(ctx, opts, writer)
		var wg sync.WaitGroup
		var stop atomic.Bool
		var started sync.WaitGroup
		for g := range 2 {
			wg.Add(1)
			started.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; !stop.Load(); i++ { // until the events are sent
					k := conv5Keys[i%48]
					log.Log().Str(k, k+"-"+k).Int("__i", i).Str("g", fmt.Sprint(g)).Msg(k)
					if i == 9 {
						started.Done()
					}
				}
			}()
		}
		started.Wait()
		repeated := errors.New("again")
		for i := range 150 {
			if i%3 == 0 {
				log.Error().Msg(fmt.Sprintf("event %d", i)) // each its own fingerprint: sent
			} else {
				log.Error().Err(repeated).Str("abcdefghijkl", "v").Msg("event")
			}
		}
		stop.Store(true)
		wg.Wait()
		checked := 0
		for _, ev := range rec.Events() {
			for _, b := range ev.Breadcrumbs() {
				if strings.HasPrefix(b.Message, "event") {
					continue
				}
				k := b.Message
				checked++
				if got, want := b.Data[k], k+"-"+k; got != want && !(len(want) > 40 && got == want[:37]+"…") {
					t.Fatalf("breadcrumb %q: %q = %#v, want %q (%#v)", b.Message, k, got, want, b.Data)
				}
			}
		}
		t.Logf("writer %v: %d breadcrumbs checked", writer, checked)
		if checked == 0 {
			t.Errorf("writer %v: no breadcrumb of the loggers in %d events", writer, len(rec.Events()))
		}
	}
}
