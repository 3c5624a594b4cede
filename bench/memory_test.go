package bench

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// liveHeap returns the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkFullRing measures what a full default ring (100 records) keeps
// alive: with the benchmark's 4-attribute record, and with records at the
// breadcrumb limits (64 attributes, values cut at 1 KiB, 4 KiB per record).
// ns/op is the cost of filling one ring; B/ring is its live size.
func BenchmarkFullRing(b *testing.B) {
	big := strings.Repeat("x", 4096)
	for _, c := range []struct {
		name string
		log  func(*slog.Logger, context.Context)
	}{
		{"4attrs", logSlogInfo},
		{"at-limits", func(l *slog.Logger, ctx context.Context) {
			args := make([]any, 0, 128)
			for i := range 64 {
				args = append(args, string(rune('a'+i%26))+strings.Repeat("k", i/26), big)
			}
			l.InfoContext(ctx, big, args...)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
			fill := func() context.Context {
				ctx := logcrumbs.NewContext(context.Background())
				for range logcrumbs.DefaultCapacity {
					c.log(l, ctx)
				}
				return ctx
			}
			for b.Loop() {
				fill()
			}
			before := liveHeap()
			ctx := fill()
			after := liveHeap()
			runtime.KeepAlive(ctx)
			b.ReportMetric(float64(after-before), "B/ring")
		})
	}
}

// BenchmarkRequests: each op is one request through slog with a trail of its
// own: 10 breadcrumbs, and an error event every tenth request. heap-B is the
// live heap after the run: run it at -benchtime=10000x and 100000x (as
// bench/run does) to see that it does not grow with the count.
func BenchmarkRequests(b *testing.B) {
	hub, tr := newHub(b)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}}))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ctx := logcrumbs.NewContext(context.Background())
		for range 10 {
			logSlogInfo(l, ctx)
		}
		if i%10 == 0 {
			l.ErrorContext(ctx, "charge failed", "err", newError(i))
		}
		i++
	}
	reportEvents(b, tr)
	b.ReportMetric(float64(liveHeap()), "heap-B")
}
