package legacy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/TheZeroSlave/zapsentry"
	"github.com/getsentry/sentry-go"
	sentryzerolog "github.com/getsentry/sentry-go/zerolog"
	"github.com/rs/zerolog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// countingTransport and the record logged are the main bench module's.
type countingTransport struct{ n, crumbs atomic.Int64 }

func (t *countingTransport) Configure(sentry.ClientOptions) {}
func (t *countingTransport) SendEvent(e *sentry.Event) {
	t.n.Add(1)
	t.crumbs.Add(int64(len(e.Breadcrumbs)))
}
func (t *countingTransport) Flush(time.Duration) bool              { return true }
func (t *countingTransport) FlushWithContext(context.Context) bool { return true }
func (t *countingTransport) Close()                                {}

// newClient returns a client sending to a new counting transport; a hub's
// scope keeps at most maxBreadcrumbs (0: sentry-go's default, 100).
func newClient(b *testing.B, maxBreadcrumbs int) (*sentry.Client, *countingTransport) {
	tr := new(countingTransport)
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr, MaxBreadcrumbs: maxBreadcrumbs})
	if err != nil {
		b.Fatal(err)
	}
	return client, tr
}

func reportEvents(b *testing.B, tr *countingTransport) {
	n := tr.n.Load()
	b.ReportMetric(float64(n)/float64(b.N), "events/op")
	if n > 0 {
		b.ReportMetric(float64(tr.crumbs.Load())/float64(n), "crumbs/event")
	}
}

const (
	msg    = "request served"
	path   = "/users/42"
	status = 200
	took   = 3 * time.Millisecond
	cached = false
)

var errBase = errors.New("connection refused")

func newError(i int) error { return fmt.Errorf("charge order %d: %w", i, errBase) }

// zapsentryLogger tees TheZeroSlave/zapsentry beside zap's JSON core, with
// breadcrumbs at Info (into a scope of the logger's own, as its README
// advises per request) or without.
func zapsentryLogger(b *testing.B, breadcrumbs bool) (*zap.Logger, *countingTransport) {
	client, tr := newClient(b, 0)
	core, err := zapsentry.NewCore(zapsentry.Configuration{
		Level:             zapcore.ErrorLevel,
		EnableBreadcrumbs: breadcrumbs,
		BreadcrumbLevel:   zapcore.InfoLevel,
	}, zapsentry.NewSentryClientFromClient(client))
	if err != nil {
		b.Fatal(err)
	}
	json := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.InfoLevel)
	return zapsentry.AttachCoreToLogger(core, zap.New(json)).With(zapsentry.NewScope()), tr
}

func logZapInfo(l *zap.Logger) {
	l.Info(msg, zap.String("path", path), zap.Int("status", status), zap.Duration("took", took), zap.Bool("cached", cached))
}

func BenchmarkZapBreadcrumb(b *testing.B) {
	b.Run("json+zapsentry", func(b *testing.B) {
		l, _ := zapsentryLogger(b, true)
		b.ReportAllocs()
		for b.Loop() {
			logZapInfo(l)
		}
	})
}

func BenchmarkZapBreadcrumbParallel(b *testing.B) {
	b.Run("json+zapsentry", func(b *testing.B) {
		l, _ := zapsentryLogger(b, true)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			l := l.With(zapsentry.NewScope())
			for pb.Next() {
				logZapInfo(l)
			}
		})
	})
}

// BenchmarkZapEvent: zapsentry's error path without breadcrumbs, its
// cheapest: the "no trail at all" logcrumbs is compared against; and with
// 100 breadcrumbs, its default and most (the error entry is a breadcrumb
// too, so the scope stays at 100 once filled).
func BenchmarkZapEvent(b *testing.B) {
	run := func(b *testing.B, l *zap.Logger, tr *countingTransport) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			l.Error("charge failed", zap.Error(newError(i)), zap.String("path", path), zap.Int("status", status), zap.Duration("took", took))
			i++
		}
		reportEvents(b, tr)
	}
	b.Run("json+zapsentry-notrail", func(b *testing.B) {
		l, tr := zapsentryLogger(b, false)
		run(b, l, tr)
	})
	b.Run("json+zapsentry-trail100", func(b *testing.B) {
		l, tr := zapsentryLogger(b, true)
		for range 100 {
			logZapInfo(l)
		}
		run(b, l, tr)
	})
}

// sentryZerolog returns a zerolog logger writing to io.Discard and to
// sentry-go's zerolog writer, with breadcrumbs (on the hub's scope, at most
// maxBreadcrumbs, 0 for sentry-go's default) or not.
func sentryZerolog(b *testing.B, breadcrumbs bool, maxBreadcrumbs int) (zerolog.Logger, *countingTransport) {
	client, tr := newClient(b, maxBreadcrumbs)
	w, err := sentryzerolog.NewWithHub(sentry.NewHub(client, sentry.NewScope()), sentryzerolog.Options{WithBreadcrumbs: breadcrumbs})
	if err != nil {
		b.Fatal(err)
	}
	return zerolog.New(zerolog.MultiLevelWriter(io.Discard, w)), tr
}

func logZerologInfo(l zerolog.Logger) {
	l.Info().Str("path", path).Int("status", status).Dur("took", took).Bool("cached", cached).Msg(msg)
}

func BenchmarkZerologBreadcrumb(b *testing.B) {
	b.Run("sentry-go-zerolog", func(b *testing.B) {
		l, _ := sentryZerolog(b, true, 0)
		b.ReportAllocs()
		for b.Loop() {
			logZerologInfo(l)
		}
	})
}

func BenchmarkZerologBreadcrumbParallel(b *testing.B) {
	b.Run("sentry-go-zerolog", func(b *testing.B) {
		l, _ := sentryZerolog(b, true, 0)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				logZerologInfo(l)
			}
		})
	})
}

// BenchmarkZerologEvent: sentry-go/zerolog's error path without
// breadcrumbs, and with 20 (its scope kept at 20; error records are not
// breadcrumbs there, so every event carries the same 20).
func BenchmarkZerologEvent(b *testing.B) {
	run := func(b *testing.B, l zerolog.Logger, tr *countingTransport) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			l.Error().Err(newError(i)).Str("path", path).Int("status", status).Dur("took", took).Msg("charge failed")
			i++
		}
		reportEvents(b, tr)
	}
	b.Run("sentry-go-zerolog-notrail", func(b *testing.B) {
		l, tr := sentryZerolog(b, false, 0)
		run(b, l, tr)
	})
	b.Run("sentry-go-zerolog-trail20", func(b *testing.B) {
		l, tr := sentryZerolog(b, true, 20)
		for range 20 {
			logZerologInfo(l)
		}
		run(b, l, tr)
	})
}
