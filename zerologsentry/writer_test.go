package zerologsentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

func newWriter(t *testing.T, out *syncBuffer) (*zerologsentry.Writer, *logcrumbstest.Recorder) {
	t.Helper()
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	return zerologsentry.NewWriter(out, zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}), rec
}

// addsField is a hook that adds a field: the writer sees it wherever the
// hook is.
type addsField struct{}

func (addsField) Run(e *zerolog.Event, _ zerolog.Level, _ string) { e.Str("added", "by hook") }

// TestWriterBinding: request loggers bound with Writer.WithContext keep
// their own trails, with every field (those of hooks too) and the message,
// escapes decoded; the output is what zerolog wrote.
func TestWriterBinding(t *testing.T) {
	var out, plain syncBuffer
	w, rec := newWriter(t, &out)
	base := zerolog.New(w).Hook(addsField{})
	_, a := w.WithContext(context.Background(), base)
	_, b := w.WithContext(context.Background(), base)
	a.Info().Int("n", 1).Msg("a \"quoted\"\nline")
	b.Info().Msg("b1")
	a.Error().Err(errors.New("boom")).Msg("a failed")

	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 1 {
		t.Fatalf("breadcrumbs = %+v, want request a's only", ev.Event.Breadcrumbs)
	}
	bc := ev.Event.Breadcrumbs[0]
	if bc.Message != "a \"quoted\"\nline" || bc.Data["n"] != int64(1) || bc.Data["added"] != "by hook" || bc.Category != "zerolog" {
		t.Errorf("breadcrumb = %+v", bc)
	}
	if _, ok := bc.Data["message"]; ok {
		t.Error("the message field is also in the data")
	}
	if len(ev.Exception) != 1 || ev.Exception[0].Value != "boom" || ev.Message != "a failed" {
		t.Errorf("event = %q %+v", ev.Message, ev.Exception)
	}

	zl := zerolog.New(&plain).Hook(addsField{})
	zl.Info().Int("n", 1).Msg("a \"quoted\"\nline")
	zl.Info().Msg("b1")
	zl.Error().Err(errors.New("boom")).Msg("a failed")
	if out.String() != plain.String() {
		t.Errorf("output through the Writer differs:\n%s\n%s", out.String(), plain.String())
	}
}

// TestHookAndWriterKeepEachRecordOnce: with both on one logger the writer
// keeps each record and the hook steps aside, directly and through
// zerolog.MultiLevelWriter.
func TestHookAndWriterKeepEachRecordOnce(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}
	w := zerologsentry.NewWriter(new(syncBuffer), opts)
	_, log := w.WithContext(context.Background(), zerolog.New(w).Hook(zerologsentry.NewHook(opts)))
	log.Info().Msg("once")
	log.Error().Msg("failed")
	if bs := rec.OnlyEvent().Event.Breadcrumbs; len(bs) != 1 {
		t.Errorf("direct: %d breadcrumbs, want 1: %+v", len(bs), bs)
	}

	rec.Reset()
	multi := zerolog.New(zerolog.MultiLevelWriter(new(syncBuffer), zerologsentry.NewWriter(nil, opts))).
		Hook(zerologsentry.NewHook(opts))
	multi.Info().Msg("once through multi " + t.Name())
	multi.Error().Msg("failed " + t.Name())
	if n := len(rec.Events()); n != 1 {
		t.Errorf("multi: %d events, want 1", n)
	}
	count := 0
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		if b.Message == "once through multi "+t.Name() {
			count++
		}
	}
	if count != 1 {
		t.Errorf("multi: the record is %d times in the fallback trail, want 1", count)
	}
}

// TestWriterWrite: records written with Write, without a level argument,
// take their level from the level field.
func TestWriterWrite(t *testing.T) {
	var out syncBuffer
	w, rec := newWriter(t, &out)
	line := `{"level":"warn","k":"v","message":"written directly"}` + "\n"
	if n, err := w.Write([]byte(line)); n != len(line) || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if _, err := w.Write([]byte(`{"level":"error","message":"boom"}` + "\n")); err != nil {
		t.Fatal(err)
	}
	ev := rec.OnlyEvent()
	if ev.Message != "boom" || ev.Level != "error" {
		t.Errorf("event = %q %q", ev.Message, ev.Level)
	}
	if !strings.Contains(out.String(), "written directly") {
		t.Error("Write did not pass the record on")
	}
	found := false
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		found = found || (b.Message == "written directly" && b.Level == "warning" && b.Data["k"] == "v")
	}
	if !found {
		t.Error("the unbound writer's warn record is not in the fallback trail")
	}
}
