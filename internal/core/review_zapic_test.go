package core_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
)

// TestParsedBreadcrumbKeepsPreset (review of perf-zapic): a core with a
// Parser given a preset keeps the preset's attributes first, before the
// record's own, as a core without a Parser builds them, whether the
// encoder only copies (Copies) or not, in a ring refilled in place. Log's
// in-place fill for a Parser (keepRaw) no longer appends a preset: it
// must leave every record with a preset to the built path.
func TestParsedBreadcrumbKeepsPreset(t *testing.T) {
	opts := logcrumbs.Options{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 8, MaxValueBytes: 40}}
	plain := core.New(opts, "test", 0)
	parsing := core.New(opts, "test", 0).WithParser(parsePairs)
	render := func(r *core.Record, _ *[]error) {
		r.AddText(core.KindString, "svc", "shop")
		r.OpenGroup("req")
		r.AddScalar(core.KindInt64, "id", 7)
	}
	for _, copies := range []bool{false, true} {
		built, parsed := logcrumbs.NewTrail(8), logcrumbs.NewTrail(8)
		base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for i := range 20 { // 2.5 rings: the last records are filled in place
			ent := core.Entry{Time: base.Add(time.Duration(i) * time.Millisecond), Level: core.LevelOf(i%8, 0, 4, 8, 12), Message: fmt.Sprint("m", i)}
			raw := []byte(fmt.Sprintf("path=/p%d,user=u%d", i, i))
			enc := core.Encoder{Raw: raw, Copies: copies, Fields: func(r *core.Record, _ *[]error) { parsePairs(r, raw) }}
			plain.Log(logcrumbs.ContextWithTrail(context.Background(), built), core.Breadcrumb, &ent, plain.With(nil, render), &core.Encoder{Fields: enc.Fields})
			parsing.Log(logcrumbs.ContextWithTrail(context.Background(), parsed), core.Breadcrumb, &ent, parsing.With(nil, render), &enc)
			got, want := parsed.Breadcrumbs(), built.Breadcrumbs()
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("copies %v, record %d: with a Parser\n%+v\nwithout\n%+v", copies, i, got, want)
			}
			if g, _ := got[len(got)-1].Data["req"].(map[string]any); g["id"] != int64(7) || got[len(got)-1].Data["svc"] != "shop" {
				t.Fatalf("copies %v, record %d: the preset's attributes are missing: %+v", copies, i, got[len(got)-1].Data)
			}
		}
	}
}
