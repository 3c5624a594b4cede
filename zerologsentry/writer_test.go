package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

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

// TestBoundWriterTrails: a Writer looks up the trail of the context it is
// bound to once, when bound; each bound copy keeps its records in its own
// context's trail (one attached by WithContext, one the program attached,
// of another capacity), and the writer it was copied from, unbound, keeps
// writing to the fallback trail, before and after the bindings.
func TestBoundWriterTrails(t *testing.T) {
	w, _ := newWriter(t, new(syncBuffer))
	base := zerolog.New(w)
	// Named after the test: the fallback trail is the process's.
	a1, a2, b1, unbound := t.Name()+" a1", t.Name()+" a2", t.Name()+" b1", t.Name()+" unbound"
	base.Info().Msg(unbound + " 1")

	ctxA, logA := w.WithContext(context.Background(), base)
	own := logcrumbs.NewTrail(5)
	ctxB, logB := w.WithContext(logcrumbs.ContextWithTrail(context.Background(), own), base)
	if logcrumbs.FromContext(ctxA) == nil {
		t.Fatal("WithContext attached no trail")
	}
	logA.Info().Msg(a1)
	logB.Info().Msg(b1)
	logA.Info().Msg(a2)
	base.Info().Msg(unbound + " 2")

	if got, want := messages(logcrumbs.FromContext(ctxA)), []string{a1, a2}; !slices.Equal(got, want) {
		t.Errorf("trail of the first binding: %q, want %q", got, want)
	}
	if got, want := messages(logcrumbs.FromContext(ctxB)), []string{b1}; !slices.Equal(got, want) {
		t.Errorf("trail of the second binding: %q, want %q", got, want)
	}
	if got, want := messages(own), []string{b1}; !slices.Equal(got, want) {
		t.Errorf("the program's trail: %q, want %q", got, want)
	}
	var fallback []string
	for _, m := range messages(logcrumbs.Fallback()) {
		if m == unbound+" 1" || m == unbound+" 2" || m == a1 || m == b1 {
			fallback = append(fallback, m)
		}
	}
	if want := []string{unbound + " 1", unbound + " 2"}; !slices.Equal(fallback, want) {
		t.Errorf("fallback trail: %q, want %q", fallback, want)
	}
}

// TestWriterBehindConsoleWriter: a Writer given as a zerolog ConsoleWriter's
// Out is written the console's text, not zerolog's JSON: no level, message
// or field of it can be read. It keeps nothing of it, and passes it on (it
// kept an empty info breadcrumb for every record, an error's too, which
// was never an event, while a Hook on the same logger keeps each record).
// In front of the ConsoleWriter, NewWriter(ConsoleWriter{...}), it reads
// the records as the Hook does.
func TestWriterBehindConsoleWriter(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := zerologsentry.Options{Options: rec.Options()}
	var out syncBuffer
	log := zerolog.New(zerolog.ConsoleWriter{Out: zerologsentry.NewWriter(&out, opts), NoColor: true})
	fb := logcrumbs.Fallback() // an unbound Writer's trail
	kept := uint64(fb.Len()) + fb.Dropped()
	log.Info().Str("k", "v").Msg("loading cart")
	log.Error().Msg("checkout failed")
	if n := uint64(fb.Len()) + fb.Dropped() - kept; n != 0 {
		var got []string
		for _, b := range fb.Breadcrumbs()[fb.Len()-min(int(n), fb.Len()):] {
			got = append(got, fmt.Sprintf("%s %q %v", b.Level, b.Message, b.Data))
		}
		t.Errorf("behind the ConsoleWriter: %d breadcrumbs kept, want 0: %s", n, strings.Join(got, "; "))
	}
	if n := len(rec.Events()); n != 0 {
		t.Errorf("behind the ConsoleWriter: %d events, want 0", n)
	}
	if s := out.String(); !strings.Contains(s, "INF loading cart k=v") || !strings.Contains(s, "ERR checkout failed") {
		t.Errorf("the console's output is not passed on: %q", s)
	}

	for _, writer := range []bool{false, true} {
		rec.Reset()
		ctx := rec.Context(context.Background())
		console := zerolog.ConsoleWriter{Out: &out, NoColor: true}
		if writer {
			w := zerologsentry.NewWriter(console, opts)
			_, log = w.WithContext(ctx, zerolog.New(w))
		} else {
			_, log = zerologsentry.WithContext(ctx, zerolog.New(console).Hook(zerologsentry.NewHook(opts)))
		}
		log.Info().Str("k", "v").Msg("loading cart")
		log.Error().Msg("checkout failed")
		ev := rec.OnlyEvent()
		bs := ev.Breadcrumbs()
		if ev.Message != "checkout failed" || len(bs) != 1 || bs[0].Message != "loading cart" || bs[0].Data["k"] != "v" {
			t.Errorf("writer %v, in front of the ConsoleWriter: event %q, breadcrumbs %+v", writer, ev.Message, bs)
		}
	}
}

// TestWriteThroughFilteredLevelWriter: Write (as a diode or io.MultiWriter
// calls it) on a Writer whose next is a FilteredLevelWriter passes the line
// to next.Write, which does not filter, as without logcrumbs.
func TestWriteThroughFilteredLevelWriter(t *testing.T) {
	line := []byte(`{"level":"debug","message":"d"}` + "\n")
	var without, with syncBuffer
	f1 := &zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: &without}, Level: zerolog.InfoLevel}
	f1.Write(line)
	hub := logcrumbstest.New(t).Hub()
	f2 := &zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: &with}, Level: zerolog.InfoLevel}
	zerologsentry.NewWriter(f2, zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}).Write(line)
	if without.String() != with.String() {
		t.Errorf("output differs: without %q, with %q", without.String(), with.String())
	}
}
