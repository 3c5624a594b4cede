package bench

import (
	"context"
	"io"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

func zerologOpts(hub *sentry.Hub) zerologsentry.Options {
	return zerologsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}}
}

// zerologLogger returns a request logger of one of the cases: zerolog alone
// to io.Discard, with the logcrumbs hook, or with the logcrumbs writer.
func zerologLogger(name string, opts zerologsentry.Options, ctx context.Context) zerolog.Logger {
	return zerologBinder(name, opts)(ctx)
}

// zerologBinder builds the logger of one of the cases (zerologLogger) once
// and returns what binds it to a request, as a program does per request.
func zerologBinder(name string, opts zerologsentry.Options) func(ctx context.Context) zerolog.Logger {
	switch name {
	case "hook":
		base := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts))
		return func(ctx context.Context) zerolog.Logger {
			_, l := zerologsentry.WithContext(ctx, base)
			return l
		}
	case "writer":
		w := zerologsentry.NewWriter(io.Discard, opts)
		base := zerolog.New(w)
		return func(ctx context.Context) zerolog.Logger {
			_, l := w.WithContext(ctx, base)
			return l
		}
	}
	base := zerolog.New(io.Discard)
	return func(ctx context.Context) zerolog.Logger { return base.With().Ctx(ctx).Logger() }
}

func logZerologInfo(l zerolog.Logger) {
	l.Info().Str("path", path).Int("status", status).Dur("took", took).Bool("cached", cached).Msg(msg)
}

var zerologCases = []string{"discard", "hook", "writer"}

func BenchmarkZerologBreadcrumb(b *testing.B) {
	for _, name := range zerologCases {
		b.Run(name, func(b *testing.B) {
			hub, _ := newHub(b)
			l := zerologLogger(name, zerologOpts(hub), logcrumbs.NewContext(context.Background()))
			warm(func() { logZerologInfo(l) })
			b.ReportAllocs()
			for b.Loop() {
				logZerologInfo(l)
			}
		})
	}
}

func BenchmarkZerologBreadcrumbParallel(b *testing.B) {
	for _, name := range zerologCases {
		b.Run(name, func(b *testing.B) {
			hub, _ := newHub(b)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				l := zerologLogger(name, zerologOpts(hub), logcrumbs.NewContext(context.Background()))
				for pb.Next() {
					logZerologInfo(l)
				}
			})
		})
	}
}

// BenchmarkZerologFiltered: a debug record where every level in use is info
// (zerolog drops it before hooks or writers run).
func BenchmarkZerologFiltered(b *testing.B) {
	for _, name := range zerologCases {
		b.Run(name, func(b *testing.B) {
			hub, _ := newHub(b)
			opts := zerologOpts(hub)
			opts.BreadcrumbLevel = zerolog.InfoLevel
			l := zerologLogger(name, opts, logcrumbs.NewContext(context.Background())).Level(zerolog.InfoLevel)
			b.ReportAllocs()
			for b.Loop() {
				l.Debug().Str("path", path).Int("status", status).Dur("took", took).Bool("cached", cached).Msg(msg)
			}
		})
	}
}

func BenchmarkZerologEvent(b *testing.B) {
	for _, trail := range trails {
		for _, name := range zerologCases[1:] {
			b.Run(name+"-"+trail.name, func(b *testing.B) {
				hub, tr := newHub(b)
				runEvents(b, tr, zerologEvents(name, zerologOpts(hub), trail.n, b))
			})
		}
	}
}

// zerologEvents is the op of a BenchmarkZerologEvent row (see eventOp):
// the hook or the writer, built once, as slog's rows build their handler
// once. The trail rows are what zerolog's rows exist for: the info
// breadcrumbs' fields, kept encoded, parsed when the event is sent.
func zerologEvents(name string, opts zerologsentry.Options, n int, tm timer) func(i int) {
	return eventOp(n, tm, zerologBinder(name, opts), logZerologInfo, func(l zerolog.Logger, i int) {
		l.Error().Err(newError(i)).Str("path", path).Int("status", status).Dur("took", took).Msg("charge failed")
	})
}

// BenchmarkZerologRepeat: one request logs the same error value from one
// call site over and over; after the first, capture-once and repeat
// counting skip it (events/op near 0). Compared with zerolog alone to
// io.Discard ("discard"). Deduplication is on, as by default.
func BenchmarkZerologRepeat(b *testing.B) {
	err := newError(0)
	for _, name := range zerologCases {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}
			l := zerologLogger(name, opts, logcrumbs.NewContext(context.Background()))
			b.ReportAllocs()
			for b.Loop() {
				l.Error().Err(err).Str("path", path).Int("status", status).Dur("took", took).Msg("charge failed")
			}
			reportEvents(b, tr)
		})
	}
}

// BenchmarkZerologRepeatParallel: BenchmarkZerologRepeat in an error storm
// of concurrent requests (see BenchmarkSlogRepeatParallel).
func BenchmarkZerologRepeatParallel(b *testing.B) {
	err := newError(0)
	for _, name := range zerologCases {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			bind := zerologBinder(name, zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}})
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				l := bind(logcrumbs.NewContext(context.Background()))
				for pb.Next() {
					l.Error().Err(err).Str("path", path).Int("status", status).Dur("took", took).Msg("charge failed")
				}
			})
			reportEvents(b, tr)
		})
	}
}
