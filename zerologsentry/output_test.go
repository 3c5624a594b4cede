package zerologsentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	pkgerr "github.com/pkg/errors"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/pkgerrors"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// logAll logs the same events through logger, whatever hooks it has.
func logAll(logger zerolog.Logger) {
	ctx, log := zerologsentry.WithContext(context.Background(), logger.With().Str("route", "/orders").Logger())
	log.Debug().Int("n", 1).Msg("debug")
	log.Info().Dict("order", zerolog.Dict().Str("id", "A-1").Int("items", 2)).Msg("loaded")
	log.Info().Ctx(ctx).Str("quote", "a \"b\"\n").Bytes("bad", []byte{0xff, 'a'}).Msg("escapes")
	log.Warn().Dur("took", time.Second).Strs("tables", []string{"a", "b"}).Msg("slow")
	log.Error().Err(errors.New("disk full")).Msg("failed")
	log.Log().Msg("no level")
}

// TestUserOutputUnchanged: the output is byte-identical with and without the
// hook, and with ErrorMarshalFunc installed.
func TestUserOutputUnchanged(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	var without, with syncBuffer
	logAll(zerolog.New(&without).With().Caller().Logger())

	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	hook := zerologsentry.NewHook(zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}})
	logAll(zerolog.New(&with).With().Caller().Logger().Hook(hook))

	if !strings.Contains(without.String(), `"message":"loaded"`) {
		t.Fatalf("too little output to compare:\n%s", without.String())
	}
	if without.String() != with.String() {
		t.Errorf("output changed by the hook:\nwithout:\n%s\nwith:\n%s", without.String(), with.String())
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}

type cyc struct{ Self *cyc }

type nilPtrErr struct{}

func (*nilPtrErr) Error() string { return "nil ptr err" }

func logEveryFieldKind(l zerolog.Logger) {
	var np *nilPtrErr
	l.Info().Err(nil).Msg("errnil")
	l.Info().Err(np).Msg("typed nil")
	l.Error().Errs("errs", []error{errors.New("a"), nil, np}).Msg("errs")
	l.Error().Stack().Err(pkgerr.New("with stack")).Msg("stack")
	l.Info().RawJSON("bad", []byte(`{"x":`)).Msg("raw")
	c := &cyc{}
	c.Self = c
	l.Info().Interface("cyc", c).Msg("cyclic")
	l.Info().Bytes("b", []byte{0xff, 0xfe, 'a'}).Msg("bytes")
	l.Info().Str("huge", strings.Repeat("x", 1<<20)).Msg("huge")
	l.Info().Str("k", "1").Str("k", "2").Msg("dup")
	l.Log().Msg("nolevel")
	l.Info().Send()
	l.Info().Msgf("fmt %d", 3)
	l.Info().Discard().Msg("discarded")
	l.Trace().Msg("trace")
	l.Warn().Dict("d", zerolog.Dict().Err(errors.New("inner"))).Msg("dict")
	l.Error().Fields(map[string]any{"error": errors.New("from fields")}).Msg("fields")
	l.WithLevel(zerolog.FatalLevel).Msg("fatal-level no exit")
}

// TestOutputIdenticalForEveryFieldKind: the hook and the writer leave
// zerolog's output byte for byte as it is without them, for every kind of
// field and level, with ErrorMarshalFunc and pkgerrors.MarshalStack set.
func TestOutputIdenticalForEveryFieldKind(t *testing.T) {
	saved, savedS := zerolog.ErrorMarshalFunc, zerolog.ErrorStackMarshaler
	t.Cleanup(func() { zerolog.ErrorMarshalFunc, zerolog.ErrorStackMarshaler = saved, savedS })
	zerolog.ErrorStackMarshaler = pkgerrors.MarshalStack
	var plain syncBuffer
	logEveryFieldKind(zerolog.New(&plain).Level(zerolog.TraceLevel))
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}, BreadcrumbLevel: zerolog.TraceLevel}
	var hooked, written syncBuffer
	_, hl := zerologsentry.WithContext(context.Background(), zerolog.New(&hooked).Level(zerolog.TraceLevel).Hook(zerologsentry.NewHook(opts)))
	logEveryFieldKind(hl)
	w := zerologsentry.NewWriter(&written, opts)
	_, wl := w.WithContext(context.Background(), zerolog.New(w).Level(zerolog.TraceLevel))
	logEveryFieldKind(wl)
	pl, hk, wr := strings.Split(plain.String(), "\n"), strings.Split(hooked.String(), "\n"), strings.Split(written.String(), "\n")
	for i := range pl {
		if strings.Contains(pl[i], "\"stack\":[") {
			continue // stacks hold the caller's line
		}
		if i >= len(hk) || pl[i] != hk[i] {
			t.Errorf("hook line %d differs:\n%s\n%s", i, cut(pl[i]), cut(hk[i]))
		}
		if i >= len(wr) || pl[i] != wr[i] {
			t.Errorf("writer line %d differs:\n%s\n%s", i, cut(pl[i]), cut(wr[i]))
		}
	}
	for _, ev := range rec.Events() {
		var ex []string
		for _, e := range ev.Exception {
			ex = append(ex, e.Type+"="+e.Value)
		}
		t.Logf("event %q %s %v", ev.Message, ev.Level, ex)
	}
}

func cut(s string) string {
	if len(s) > 300 {
		return s[:300]
	}
	return s
}
