package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getsentry/sentry-go"
	sentryslog "github.com/getsentry/sentry-go/slog"
	samber "github.com/samber/slog-sentry/v2"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// slogCase is one handler under test; hub and tr are nil for handlers that
// do not report to Sentry.
type slogCase struct {
	name string
	h    slog.Handler
	tr   *countingTransport
}

func jsonHandler(level slog.Level) slog.Handler {
	return slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: level})
}

// slogCases are the handlers compared on the info path: the bare handlers,
// logcrumbs alone and teed beside JSON, and the existing bridges. Each
// reporting handler has a hub and counting transport of its own.
func slogCases(b *testing.B) []slogCase {
	withHub := func(name string, h func(*sentry.Hub) slog.Handler) slogCase {
		hub, tr := newHub(b)
		return slogCase{name, h(hub), tr}
	}
	logcrumbsOpts := func(hub *sentry.Hub) slogsentry.Options {
		return slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}}
	}
	return []slogCase{
		{"discard", slog.DiscardHandler, nil},
		{"nop", nopHandler{}, nil},
		{"json", jsonHandler(slog.LevelInfo), nil},
		withHub("logcrumbs", func(hub *sentry.Hub) slog.Handler {
			return slogsentry.NewHandler(nil, logcrumbsOpts(hub))
		}),
		withHub("json+logcrumbs", func(hub *sentry.Hub) slog.Handler {
			return slogsentry.NewHandler(jsonHandler(slog.LevelInfo), logcrumbsOpts(hub))
		}),
		withHub("sentry-go-slog", func(hub *sentry.Hub) slog.Handler {
			return sentryslog.Option{}.NewSentryHandler(sentry.SetHubOnContext(context.Background(), hub))
		}),
		withHub("samber-default", func(hub *sentry.Hub) slog.Handler {
			return samber.Option{Hub: hub}.NewSentryHandler()
		}),
		withHub("samber-info", func(hub *sentry.Hub) slog.Handler {
			return samber.Option{Hub: hub, Level: slog.LevelInfo}.NewSentryHandler()
		}),
	}
}

// nopHandler is enabled for every record and does nothing with it: the cost
// of slog building a record for a handler that wants one (DiscardHandler is
// disabled, so slog skips even that).
type nopHandler struct{}

func (nopHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (nopHandler) Handle(context.Context, slog.Record) error { return nil }
func (h nopHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h nopHandler) WithGroup(string) slog.Handler           { return h }

func logSlogInfo(l *slog.Logger, ctx context.Context) {
	l.InfoContext(ctx, msg, "path", path, "status", status, "took", took, "cached", cached)
}

// BenchmarkSlogBreadcrumb: an info record with 4 attributes, into one
// request's trail.
func BenchmarkSlogBreadcrumb(b *testing.B) {
	for _, c := range slogCases(b) {
		b.Run(c.name, func(b *testing.B) {
			l := slog.New(c.h)
			ctx := logcrumbs.NewContext(context.Background())
			warm(func() { logSlogInfo(l, ctx) })
			b.ReportAllocs()
			for b.Loop() {
				logSlogInfo(l, ctx)
			}
		})
	}
}

// jsonAndOurs returns the JSON handler at info, and logcrumbs with opts
// beside it and stand-alone.
func jsonAndOurs(opts slogsentry.Options) []slogCase {
	return []slogCase{
		{"json", jsonHandler(slog.LevelInfo), nil},
		{"json+logcrumbs", slogsentry.NewHandler(jsonHandler(slog.LevelInfo), opts), nil},
		{"logcrumbs", slogsentry.NewHandler(nil, opts), nil},
	}
}

// BenchmarkSlogBreadcrumbError: a breadcrumb whose first attribute is an
// error, then 3 plain ones: slogsentry copies it whole after the wrapped
// handler, as a record that is not all strings, numbers and times.
func BenchmarkSlogBreadcrumbError(b *testing.B) {
	hub, _ := newHub(b)
	opts := slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}}
	for _, c := range jsonAndOurs(opts) {
		b.Run(c.name, func(b *testing.B) {
			l := slog.New(c.h)
			ctx := logcrumbs.NewContext(context.Background())
			log := func() { l.InfoContext(ctx, msg, "err", errBase, "path", path, "status", status, "took", took) }
			warm(log)
			b.ReportAllocs()
			for b.Loop() {
				log()
			}
		})
	}
}

// BenchmarkSlogBreadcrumbParallel: the same from all Ps, each goroutine a
// request of its own; "logcrumbs-fallback" logs without trails, into the
// shared fallback ring.
func BenchmarkSlogBreadcrumbParallel(b *testing.B) {
	cases := slogCases(b)
	cases = append(cases, slogCase{"logcrumbs-fallback", cases[3].h, nil})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			l := slog.New(c.h)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				if c.name != "logcrumbs-fallback" {
					ctx = logcrumbs.NewContext(ctx)
				}
				for pb.Next() {
					logSlogInfo(l, ctx)
				}
			})
		})
	}
}

// BenchmarkSlogFiltered: a debug record where every level in use is info.
func BenchmarkSlogFiltered(b *testing.B) {
	hub, _ := newHub(b)
	opts := slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}, BreadcrumbLevel: slog.LevelInfo}
	for _, c := range jsonAndOurs(opts) {
		b.Run(c.name, func(b *testing.B) {
			l := slog.New(c.h)
			ctx := logcrumbs.NewContext(context.Background())
			b.ReportAllocs()
			for b.Loop() {
				l.DebugContext(ctx, msg, "path", path, "status", status, "took", took, "cached", cached)
			}
		})
	}
}

// BenchmarkSlogEvent: an error record with a %w-wrapped error and 4
// attributes. "empty" gives each record a new trail (the cost of
// BenchmarkRequestSetup/trail included); "trail20" and "trail100" send 20
// and 100 breadcrumbs with each event. samber's "-trail20" and "-trail100"
// send as many breadcrumbs from its hub's scope.
func BenchmarkSlogEvent(b *testing.B) {
	for _, name := range []string{"logcrumbs", "json+logcrumbs"} {
		for _, t := range trails {
			// Each sub-benchmark builds its cases anew, for a transport of its own.
			b.Run(name+"-"+t.name, func(b *testing.B) {
				c := pickSlog(b, name)
				runEvents(b, c.tr, slogEvents(c.h, t.n, b))
			})
		}
	}
	// samber sends an event for every record at or above its level, with the
	// breadcrumbs its hub's scope holds (none of its own making).
	b.Run("samber-default", func(b *testing.B) {
		hub, tr := newHub(b)
		runEvents(b, tr, samberEvents(samber.Option{Hub: hub}.NewSentryHandler(), hub, 0))
	})
	// sentry-go-slog sends Sentry Logs, never events (events/op 0).
	b.Run("sentry-go-slog", func(b *testing.B) {
		c := pickSlog(b, "sentry-go-slog")
		runEvents(b, c.tr, slogEvents(c.h, 0, b))
	})
	for _, t := range trails[1:] {
		b.Run("samber-default-"+t.name, func(b *testing.B) {
			hub, tr := newHub(b)
			runEvents(b, tr, samberEvents(samber.Option{Hub: hub}.NewSentryHandler(), hub, t.n))
		})
	}
}

// samberEvents is the op of a BenchmarkSlogEvent samber-default row:
// samber's handler h, whose hub is hub, logging the i-th error record, with
// n breadcrumbs like the info record on hub's scope. Its records carry no
// logcrumbs trail: samber has no use for one, and its row would pay for it.
func samberEvents(h slog.Handler, hub *sentry.Hub, n int) func(i int) {
	scopeBreadcrumbs(hub, n)
	l := slog.New(h)
	return func(i int) { logSlogError(l, context.Background(), newError(i)) }
}

// slogOn is a slog logger and the context it logs with.
type slogOn struct {
	l   *slog.Logger
	ctx context.Context
}

// slogEvents is the op of a BenchmarkSlogEvent row (see eventOp).
func slogEvents(h slog.Handler, n int, tm timer) func(i int) {
	l := slog.New(h)
	return eventOp(n, tm,
		func(ctx context.Context) slogOn { return slogOn{l, ctx} },
		func(s slogOn) { logSlogInfo(s.l, s.ctx) },
		func(s slogOn, i int) { logSlogError(s.l, s.ctx, newError(i)) })
}

// pickSlog returns the slogCases case of that name, with a hub and
// transport of its own.
func pickSlog(b *testing.B, name string) slogCase {
	for _, c := range slogCases(b) {
		if c.name == name {
			return c
		}
	}
	panic(name)
}

func logSlogError(l *slog.Logger, ctx context.Context, err error) {
	l.ErrorContext(ctx, "charge failed", "err", err, "path", path, "status", status, "took", took)
}

// BenchmarkSlogRepeat: one request logs the same error value from one call
// site over and over (an error storm): after the first, capture-once and
// repeat counting skip it, so "json+logcrumbs" sends one event in all
// (events/op near 0) and is compared with the bare JSON handler's own error
// log. Deduplication is on, as by default.
func BenchmarkSlogRepeat(b *testing.B) {
	err := newError(0)
	for _, name := range []string{"json", "json+logcrumbs"} {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			h := jsonHandler(slog.LevelInfo)
			if name == "json+logcrumbs" {
				h = slogsentry.NewHandler(h, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}})
			}
			l := slog.New(h)
			ctx := logcrumbs.NewContext(context.Background())
			b.ReportAllocs()
			for b.Loop() {
				logSlogError(l, ctx, err)
			}
			reportEvents(b, tr)
		})
	}
}

// BenchmarkSlogRepeatParallel: BenchmarkSlogRepeat in an error storm of
// concurrent requests: each goroutine a request of its own that logs the
// same error over and over (after the first request's event, the others'
// first logs are deduplicated against it, and every log after is a repeat).
func BenchmarkSlogRepeatParallel(b *testing.B) {
	err := newError(0)
	for _, name := range []string{"json", "json+logcrumbs"} {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			h := jsonHandler(slog.LevelInfo)
			if name == "json+logcrumbs" {
				h = slogsentry.NewHandler(h, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}})
			}
			l := slog.New(h)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := logcrumbs.NewContext(context.Background())
				for pb.Next() {
					logSlogError(l, ctx, err)
				}
			})
			reportEvents(b, tr)
		})
	}
}

// BenchmarkRequestSetup: what a request pays before it logs: a new trail,
// and a trail with a cloned hub as the middleware gives it. "hub.Clone" is
// sentry-go's own share of a request (a bare clone of the hub), the floor
// the middleware row is compared with in the same run.
func BenchmarkRequestSetup(b *testing.B) {
	hub, _ := newHub(b)
	b.Run("hub.Clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = hub.Clone()
		}
	})
	b.Run("trail", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = logcrumbs.NewContext(context.Background())
		}
	})
	b.Run("trail+hub", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = sentry.SetHubOnContext(logcrumbs.NewContext(context.Background()), hub.Clone())
		}
	})
	// The whole of logcrumbs.Middleware around a handler that does nothing:
	// the trail, the cloned hub bound to it (its event processor), the
	// request on the scope, and the trail emptied at the end.
	b.Run("middleware", func(b *testing.B) {
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(
			http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		r := httptest.NewRequest("GET", "/orders/42", nil)
		var w discardResponse
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(&w, r)
		}
	})
}

// discardResponse is an http.ResponseWriter that keeps nothing.
type discardResponse struct{ header http.Header }

func (w *discardResponse) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}
func (*discardResponse) Write(b []byte) (int, error) { return len(b), nil }
func (*discardResponse) WriteHeader(int)             {}
