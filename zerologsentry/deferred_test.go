package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"

	pkgerrors "github.com/pkg/errors"
	"github.com/rs/zerolog"
	zpkgerrors "github.com/rs/zerolog/pkgerrors"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestBreadcrumbsAsLogged: the hook and the writer keep a breadcrumb's fields
// encoded and parse them when an event is sent. The breadcrumbs show each
// record's fields as logged, although zerolog reuses its buffer for the
// next record, with the byte string the program logged changed since; and
// a record too long for the breadcrumb's byte bound is parsed at once, so
// that what fits the per-value limits is kept either way.
func TestBreadcrumbsAsLogged(t *testing.T) {
	for _, writer := range []bool{false, true} {
		name := "hook"
		if writer {
			name = "writer"
		}
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			log := boundLogger(rec.Context(context.Background()), opts, writer)
			b := []byte("first")
			log.Info().Bytes("b", b).Int("n", 1).Msg("one")
			copy(b, "XXXXX")
			log.Info().Bytes("b", b).Int("n", 2).Msg("two")
			long := strings.Repeat("é", 1500) // 3000 bytes: a deferred record, its value cut when parsed
			log.Info().Str("long", long).Int("n", 3).Msg("deferred")
			huge := strings.Repeat("x", 5000) // over the byte bound: parsed at once
			log.Info().Str("huge", huge).Int("n", 4).Msg("parsed at once")
			log.Error().Msg("failed")

			bs := rec.OnlyEvent().Breadcrumbs()
			if len(bs) != 4 {
				t.Fatalf("%d breadcrumbs, want 4", len(bs))
			}
			for i, want := range []map[string]any{
				{"b": "first", "n": int64(1)},
				{"b": "XXXXX", "n": int64(2)},
				{"long": strings.Repeat("é", 510) + "…", "n": int64(3)},
				{"huge": strings.Repeat("x", 1021) + "…", "n": int64(4)},
			} {
				for k, v := range want {
					if bs[i].Data[k] != v {
						t.Errorf("breadcrumb %d (%s): %s = %.40q…, want %.40q…", i, bs[i].Message, k, bs[i].Data[k], v)
					}
				}
			}
		})
	}
}

// TestBreadcrumbFieldNamesAsLogged: a breadcrumb shows the record's fields
// as zerolog's field names stood when it was logged, whether its fields were
// parsed then (Options.EscalateIf set: the predicate reads them) or kept
// encoded and parsed when an event carries them: a program that sets
// zerolog.TimestampFieldName, LevelFieldName or ErrorStackFieldName after
// its first records (a configuration read at start-up, after init's logs)
// must not see those records' own fields vanish, nor zerolog's time and
// level fields appear as data.
func TestBreadcrumbFieldNamesAsLogged(t *testing.T) {
	defer func(l, ts, st string) {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = l, ts, st
	}(zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName)
	run := func(t *testing.T, writer, eager bool) []string {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = "level", "time", "stack"
		rec := logcrumbstest.New(t)
		opts := zerologsentry.Options{Options: rec.Options()}
		if eager {
			opts.EscalateIf = func(logcrumbs.Record) bool { return false }
		}
		log := boundLogger(rec.Context(context.Background()), opts, writer)
		log.Info().Str("ts", "user's ts").Str("sev", "user's sev").Str("trace", "user's trace").
			Str("time", "zerolog's time").Msg("before")
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = "sev", "ts", "trace"
		log.Info().Str("ts", "zerolog's ts").Str("time", "user's time").Msg("after")
		log.Error().Msg("failed")
		var lines []string
		for _, b := range rec.OnlyEvent().Breadcrumbs() {
			keys := make([]string, 0, len(b.Data))
			for k := range b.Data {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			line := b.Message + ":"
			for _, k := range keys {
				line += fmt.Sprintf(" %s=%v", k, b.Data[k])
			}
			lines = append(lines, line)
		}
		return lines
	}
	for _, writer := range []bool{false, true} {
		eager := run(t, writer, true)
		deferred := run(t, writer, false)
		want := []string{
			"before: sev=user's sev trace=user's trace ts=user's ts",
			"after: time=user's time",
		}
		if strings.Join(eager, "\n") != strings.Join(want, "\n") {
			t.Errorf("writer %v, parsed when logged:\n%s\nwant\n%s", writer, strings.Join(eager, "\n"), strings.Join(want, "\n"))
		}
		if strings.Join(deferred, "\n") != strings.Join(eager, "\n") {
			t.Errorf("writer %v, parsed when read:\n%s\nparsed when logged:\n%s", writer, strings.Join(deferred, "\n"), strings.Join(eager, "\n"))
		}
	}
}

// TestDeferredEventMatchesEager: an event built from a record whose fields
// were deferred (its trail skipped a repeat) reads as the same record's
// event on a fresh trail, built at once: hook and writer, with and without
// ErrorMarshalFunc and error stacks, decoys of the error field.
func TestDeferredEventMatchesEager(t *testing.T) {
	savedS, savedM := zerolog.ErrorStackMarshaler, zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorStackMarshaler, zerolog.ErrorMarshalFunc = savedS, savedM })
	for v := range 8 {
		writer, marshal, stack := v&1 != 0, v&2 != 0, v&4 != 0
		zerolog.ErrorStackMarshaler, zerolog.ErrorMarshalFunc = savedS, savedM
		if stack {
			zerolog.ErrorStackMarshaler = zpkgerrors.MarshalStack
		}
		if marshal {
			zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(savedM)
		}
		mk := func(rec *logcrumbstest.Recorder) zerolog.Logger {
			opts := zerologsentry.Options{Options: rec.Options()}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			return log
		}
		err1 := pkgerrors.New("first")
		err2 := pkgerrors.Wrap(pkgerrors.New("inner"), "second")
		other := pkgerrors.New("decoy")
		target := func(log zerolog.Logger) {
			e := log.Error()
			if stack {
				e = e.Stack()
			}
			e.Str("error", "not this").AnErr("cause", other).Str("esc", "a\"\\\u00e9\x01").
				Dict("d", zerolog.Dict().Str("x", "y").Dict("e", zerolog.Dict())).Ints("arr", []int{1, 2}).
				Err(err2).Str(string(make([]byte, 200)), "longkey").Msg("target")
		}
		a := logcrumbstest.New(t)
		la := mk(a)
		for range 3 {
			la.Error().Err(err1).Msg("rep")
		}
		target(la)
		b := logcrumbstest.New(t)
		target(mk(b))
		ea, eb := a.Events(), b.Events()
		if len(ea) != 2 || len(eb) != 1 {
			t.Fatalf("v%d: events %d, %d", v, len(ea), len(eb))
		}
		x, y := ea[1], eb[0]
		if x.Message != y.Message || x.Level != y.Level || !reflect.DeepEqual(x.LogContext(), y.LogContext()) ||
			!reflect.DeepEqual(x.Tags, y.Tags) || !reflect.DeepEqual(x.Fingerprint, y.Fingerprint) {
			t.Errorf("v%d: deferred event\n%v %v %v %v\neager\n%v %v %v %v", v, x.Message, x.LogContext(), x.Contexts, x.Tags, y.Message, y.LogContext(), y.Contexts, y.Tags)
		}
		xe, ye := x.Exception, y.Exception
		if len(xe) != len(ye) {
			t.Fatalf("v%d: exceptions %+v\n%+v", v, xe, ye)
		}
		for i := range xe {
			if xe[i].Type != ye[i].Type || xe[i].Value != ye[i].Value || (xe[i].Stacktrace == nil) != (ye[i].Stacktrace == nil) {
				t.Errorf("v%d: exception %d: %+v\n%+v", v, i, xe[i], ye[i])
			}
		}
	}
}

// randomText returns a field text or key for TestDeferredRepeatBreadcrumbs:
// mostly short, else long, escaped, invalid UTF-8 or over 128 bytes.
func randomText(r *rand.Rand) string {
	if r.Intn(3) > 0 {
		return "s"
	}
	switch r.Intn(6) {
	case 0:
		return strings.Repeat("é", r.Intn(700))
	case 1:
		return "a\"b\\c\n\x01" + strings.Repeat("x", r.Intn(40))
	case 2:
		return string([]byte{0xff, 0xfe, 'a'})
	case 3:
		return strings.Repeat("k", 120+r.Intn(30))
	default:
		return fmt.Sprint("v", r.Intn(100))
	}
}

// TestDeferredRepeatBreadcrumbs: on random records (escapes, invalid
// UTF-8, keys over 128 bytes, values over the limits, empty and nested
// dicts, arrays, AnErr and "error" decoys) under limits of every kind (the
// breadcrumb's over the event's, and under), the breadcrumb of a skipped
// repeat whose fields stay deferred reads as the one before it, parsed at
// once.
func TestDeferredRepeatBreadcrumbs(t *testing.T) {
	limits := []logcrumbs.Options{
		{},
		{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 6}},
		{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 6}, EventLimits: logcrumbs.Limits{MaxAttrs: 9}},
		{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 10, MaxValueBytes: 50, MaxRecordBytes: 400}},
		{EventLimits: logcrumbs.Limits{MaxAttrs: 8, MaxValueBytes: 40, MaxRecordBytes: 300}},
		{EventLimits: logcrumbs.Limits{MaxAttrs: 20, MaxValueBytes: 100, MaxRecordBytes: 3000}, BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 20, MaxValueBytes: 100, MaxRecordBytes: 3000}},
		{EventLimits: logcrumbs.Limits{MaxAttrs: 30, MaxValueBytes: 200, MaxRecordBytes: 2000}, BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 100, MaxValueBytes: 2000, MaxRecordBytes: 20000}},
	}
	for seed := range 400 {
		r := rand.New(rand.NewSource(int64(seed)))
		lim := limits[seed%len(limits)]
		rec := logcrumbstest.New(t)
		o := rec.Options()
		o.BreadcrumbLimits, o.EventLimits = lim.BreadcrumbLimits, lim.EventLimits
		opts := zerologsentry.Options{Options: o}
		ctx := rec.Context(context.Background())
		_, log := zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
		nf := r.Intn(40)
		type f struct {
			kind int
			k, v string
		}
		var fields []f
		for i := 0; i < nf; i++ {
			k := fmt.Sprint("k", i)
			if r.Intn(8) == 0 {
				k = randomText(r)
			}
			fields = append(fields, f{r.Intn(7), k, randomText(r)})
		}
		err1, err2 := errors.New("boom"), errors.New("other")
		fail := func(err error) {
			e := log.Error()
			for _, x := range fields {
				switch x.kind {
				case 0:
					e = e.Str(x.k, x.v)
				case 1:
					e = e.Int(x.k, len(x.v))
				case 2:
					e = e.Dict(x.k, zerolog.Dict())
				case 3:
					e = e.Dict(x.k, zerolog.Dict().Str("a", x.v).Dict("b", zerolog.Dict()))
				case 4:
					e = e.RawJSON(x.k, []byte(`[1,"`+strings.Repeat("z", len(x.v)%300)+`"]`))
				case 5:
					e = e.AnErr(x.k, err)
				case 6:
					e = e.Str("error", x.v)
				}
			}
			e.Err(err).Msg("failed")
		}
		fail(err1)
		fail(err1)
		fail(err1)
		fail(err2)
		events := rec.Events()
		if len(events) < 1 {
			t.Fatalf("seed %d: %d events", seed, len(events))
		}
		crumbs := events[len(events)-1].Breadcrumbs()
		if len(crumbs) < 3 {
			t.Fatalf("seed %d: %d crumbs", seed, len(crumbs))
		}
		if !reflect.DeepEqual(crumbs[1], crumbs[2]) {
			t.Fatalf("seed %d lim %d:\n%+v\n%+v", seed, seed%len(limits), crumbs[1], crumbs[2])
		}
		if len(events) != 2 {
			t.Fatalf("seed %d: %d events", seed, len(events))
		}
	}
}

// TestBreadcrumbFieldNamesSharingBytes: zerolog's field names set to a
// prefix of themselves (the same bytes, shorter), or to the same text in
// another string, then set back, are the names each record is parsed
// with, though a parser of unchanged names is told by the address of
// their bytes: "lev" is zerolog's level field and "level" the program's,
// for the records logged while it is set.
func TestBreadcrumbFieldNamesSharingBytes(t *testing.T) {
	defer func(l, ts, st string) {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = l, ts, st
	}(zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName)
	for _, writer := range []bool{false, true} {
		level, ts := "level", "time"
		zerolog.LevelFieldName, zerolog.TimestampFieldName = level, ts
		rec := logcrumbstest.New(t)
		log := boundLogger(rec.Context(context.Background()), zerologsentry.Options{Options: rec.Options()}, writer)
		log.Info().Str("lev", "user's lev").Msg("whole")
		zerolog.LevelFieldName = level[:3] // "lev", at the bytes of "level"
		log.Info().Str("level", "user's level").Msg("prefix")
		zerolog.LevelFieldName = level
		log.Info().Str("lev", "user's lev again").Msg("back")
		zerolog.LevelFieldName = string([]byte("lev")) // "lev" elsewhere
		log.Info().Str("level", "user's level again").Msg("copy")
		zerolog.TimestampFieldName = string([]byte("time")) // the same text elsewhere
		log.Info().Str("level", "user's level still").Msg("copies")
		zerolog.LevelFieldName, zerolog.TimestampFieldName = level, ts
		log.Info().Str("lev", "user's lev last").Msg("set back")
		log.Error().Msg("failed")
		var lines []string
		for _, b := range rec.OnlyEvent().Breadcrumbs() {
			keys := make([]string, 0, len(b.Data))
			for k := range b.Data {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			line := b.Message + ":"
			for _, k := range keys {
				line += fmt.Sprintf(" %s=%v", k, b.Data[k])
			}
			lines = append(lines, line)
		}
		want := "whole: lev=user's lev\nprefix: level=user's level\nback: lev=user's lev again\n" +
			"copy: level=user's level again\ncopies: level=user's level still\nset back: lev=user's lev last"
		if got := strings.Join(lines, "\n"); got != want {
			t.Errorf("writer %v:\n%s\nwant\n%s", writer, got, want)
		}
	}
}
