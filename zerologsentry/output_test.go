package zerologsentry_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	pkgerrors "github.com/pkg/errors"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"
	zpkgerrors "github.com/rs/zerolog/pkgerrors"

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

// TestPkgErrorsStack: without ErrorMarshalFunc, the stack zerolog encodes
// with pkgerrors.MarshalStack becomes the exception's stack.
func TestPkgErrorsStack(t *testing.T) {
	saved := zerolog.ErrorStackMarshaler
	t.Cleanup(func() { zerolog.ErrorStackMarshaler = saved })
	zerolog.ErrorStackMarshaler = zpkgerrors.MarshalStack

	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	logger.Error().Stack().Err(pkgerrors.New("from deep down")).Msg("failed")
	ev := rec.OnlyEvent()
	if len(ev.Exception) != 1 || ev.Exception[0].Value != "from deep down" {
		t.Fatalf("exception = %+v", ev.Exception)
	}
	frames := ev.Exception[0].Stacktrace.Frames
	if top := frames[len(frames)-1]; top.Function != "TestPkgErrorsStack" || top.Filename != "output_test.go" || top.Lineno == 0 {
		t.Errorf("top frame = %+v, want the line pkgerrors.New was called on", top)
	}
	if _, ok := ev.Contexts["log"]["stack"]; ok {
		t.Error("the stack field is also in the log context")
	}
}

// TestTextErrorStackNotShared: text-only errors of the same text are
// shared between records (textError), so the stack zerolog encodes beside
// one record's error is that record's alone: events of the same text
// before and after it carry the caller's stack, not it.
func TestTextErrorStackNotShared(t *testing.T) {
	saved := zerolog.ErrorStackMarshaler
	t.Cleanup(func() { zerolog.ErrorStackMarshaler = saved })
	zerolog.ErrorStackMarshaler = zpkgerrors.MarshalStack

	logger, rec := newLogger(t, zerologsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}, nil)
	logIn := func(err error, stack bool) {
		_, log := zerologsentry.WithContext(context.Background(), logger) // a request each: no capture-once
		e := log.Error()
		if stack {
			e = e.Stack()
		}
		e.Err(err).Msg("failed")
	}
	logIn(errors.New("from deep down"), false)
	logIn(pkgerrors.New("from deep down"), true)
	logIn(errors.New("from deep down"), false)
	evs := rec.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	for i, ev := range evs {
		if len(ev.Exception) != 1 || ev.Exception[0].Stacktrace == nil {
			t.Fatalf("event %d: exception = %+v", i, ev.Exception)
		}
		frames := ev.Exception[0].Stacktrace.Frames
		top := frames[len(frames)-1]
		fromPkgErrors := top.Function == "TestTextErrorStackNotShared"
		if fromPkgErrors != (i == 1) {
			t.Errorf("event %d: top frame %s %s:%d; want pkgerrors' stack only in event 1", i, top.Function, top.Filename, top.Lineno)
		}
	}
}

// TestLevelFiltering: the global level and the logger's level hide records
// from the trail (zerolog drops them before hooks run); filtering the output
// with FilteredLevelWriter instead keeps them.
func TestLevelFiltering(t *testing.T) {
	t.Run("global level hides", func(t *testing.T) {
		t.Cleanup(func() { zerolog.SetGlobalLevel(zerolog.TraceLevel) })
		zerolog.SetGlobalLevel(zerolog.InfoLevel)
		logger, rec := newLogger(t, zerologsentry.Options{}, nil)
		_, log := zerologsentry.WithContext(context.Background(), logger)
		log.Debug().Msg("hidden")
		log.Error().Msg("failed")
		if n := len(rec.OnlyEvent().Event.Breadcrumbs); n != 0 {
			t.Errorf("%d breadcrumbs, want 0", n)
		}
	})
	t.Run("filtered writer keeps", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		hub := rec.Hub()
		var out syncBuffer
		w := &zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: &out}, Level: zerolog.InfoLevel}
		logger := zerolog.New(w).Level(zerolog.DebugLevel).
			Hook(zerologsentry.NewHook(zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
		_, log := zerologsentry.WithContext(context.Background(), logger)
		log.Debug().Msg("only in the trail")
		log.Error().Msg("failed")
		if strings.Contains(out.String(), "only in the trail") {
			t.Error("the filtered output has the debug record")
		}
		if bs := rec.OnlyEvent().Event.Breadcrumbs; len(bs) != 1 || bs[0].Message != "only in the trail" {
			t.Errorf("breadcrumbs = %+v", bs)
		}
	})
}

// TestSampler: a sampler drops events before hooks run, so sampled-out
// records are not in the trail; the event of an error still is sent.
func TestSampler(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	logger = logger.Sample(zerolog.LevelSampler{InfoSampler: &zerolog.BasicSampler{N: 2}})
	_, log := zerologsentry.WithContext(context.Background(), logger)
	for range 4 {
		log.Info().Msg("sampled")
	}
	log.Error().Msg("failed")
	if n := len(rec.OnlyEvent().Event.Breadcrumbs); n != 2 {
		t.Errorf("%d breadcrumbs, want 2 (every second of 4)", n)
	}
}

// TestHlogHandler: with hlog, each request's logger gets its own trail, and
// fields added by hlog's handlers reach its breadcrumbs.
func TestHlogHandler(t *testing.T) {
	base, rec := newLogger(t, zerologsentry.Options{}, nil)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := hlog.FromRequest(r)
		log.Info().Msg("handling " + r.URL.Path)
		if r.URL.Path == "/fail" {
			log.Error().Msg("failed")
		}
	})
	h := hlog.NewHandler(base)(zerologsentry.Handler(hlog.MethodHandler("method")(app)))
	for _, path := range []string{"/ok", "/fail", "/ok"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Message != "handling /fail" || ev.Event.Breadcrumbs[0].Data["method"] != "GET" {
		t.Errorf("breadcrumbs = %+v, want only the failing request's, with hlog's field", ev.Event.Breadcrumbs)
	}
}

// TestPanicLevelFlushes: a Panic event is sent before zerolog panics.
func TestPanicLevelFlushes(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	func() {
		defer func() { _ = recover() }()
		logger.Panic().Msg("giving up")
	}()
	if ev := rec.OnlyEvent(); ev.Level != "fatal" {
		t.Errorf("level = %q, want fatal", ev.Level)
	}
}
