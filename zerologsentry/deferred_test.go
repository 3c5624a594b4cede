package zerologsentry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestBreadcrumbsAsLogged: the hook and the writer keep a breadcrumb's fields
// encoded and parse them when an event is sent. The breadcrumbs show each
// record's fields as logged, although zerolog reuses its buffer for the
// next record, with the byte string the program logged changed since; and
// a record too long for the breadcrumb's byte bound is parsed at once, so
// that what fits the per-value limits is kept either way.
func TestBreadcrumbsAsLogged(t *testing.T) {
	for _, writer := range []bool{false, true} {
		name := "hook"
		if writer {
			name = "writer"
		}
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			log := boundLogger(rec.Context(context.Background()), opts, writer)
			b := []byte("first")
			log.Info().Bytes("b", b).Int("n", 1).Msg("one")
			copy(b, "XXXXX")
			log.Info().Bytes("b", b).Int("n", 2).Msg("two")
			long := strings.Repeat("é", 1500) // 3000 bytes: a deferred record, its value cut when parsed
			log.Info().Str("long", long).Int("n", 3).Msg("deferred")
			huge := strings.Repeat("x", 5000) // over the byte bound: parsed at once
			log.Info().Str("huge", huge).Int("n", 4).Msg("parsed at once")
			log.Error().Msg("failed")

			bs := rec.OnlyEvent().Breadcrumbs()
			if len(bs) != 4 {
				t.Fatalf("%d breadcrumbs, want 4", len(bs))
			}
			for i, want := range []map[string]any{
				{"b": "first", "n": int64(1)},
				{"b": "XXXXX", "n": int64(2)},
				{"long": strings.Repeat("é", 510) + "…", "n": int64(3)},
				{"huge": strings.Repeat("x", 1021) + "…", "n": int64(4)},
			} {
				for k, v := range want {
					if bs[i].Data[k] != v {
						t.Errorf("breadcrumb %d (%s): %s = %.40q…, want %.40q…", i, bs[i].Message, k, bs[i].Data[k], v)
					}
				}
			}
		})
	}
}
