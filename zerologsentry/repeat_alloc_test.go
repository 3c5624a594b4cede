package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestRepeatAllocsAsBareLogger holds the error-storm promise (issue 20) for
// zerolog: a request that logs the same error over and over sends one
// event, and every later record, which capture-once skips (and counts as a
// repeat, and keeps as an error breadcrumb), allocates no more than zerolog
// alone allocates for the same call, with the hook and with the writer,
// with zerolog's own ErrorMarshalFunc (the error known by its text) and
// with zerologsentry.ErrorMarshalFunc (the real error value). It allocated
// 6 times either way: 3 closures and the stack they shared, a copy of every
// string member's text (2) for the look-up in the recent errors, and the
// TextError or the remembered value ErrorMarshalFunc made at each record;
// then 2 with text errors, a core.TextError and a copy of its text per
// record, until the text-only errors made lately were shared.
func TestRepeatAllocsAsBareLogger(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	err := fmt.Errorf("charge order 42: %w", errors.New("card declined by the issuing bank"))
	measure := func(l zerolog.Logger) float64 {
		logOnce := func() {
			l.Error().Err(err).Str("path", "/orders/42").Int("status", 502).Dur("took", 3*time.Millisecond).Msg("charge failed")
		}
		for range 2 * logcrumbs.DefaultCapacity {
			logOnce()
		}
		return testing.AllocsPerRun(1000, logOnce)
	}
	for _, real := range []bool{false, true} {
		for _, writer := range []bool{false, true} {
			name := map[bool]string{false: "hook", true: "writer"}[writer] + map[bool]string{false: "-text", true: "-ErrorMarshalFunc"}[real]
			t.Run(name, func(t *testing.T) {
				saved := zerolog.ErrorMarshalFunc
				t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
				zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
				bare := measure(zerolog.New(io.Discard))
				if real {
					zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
				}
				rec := logcrumbstest.New(t)
				ctx := rec.Context(context.Background())
				opts := zerologsentry.Options{Options: rec.Options()}
				l := boundLogger(ctx, opts, writer)
				got := measure(l)
				if n := len(rec.Events()); n != 1 {
					t.Fatalf("%d events sent, want 1: the records after the first are repeats", n)
				}
				t.Logf("a skipped repeat allocates %.1f times, zerolog alone %.1f", got, bare)
				if got > bare {
					t.Errorf("a skipped repeat allocates %.1f times, zerolog alone %.1f: want no more", got, bare)
				}
			})
		}
	}
}
