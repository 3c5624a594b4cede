package zerologsentry_test

import (
	"context"
	"encoding/json"
	"io"
	"math/big"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestIntegersPastUint64: an integer zerolog writes past uint64 (a
// big.Int, RawJSON) reaches a breadcrumb's Data and an event's log context
// with every digit, as zerolog wrote it, not rounded to a float64
// (1.2345678901234568e+29), through both the Hook and the Writer.
func TestIntegersPastUint64(t *testing.T) {
	n, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	for _, writer := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}}
		var l zerolog.Logger
		if writer {
			l = zerolog.New(zerologsentry.NewWriter(io.Discard, opts))
		} else {
			l = zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts))
		}
		ctx := rec.Context(context.Background())
		l.Info().Ctx(ctx).Interface("n", n).RawJSON("raw", []byte("123456789012345678901234567890")).Msg("crumb")
		l.Error().Ctx(ctx).Interface("n", n).Msg("failed")
		ev := rec.OnlyEvent()
		// The last breadcrumb of this record: a Writer sees no context,
		// and its records go to the process's fallback trail, which holds
		// other tests' records too.
		var data map[string]any
		for _, b := range ev.Breadcrumbs() {
			if b.Message == "crumb" {
				data = b.Data
			}
		}
		crumb, _ := json.Marshal(data)
		logCtx, _ := json.Marshal(ev.LogContext()["n"])
		if want := `{"n":-123456789012345678901234567890,"raw":123456789012345678901234567890}`; string(crumb) != want {
			t.Errorf("writer %v: breadcrumb data %s, want %s", writer, crumb, want)
		}
		if want := `-123456789012345678901234567890`; string(logCtx) != want {
			t.Errorf("writer %v: log context n %s, want %s", writer, logCtx, want)
		}
	}
}
