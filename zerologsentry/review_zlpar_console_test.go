package zerologsentry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

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
