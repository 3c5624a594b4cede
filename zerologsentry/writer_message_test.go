package zerologsentry

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestWriterMessageAsWrittenInPieces: the Writer hands a message without
// escapes that no limit cuts to the record whole (Entry.Message), others in
// pieces (Encoder.Message); either way a breadcrumb's and an event's
// message are what writing it in pieces gives, at and around every limit:
// MaxValueBytes, and MaxRecordBytes after the logger's name, a 4-byte
// rune where the ellipsis goes included ("aaaaa😀xyz" under 8 bytes, which
// endText once cut a rune earlier than SetMessage; buffer's
// TestWrittenTextCutsAsSetText pins that both cut alike).
func TestWriterMessageAsWrittenInPieces(t *testing.T) {
	inPieces := func(lim buffer.Limits, msg string) string {
		r := buffer.Get(time.Time{}, buffer.LevelInfo, lim)
		defer buffer.Put(r)
		r.SetLogger("zerolog")
		r.BeginMessage()
		writeUnescaped(r, []byte(msg), false)
		r.EndMessage()
		return r.Message()
	}
	var msgs []string
	for n := 1; n <= 20; n++ {
		msgs = append(msgs, strings.Repeat("a", n), strings.Repeat("a", n)+"😀xyz", strings.Repeat("é", n))
	}
	for _, lim := range []buffer.Limits{
		{MaxValueBytes: 8},
		{MaxValueBytes: 12},
		{MaxRecordBytes: 128 + 9},
		{MaxRecordBytes: 7 + 12}, // the logger's name, "zerolog", takes 7
		{MaxValueBytes: 1024, MaxRecordBytes: 4096},
	} {
		rec := logcrumbstest.New(t)
		w := NewWriter(io.Discard, Options{Options: logcrumbs.Options{
			Hub: rec.Hub(), BreadcrumbLimits: lim, EventLimits: lim, DedupeWindow: -1,
		}})
		_, l := w.WithContext(context.Background(), zerolog.New(w))
		for _, msg := range msgs {
			l.Info().Msg(msg)
			l.Error().Msg(msg)
		}
		events := rec.Events()
		if len(events) != len(msgs) {
			t.Fatalf("%+v: %d events, want %d", lim, len(events), len(msgs))
		}
		for i, msg := range msgs {
			ev := events[i].Event
			bl, el := lim.WithDefaults(buffer.DefaultBreadcrumbLimits), lim.WithDefaults(buffer.DefaultEventLimits)
			bcs := ev.Breadcrumbs
			if got, want := bcs[len(bcs)-1].Message, inPieces(bl, msg); got != want {
				t.Errorf("%+v, %q: breadcrumb message %q, want %q", lim, msg, got, want)
			}
			if got, want := ev.Message, inPieces(el, msg); got != want {
				t.Errorf("%+v, %q: event message %q, want %q", lim, msg, got, want)
			}
		}
	}
}
