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
type countingTransport struct{ n atomic.Int64 }

func (t *countingTransport) Configure(sentry.ClientOptions)        {}
func (t *countingTransport) SendEvent(*sentry.Event)               { t.n.Add(1) }
func (t *countingTransport) Flush(time.Duration) bool              { return true }
func (t *countingTransport) FlushWithContext(context.Context) bool { return true }
func (t *countingTransport) Close()                                {}

func newClient(b *testing.B) (*sentry.Client, *countingTransport) {
	tr := new(countingTransport)
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
	if err != nil {
		b.Fatal(err)
	}
	return client, tr
}

func reportEvents(b *testing.B, tr *countingTransport) {
	b.ReportMetric(float64(tr.n.Load())/float64(b.N), "events/op")
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
	client, tr := newClient(b)
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
// cheapest: the "no trail at all" logcrumbs is compared against.
func BenchmarkZapEvent(b *testing.B) {
	b.Run("json+zapsentry-notrail", func(b *testing.B) {
		l, tr := zapsentryLogger(b, false)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			l.Error("charge failed", zap.Error(newError(i)), zap.String("path", path), zap.Int("status", status), zap.Duration("took", took))
			i++
		}
		reportEvents(b, tr)
	})
}

// sentryZerolog returns a zerolog logger writing to io.Discard and to
// sentry-go's zerolog writer, with breadcrumbs (on the hub's scope) or not.
func sentryZerolog(b *testing.B, breadcrumbs bool) (zerolog.Logger, *countingTransport) {
	client, tr := newClient(b)
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
		l, _ := sentryZerolog(b, true)
		b.ReportAllocs()
		for b.Loop() {
			logZerologInfo(l)
		}
	})
}

func BenchmarkZerologBreadcrumbParallel(b *testing.B) {
	b.Run("sentry-go-zerolog", func(b *testing.B) {
		l, _ := sentryZerolog(b, true)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				logZerologInfo(l)
			}
		})
	})
}

func BenchmarkZerologEvent(b *testing.B) {
	b.Run("sentry-go-zerolog-notrail", func(b *testing.B) {
		l, tr := sentryZerolog(b, false)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			l.Error().Err(newError(i)).Str("path", path).Int("status", status).Dur("took", took).Msg("charge failed")
			i++
		}
		reportEvents(b, tr)
	})
}
