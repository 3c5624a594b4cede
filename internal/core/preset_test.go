package core_test

import (
	"context"
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
			Time: base.Add(time.Duration(i) * time.Millisecond), Level: core.LevelOf(i%8, 0, 4, 8, 12),
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
