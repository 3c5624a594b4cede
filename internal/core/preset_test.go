package core_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
)

// TestCopiesFillsTheSameBreadcrumb: a breadcrumb whose encoder only copies
// (Encoder.Copies), filled in its trail under the lock and, once the ring
// is full, in the storage of the record it drops, is the breadcrumb Log
// builds from the pool: the same time, level, logger, message, call site,
// attributes, groups closed, cuts and drops, record after record; with no
// preset, and with a preset whose attributes come first and whose group
// stays open around the record's own.
func TestCopiesFillsTheSameBreadcrumb(t *testing.T) {
	c := core.New(logcrumbs.Options{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 6, MaxValueBytes: 40}}, "test", 0)
	presets := []*core.Preset{nil, c.With(nil, func(r *core.Record, _ *[]error) {
		r.AddText(core.KindString, "svc", "shop")
		r.OpenGroup("req")
		r.AddScalar(core.KindInt64, "id", 7)
	})}
	for _, preset := range presets {
		testCopiesFill(t, c, preset)
	}
}

func testCopiesFill(t *testing.T, c *core.Core, preset *core.Preset) {
	built := logcrumbs.NewTrail(8)
	filled := logcrumbs.NewTrail(8)
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range 20 { // 2.5 rings: the last records are filled in place
		ent := core.Entry{
			Time: base.Add(time.Duration(i) * time.Millisecond), Level: core.LevelOf(i%8, -4, 0, 4, 8, 12),
			PC: uintptr(i), Logger: strings.Repeat("n", i%3), Message: strings.Repeat("m", 3*i),
		}
		enc := core.Encoder{Fields: func(rec *core.Record, _ *[]error) {
			rec.AddText(core.KindString, "path", strings.Repeat("p", 5*i))
			rec.OpenGroup("g")
			for j := range i % 9 {
				rec.AddScalar(core.KindInt64, "n", uint64(j))
			}
		}}
		c.Log(logcrumbs.ContextWithTrail(context.Background(), built), core.Breadcrumb, &ent, preset, &enc)
		enc.Copies = true
		c.Log(logcrumbs.ContextWithTrail(context.Background(), filled), core.Breadcrumb, &ent, preset, &enc)
		if got, want := filled.Breadcrumbs(), built.Breadcrumbs(); !reflect.DeepEqual(got, want) {
			t.Fatalf("preset %v, record %d: filled in the trail\n%+v\nbuilt\n%+v", preset != nil, i, got, want)
		}
	}
}

// TestParsedBreadcrumbKeepsPreset (since perf-zapic): a core with a
// Parser given a preset keeps the preset's attributes first, before the
// record's own, as a core without a Parser builds them, whether the
// encoder only copies (Copies) or not, in a ring refilled in place. The
// in-place fill of raw fields (KeepEncoded) appends no preset: Log builds
// every such record with a preset.
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
			ent := core.Entry{Time: base.Add(time.Duration(i) * time.Millisecond), Level: core.LevelOf(i%8, -4, 0, 4, 8, 12), Message: fmt.Sprint("m", i)}
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
