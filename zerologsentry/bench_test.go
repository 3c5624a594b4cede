package zerologsentry_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

func logInfo(l zerolog.Logger) {
	l.Info().Str("path", "/users/42").Int("status", 200).Dur("took", 3*time.Millisecond).
		Bool("cached", false).Str("note", "needs \"escaping\"\n").Msg("request served")
}

func BenchmarkBreadcrumb(b *testing.B) {
	ctx := logcrumbs.NewContext(context.Background())
	base := zerolog.New(io.Discard).With().Ctx(ctx).Logger()
	for _, tc := range []struct {
		name string
		l    zerolog.Logger
	}{
		{"zerolog", base},
		{"zerolog+hook", base.Hook(zerologsentry.NewHook(zerologsentry.Options{}))},
		{"zerolog+writer", writerLogger(ctx)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				logInfo(tc.l)
			}
		})
	}
}

func writerLogger(ctx context.Context) zerolog.Logger {
	w := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{})
	_, l := w.WithContext(ctx, zerolog.New(w))
	return l
}

// BenchmarkTrailBreadcrumbs: converting a full trail of 100 hook
// breadcrumbs, whose fields are kept as zerolog encoded them and parsed
// only now (Trail.Snapshot expands them; an event's Trail.Copy does
// alike), then converted: per breadcrumb, the parse and the conversion.
func BenchmarkTrailBreadcrumbs(b *testing.B) {
	ctx := logcrumbs.NewContext(context.Background())
	l := zerolog.New(io.Discard).With().Ctx(ctx).Logger().Hook(zerologsentry.NewHook(zerologsentry.Options{}))
	for range logcrumbs.DefaultCapacity {
		logInfo(l)
	}
	trail := logcrumbs.FromContext(ctx)
	b.ReportAllocs()
	for b.Loop() {
		if n := len(trail.Breadcrumbs()); n != logcrumbs.DefaultCapacity {
			b.Fatalf("%d breadcrumbs", n)
		}
	}
}
