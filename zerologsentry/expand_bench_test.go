package zerologsentry

import (
	"bytes"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

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
