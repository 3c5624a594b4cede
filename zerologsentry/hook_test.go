package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

func TestEventCarriesTrailOldestFirst(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	_, log := zerologsentry.WithContext(context.Background(), logger.With().Str("svc", "api").Logger())

	log.Debug().Str("path", "/tmp/x").Msg("opening")
	log.Info().Int("n", 3).Dur("took", 1500*time.Millisecond).Bool("ok", true).Float64("ratio", 0.5).
		Uint64("big", 1<<63).Str("quote", "say \"hi\"\n\u00e9\U0001F600").Msg("loaded")
	log.Warn().Dict("db", zerolog.Dict().Str("table", "users").Int("rows", 7)).
		Strs("tables", []string{"users", "orders"}).Interface("nothing", nil).Msg("slow")
	// A text of this test's own: ErrorMarshalFunc's table is process-wide
	// and matched by text, so an error of the same text that another test
	// logged with it installed would be this event's exception.
	text := "save: disk full in " + t.Name()
	log.Error().Err(fmt.Errorf("save: %w", errors.New("disk full in "+t.Name()))).Msg("save failed")

	ev := rec.OnlyEvent()
	if ev.Message != "save failed" || ev.Level != sentry.LevelError || ev.Logger != "zerolog" {
		t.Errorf("event message/level/logger = %q/%q/%q", ev.Message, ev.Level, ev.Logger)
	}
	var got []string
	for _, b := range ev.Event.Breadcrumbs {
		got = append(got, string(b.Level)+":"+b.Category+":"+b.Message)
	}
	if want := "debug:zerolog:opening,info:zerolog:loaded,warning:zerolog:slow"; strings.Join(got, ",") != want {
		t.Fatalf("breadcrumbs = %v, want %s", got, want)
	}
	d := ev.Event.Breadcrumbs[1].Data
	if d["svc"] != "api" || d["n"] != int64(3) || d["took"] != int64(1500) /* zerolog writes ms; 1500 is an integer in JSON */ || d["ok"] != true ||
		d["ratio"] != 0.5 || d["big"] != uint64(1<<63) || d["quote"] != "say \"hi\"\n\u00e9\U0001F600" {
		t.Errorf("typed data = %#v", d)
	}
	if _, ok := d["level"]; ok {
		t.Errorf("zerolog's level field is in the data: %#v", d)
	}
	d = ev.Event.Breadcrumbs[2].Data
	if db, _ := d["db"].(map[string]any); db["table"] != "users" || db["rows"] != int64(7) {
		t.Errorf("Dict = %#v", d["db"])
	}
	if tables, _ := d["tables"].([]any); len(tables) != 2 || tables[1] != "orders" {
		t.Errorf("Strs = %#v", d["tables"])
	}
	if v, ok := d["nothing"]; !ok || v != nil {
		t.Errorf("null = %#v", d)
	}
	if len(ev.Exception) != 1 || ev.Exception[0].Type != "error" || ev.Exception[0].Value != text {
		t.Fatalf("exception = %+v, want the text as type error (no ErrorMarshalFunc)", ev.Exception)
	}
	frames := ev.Exception[0].Stacktrace.Frames
	if top := frames[len(frames)-1].Function; top != "TestEventCarriesTrailOldestFirst" {
		t.Errorf("top frame = %q, want the test function (zerolog's frames dropped)", top)
	}
	if ev.Contexts["log"]["svc"] != "api" || ev.Contexts["log"]["error"] != text {
		t.Errorf("log context = %v", ev.Contexts["log"])
	}
}

// TestRealErrorWithErrorMarshalFunc: with zerologsentry.ErrorMarshalFunc
// installed, the event carries the real error chain, and the output is the
// same as without it.
func TestRealErrorWithErrorMarshalFunc(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })

	err := fmt.Errorf("save: %w", errors.New("disk full"))
	var without syncBuffer
	logger, rec := newLogger(t, zerologsentry.Options{}, &without)
	logger.Error().Err(err).AnErr("cause", errors.New("other")).Msg("failed")
	rec.Reset()

	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	var with syncBuffer
	logger, rec = newLogger(t, zerologsentry.Options{}, &with)
	logger.Error().Err(err).AnErr("cause", errors.New("other")).Msg("failed")
	if without.String() != with.String() {
		t.Errorf("output changed:\n%s\n%s", without.String(), with.String())
	}
	ev := rec.OnlyEvent()
	var types []string
	for _, ex := range ev.Exception {
		types = append(types, ex.Type+"="+ex.Value)
	}
	want := "*errors.errorString=disk full,*fmt.wrapError=save: disk full,*errors.errorString=other"
	if !strings.Contains(strings.Join(types, ","), "*fmt.wrapError=save: disk full") ||
		!strings.Contains(strings.Join(types, ","), "*errors.errorString=other") {
		t.Errorf("exceptions = %v, want the real errors like %s", types, want)
	}
}

// TestContextBindings: every way zerolog carries a context reaches the
// trail: the event's .Ctx, the logger's With().Ctx, zerolog.Ctx after
// WithContext; no context goes to the fallback trail.
func TestContextBindings(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	ctx := logcrumbs.NewContext(context.Background())
	logger.Info().Msg("unbound record")
	logger.Info().Ctx(ctx).Msg("event ctx")
	withCtx := logger.With().Ctx(ctx).Logger()
	withCtx.Info().Msg("logger ctx")
	ctx2, _ := zerologsentry.WithContext(ctx, logger)
	zerolog.Ctx(ctx2).Info().Msg("zerolog.Ctx")
	withCtx.Error().Msg("failed")
	var got []string
	for _, b := range rec.OnlyEvent().Event.Breadcrumbs {
		got = append(got, b.Message)
	}
	if want := "event ctx,logger ctx,zerolog.Ctx"; strings.Join(got, ",") != want {
		t.Errorf("trail = %v, want %s", got, want)
	}
	found := false
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		found = found || b.Message == "unbound record"
	}
	if !found {
		t.Error("an unbound record is not in the fallback trail")
	}
}

// TestOneTrailForSlogAndZerolog: a request logging through slog and zerolog
// gets one trail, in time order, each breadcrumb naming its logger.
func TestOneTrailForSlogAndZerolog(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts := logcrumbs.Options{Hub: hub}
	base := zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts}))
	ctx, zlog := zerologsentry.WithContext(context.Background(), base)
	sl := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	sl.InfoContext(ctx, "from slog 1")
	zlog.Info().Msg("from zerolog")
	sl.InfoContext(ctx, "from slog 2")
	zlog.Error().Msg("failed")
	var got []string
	for _, b := range rec.OnlyEvent().Event.Breadcrumbs {
		got = append(got, b.Category+":"+b.Message)
	}
	if want := "slog:from slog 1,zerolog:from zerolog,slog:from slog 2"; strings.Join(got, ",") != want {
		t.Errorf("trail = %v, want %s", got, want)
	}
}

// TestErrorMarshalFuncTwice: wrapping zerolog.ErrorMarshalFunc twice still
// gives the real error, not logcrumbs' wrapper.
func TestErrorMarshalFuncTwice(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc))
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	logger.Error().Err(errors.New("twice")).Msg("failed")
	if ex := rec.OnlyEvent().Exception; len(ex) != 1 || ex[0].Type != "*errors.errorString" {
		t.Errorf("exception = %+v", ex)
	}
}
