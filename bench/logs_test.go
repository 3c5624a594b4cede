package bench

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/getsentry/sentry-go"
	sentryslog "github.com/getsentry/sentry-go/slog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// newLogsHub returns a hub whose client (Sentry Logs are always on in
// sentry-go v0.50) counts, in
// BeforeSendLog, the logs it is handed: a row that sent none would look
// fast, so every Logs row reports logs/op. (Batches then go to a counting
// transport; sentry-go's batch processor may drop logs past its buffer, as
// it would in production, the same for every row.)
func newLogsHub(b *testing.B) (*sentry.Hub, *atomic.Int64) {
	b.Helper()
	n := new(atomic.Int64)
	client, err := sentry.NewClient(sentry.ClientOptions{
		Transport: new(countingTransport),
		BeforeSendLog: func(l *sentry.Log) *sentry.Log {
			n.Add(1)
			return l
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	return sentry.NewHub(client, sentry.NewScope()), n
}

// slogLogsCases: the same info records sent to Sentry Logs by logcrumbs
// (its Logs level at Info; each record also kept in the request's trail)
// and by sentry-go's own slog handler (its default: every level to Logs).
func slogLogsCases(b *testing.B) []struct {
	name string
	h    slog.Handler
	n    *atomic.Int64
} {
	hub, n := newLogsHub(b)
	hub2, n2 := newLogsHub(b)
	return []struct {
		name string
		h    slog.Handler
		n    *atomic.Int64
	}{
		{"logcrumbs-logs", slogsentry.NewHandler(nil, slogsentry.Options{
			Options:   logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe},
			LogsLevel: slog.LevelInfo,
		}), n},
		{"sentry-go-slog", sentryslog.Option{}.NewSentryHandler(sentry.SetHubOnContext(context.Background(), hub2)), n2},
	}
}

func reportLogs(b *testing.B, n *atomic.Int64) {
	b.ReportMetric(float64(n.Load())/float64(b.N), "logs/op")
}

// BenchmarkSlogLogs: an info record with 4 attributes, into one request's
// context, sent to Sentry Logs.
func BenchmarkSlogLogs(b *testing.B) {
	for _, c := range slogLogsCases(b) {
		b.Run(c.name, func(b *testing.B) {
			l := slog.New(c.h)
			ctx := logcrumbs.NewContext(context.Background())
			warm(func() { logSlogInfo(l, ctx) })
			c.n.Store(0)
			b.ReportAllocs()
			for b.Loop() {
				logSlogInfo(l, ctx)
			}
			reportLogs(b, c.n)
		})
	}
}

// BenchmarkSlogLogsParallel: the same from all Ps, each goroutine a
// request of its own.
func BenchmarkSlogLogsParallel(b *testing.B) {
	for _, c := range slogLogsCases(b) {
		b.Run(c.name, func(b *testing.B) {
			l := slog.New(c.h)
			c.n.Store(0)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := logcrumbs.NewContext(context.Background())
				for pb.Next() {
					logSlogInfo(l, ctx)
				}
			})
			reportLogs(b, c.n)
		})
	}
}

// BenchmarkZapLogs: zapsentry with its Logs level at Info, for the records
// of BenchmarkZapBreadcrumb (sentry-go has no zap integration at v0.50: the
// slog rows are the comparison).
func BenchmarkZapLogs(b *testing.B) {
	hub, n := newLogsHub(b)
	opts := zapOpts(hub)
	opts.LogsLevel = zapcore.InfoLevel
	core := zapsentry.NewCore(opts)
	b.Run("logcrumbs-logs", func(b *testing.B) {
		l := zap.New(core).With(zapsentry.Context(logcrumbs.NewContext(context.Background())))
		warm(func() { logZapInfo(l) })
		n.Store(0)
		b.ReportAllocs()
		for b.Loop() {
			logZapInfo(l)
		}
		reportLogs(b, n)
	})
	b.Run("logcrumbs-logs-parallel", func(b *testing.B) {
		base := zap.New(core)
		n.Store(0)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			_, l := zapsentry.WithContext(context.Background(), base)
			for pb.Next() {
				logZapInfo(l)
			}
		})
		reportLogs(b, n)
	})
}
