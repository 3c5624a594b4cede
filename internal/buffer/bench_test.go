package buffer

import (
	"fmt"
	"io"
	"testing"
	"time"
)

// BenchmarkAppendFull is the buffer's share of a breadcrumb: take a record,
// fill it with a message and 4 attributes, append it to a full trail.
func BenchmarkAppendFull(b *testing.B) {
	t := NewTrail(0)
	now := time.Now()
	fill := func() {
		r := Get(now, LevelInfo, DefaultBreadcrumbLimits)
		r.SetLogger("slog")
		r.SetMessage("request served")
		r.AddText(KindString, "path", "/api/v1/things")
		r.AddScalar(KindInt64, "status", 200)
		r.AddScalar(KindDuration, "took", uint64(time.Millisecond))
		r.AddScalar(KindBool, "cached", 1)
		t.Append(r)
	}
	for range t.Cap() {
		fill()
	}
	b.ReportAllocs()
	for b.Loop() {
		fill()
	}
}

// BenchmarkCaptureNew is an event's capture-once check and record of a new
// error (a %w-wrapped one, as the bench module's event rows log): into a
// new trail's empty table, and into a reused trail's full one, which every
// new error's look-up scans.
func BenchmarkCaptureNew(b *testing.B) {
	errs := make([][]error, 4096)
	for i := range errs {
		errs[i] = []error{fmt.Errorf("charge order %d: %w", i, io.EOF)}
	}
	now := time.Now()
	for _, full := range []bool{false, true} {
		name := "empty"
		if full {
			name = "full"
		}
		b.Run(name, func(b *testing.B) {
			tr := NewTrail(0)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				if !full {
					tr = NewTrail(0)
				}
				tr.captureOnce(errs[i%len(errs)], "id", now, 0)
				i++
			}
		})
	}
}
