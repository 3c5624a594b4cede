package zerologsentry

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// FuzzDeferred: a breadcrumb whose fields are kept encoded and parsed when
// read is the breadcrumb parsed when logged: the same attributes, cuts,
// marks and invalid UTF-8, whatever the bytes and the limits (small ones
// included, so that values, records and attribute counts are cut).
func FuzzDeferred(f *testing.F) {
	for _, seed := range scannerSeeds {
		f.Add(seed, uint8(0), uint16(0), uint16(0))
		f.Add(seed, uint8(3), uint16(5), uint16(40))
	}
	f.Fuzz(func(t *testing.T, b []byte, attrs uint8, value, record uint16) {
		limits := buffer.Limits{MaxAttrs: int(attrs), MaxValueBytes: int(value), MaxRecordBytes: int(record)}.
			WithDefaults(buffer.DefaultBreadcrumbLimits)
		start := func() *buffer.Record {
			rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, limits)
			rec.SetLogger("zerolog")
			rec.SetMessage("served")
			return rec
		}
		eager := start()
		defer buffer.Put(eager)
		copyFields(eager, b)
		eager.CloseAll()
		lazy := start()
		defer buffer.Put(lazy)
		raw := bytes.Clone(b)
		if !lazy.Defer(raw, copyFields) {
			if len(b) <= limits.MaxRecordBytes-len("zerolog")-len("served") {
				t.Fatalf("%d bytes not deferred, with room for them", len(b))
			}
			return
		}
		clear(raw) // zerolog reuses its buffer for the next record
		lazy.Expand()
		if eager.Len() != lazy.Len() || eager.Bytes() != lazy.Bytes() || eager.Truncated != lazy.Truncated ||
			eager.DroppedAttrs != lazy.DroppedAttrs || lazy.Depth() != 0 {
			t.Fatalf("parsed when logged: %d attrs, %d bytes, cut %v, %d dropped; when read: %d, %d, %v, %d (depth %d)",
				eager.Len(), eager.Bytes(), eager.Truncated, eager.DroppedAttrs, lazy.Len(), lazy.Bytes(), lazy.Truncated, lazy.DroppedAttrs, lazy.Depth())
		}
		for i := range eager.Len() {
			e, l := eager.Attr(i), lazy.Attr(i)
			if e.Kind != l.Kind || e.Num() != l.Num() || eager.Key(e) != lazy.Key(l) || eager.Text(e) != lazy.Text(l) {
				t.Fatalf("attr %d: %v %q %q %d, when read %v %q %q %d", i, e.Kind, eager.Key(e), eager.Text(e), e.Num(),
					l.Kind, lazy.Key(l), lazy.Text(l), l.Num())
			}
		}
		if ej, lj := mustJSON(t, eager.Breadcrumb()), mustJSON(t, lazy.Breadcrumb()); ej != lj {
			t.Fatalf("breadcrumb parsed when logged %s, when read %s", ej, lj)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkExpand: the parse of one deferred zerolog breadcrumb, as an event
// that carries it does it (Record.Expand with copyFields), for the bench's
// info record: its fields as a hook sees them, the level first and no
// message.
func BenchmarkExpand(b *testing.B) {
	var out bytes.Buffer
	l := zerolog.New(&out)
	l.Info().Str("path", "/users/42").Int("status", 200).
		Dur("took", 3*time.Millisecond).Bool("cached", false).Send()
	fields := bytes.TrimRight(out.Bytes(), "}\n") // cut short, as a hook sees it
	rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
	defer buffer.Put(rec)
	for b.Loop() {
		rec.Reset(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		if !rec.Defer(fields, copyFields) {
			b.Fatal("not deferred")
		}
		rec.Expand()
		if rec.Len() != 4 {
			b.Fatalf("%d attributes", rec.Len())
		}
	}
}

// TestParserNowKeepsToNamesSetToTheirText: a program that sets zerolog's
// field names to strings of their own text (its configuration naming the
// defaults) gets the parser of those strings once, and parserNow's test in
// place for its every record from then on: not a call to parserOfNames,
// and its comparison of the text, on each (four times the cost of the
// names unchanged, and more than parserNow cost before it told them by
// address).
func TestParserNowKeepsToNamesSetToTheirText(t *testing.T) {
	defer func(l, ts, st string) {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = l, ts, st
	}(zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName)
	parserNow()
	zerolog.LevelFieldName = string([]byte(zerolog.LevelFieldName))
	zerolog.TimestampFieldName = string([]byte(zerolog.TimestampFieldName))
	parserNow()
	p := lastParser.Load()
	if !sameData(p.names.level, zerolog.LevelFieldName) || !sameData(p.names.timestamp, zerolog.TimestampFieldName) ||
		!sameData(p.names.stack, zerolog.ErrorStackFieldName) {
		t.Error("the last parser's names are not the strings zerolog's names were set to: parserOfNames runs for every record")
	}
}
