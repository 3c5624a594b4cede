package zerologsentry_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

func logInfo(l zerolog.Logger) {
	l.Info().Str("path", "/users/42").Int("status", 200).Dur("took", 3*time.Millisecond).
		Bool("cached", false).Str("note", "needs \"escaping\"\n").Msg("request served")
}

// TestBreadcrumbAllocatesNothing holds the hot-path promise for zerolog:
// with the hook on a request logger, an info record with typed fields
// (escaped text included) allocates nothing, as zerolog alone does not.
func TestBreadcrumbAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	_, log := zerologsentry.WithContext(context.Background(),
		zerolog.New(io.Discard).With().Str("svc", "api").Logger().Hook(zerologsentry.NewHook(zerologsentry.Options{})))
	for range 2 * logcrumbs.DefaultCapacity {
		logInfo(log)
	}
	if n := testing.AllocsPerRun(1000, func() { logInfo(log) }); n != 0 {
		t.Errorf("a breadcrumb allocates %.1f times per record, want 0", n)
	}
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

// TestWriterBreadcrumbAllocatesNothing: the same through a bound Writer,
// which finds the message among the encoded fields.
func TestWriterBreadcrumbAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	w := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{})
	_, log := w.WithContext(context.Background(), zerolog.New(w).With().Str("svc", "api").Logger())
	for range 2 * logcrumbs.DefaultCapacity {
		logInfo(log)
	}
	if n := testing.AllocsPerRun(1000, func() { logInfo(log) }); n != 0 {
		t.Errorf("a breadcrumb allocates %.1f times per record, want 0", n)
	}
}

func writerLogger(ctx context.Context) zerolog.Logger {
	w := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{})
	_, l := w.WithContext(ctx, zerolog.New(w))
	return l
}
