package bench

import (
	"context"
	"io"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// logrJSON is logr's own funcr sink writing JSON to io.Discard, at V(0).
func logrJSON() logr.Logger {
	return funcr.NewJSON(func(obj string) { _, _ = io.WriteString(io.Discard, obj) }, funcr.Options{})
}

func logrOpts(hub *sentry.Hub) logrsentry.Options {
	return logrsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}}
}

// logrCases: funcr JSON, logcrumbs alone and teed beside it.
func logrCases(b *testing.B) []struct {
	name string
	log  logr.Logger
	tr   *countingTransport
} {
	hub, tr := newHub(b)
	hub2, tr2 := newHub(b)
	return []struct {
		name string
		log  logr.Logger
		tr   *countingTransport
	}{
		{"json", logrJSON(), nil},
		{"logcrumbs", logr.New(logrsentry.NewSink(nil, logrOpts(hub))), tr},
		{"json+logcrumbs", logrsentry.Wrap(logrJSON(), logrOpts(hub2)), tr2},
	}
}

func logLogrInfo(l logr.Logger) {
	l.Info(msg, "path", path, "status", status, "took", took, "cached", cached)
}

func BenchmarkLogrBreadcrumb(b *testing.B) {
	for _, c := range logrCases(b) {
		b.Run(c.name, func(b *testing.B) {
			_, l := logrsentry.WithContext(context.Background(), c.log)
			warm(func() { logLogrInfo(l) })
			b.ReportAllocs()
			for b.Loop() {
				logLogrInfo(l)
			}
		})
	}
}

func BenchmarkLogrBreadcrumbParallel(b *testing.B) {
	for _, c := range logrCases(b) {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				_, l := logrsentry.WithContext(context.Background(), c.log)
				for pb.Next() {
					logLogrInfo(l)
				}
			})
		})
	}
}

// BenchmarkLogrFiltered: a V(1) record where funcr writes V(0) only and
// logcrumbs keeps V(0) only (Verbosity -1).
func BenchmarkLogrFiltered(b *testing.B) {
	hub, _ := newHub(b)
	opts := logrOpts(hub)
	opts.Verbosity = -1
	for _, c := range []struct {
		name string
		log  logr.Logger
	}{
		{"json", logrJSON()},
		{"json+logcrumbs", logrsentry.Wrap(logrJSON(), opts)},
	} {
		b.Run(c.name, func(b *testing.B) {
			_, l := logrsentry.WithContext(context.Background(), c.log)
			l = l.V(1)
			b.ReportAllocs()
			for b.Loop() {
				logLogrInfo(l)
			}
		})
	}
}

func BenchmarkLogrEvent(b *testing.B) {
	for _, trail := range trails {
		for _, name := range []string{"logcrumbs", "json+logcrumbs"} {
			b.Run(name+"-"+trail.name, func(b *testing.B) {
				hub, tr := newHub(b)
				runEvents(b, tr, logrEvents(name, logrOpts(hub), trail.n, b))
			})
		}
	}
}

// logrEvents is the op of a BenchmarkLogrEvent row (see eventOp): the
// logcrumbs sink alone, or wrapping funcr's JSON ("json+logcrumbs").
func logrEvents(name string, opts logrsentry.Options, n int, tm timer) func(i int) {
	base := logr.New(logrsentry.NewSink(nil, opts))
	if name == "json+logcrumbs" {
		base = logrsentry.Wrap(logrJSON(), opts)
	}
	return eventOp(n, tm,
		func(ctx context.Context) logr.Logger { _, l := logrsentry.WithContext(ctx, base); return l },
		logLogrInfo,
		func(l logr.Logger, i int) {
			l.Error(newError(i), "charge failed", "path", path, "status", status, "took", took)
		})
}

// BenchmarkLogrRepeat: one request logs the same error value from one call
// site over and over; after the first, capture-once and repeat counting
// skip it (events/op near 0). Compared with funcr's JSON alone.
// Deduplication is on, as by default.
func BenchmarkLogrRepeat(b *testing.B) {
	err := newError(0)
	for _, name := range []string{"json", "json+logcrumbs"} {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			log := logrJSON()
			if name == "json+logcrumbs" {
				log = logrsentry.Wrap(log, logrsentry.Options{Options: logcrumbs.Options{Hub: hub}})
			}
			_, l := logrsentry.WithContext(context.Background(), log)
			b.ReportAllocs()
			for b.Loop() {
				l.Error(err, "charge failed", "path", path, "status", status, "took", took)
			}
			reportEvents(b, tr)
		})
	}
}
