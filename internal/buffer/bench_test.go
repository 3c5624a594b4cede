package buffer

import (
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
