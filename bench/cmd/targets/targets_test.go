package main

import (
	"fmt"
	"strings"
	"testing"
)

// bench is one benchmark's figures in one round, as go test prints them.
type bench struct {
	name   string // without "Benchmark" and the -GOMAXPROCS suffix
	ns     float64
	allocs float64
}

// rawOutput renders rounds of benchmarks as `go test -bench -benchmem`
// prints them (both modules, as bench/run concatenates them).
func rawOutput(rounds ...[]bench) string {
	var sb strings.Builder
	for _, round := range rounds {
		sb.WriteString("goos: linux\ngoarch: amd64\npkg: github.com/logcrumbs/logcrumbs/bench\ncpu: Intel(R) Xeon(R) Processor\n")
		for _, b := range round {
			fmt.Fprintf(&sb, "Benchmark%s-2         \t  100000\t      %g ns/op\t     128 B/op\t       %g allocs/op\n", b.name, b.ns, b.allocs)
		}
		sb.WriteString("PASS\nok  \tgithub.com/logcrumbs/logcrumbs/bench\t12.345s\n")
	}
	return sb.String()
}

// row is one rendered row of the targets table.
type row struct{ what, measured, wanted, verdict string }

func rows(out string) []row {
	var rs []row
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| target |") {
			continue
		}
		cols := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|"), "|")
		for len(cols) < 4 {
			cols = append(cols, "")
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		rs = append(rs, row{cols[0], cols[1], cols[2], cols[3]})
	}
	return rs
}

// want is a row expected in the table: the row named what whose measured
// column mentions unit (a target's name is shared by its ns/op and
// allocs/op rows), or, with unit empty, the only row named what; a row
// not measured names no unit, so every row named what must read so.
type want struct {
	what, unit                string
	measured, wanted, verdict string
}

func TestRender(t *testing.T) {
	const notMeasured = "not measured"
	cases := []struct {
		name   string
		rounds [][]bench
		want   []want
		missed int
	}{{
		name: "a target met and one missed, from the medians of two rounds",
		rounds: [][]bench{
			{{"ZerologBreadcrumb/discard", 100, 0}, {"ZerologBreadcrumb/hook", 150, 0}, {"ZerologBreadcrumb/writer", 170, 0}},
			{{"ZerologBreadcrumb/discard", 110, 0}, {"ZerologBreadcrumb/hook", 170, 0}, {"ZerologBreadcrumb/writer", 170, 0}},
		},
		want: []want{
			{what: "zerolog + hook vs zerolog", measured: "1.52x (160 / 105 ns/op)", wanted: "≤ 1.50x", verdict: "**missed**"},
			{what: "zerolog + writer vs zerolog", measured: "1.62x (170 / 105 ns/op)", wanted: "≤ 1.80x", verdict: "met"},
			{what: "0 allocs: ZerologBreadcrumb/hook", measured: "0 allocs/op", wanted: "≤ 0", verdict: "met"},
		},
		missed: 1,
	}, {
		name: "a row not measured is neither a ratio nor a miss",
		rounds: [][]bench{
			{{"ZerologBreadcrumb/hook", 150, 0}, {"ZerologBreadcrumb/writer", 170, 0}},
			{{"ZerologBreadcrumb/hook", 170, 0}, {"ZerologBreadcrumb/writer", 170, 0}},
		},
		want: []want{
			{what: "zerolog + hook vs zerolog", measured: "not measured (BenchmarkZerologBreadcrumb/hook, BenchmarkZerologBreadcrumb/discard)"},
			{what: "zerolog + writer vs zerolog", measured: "not measured (BenchmarkZerologBreadcrumb/writer, BenchmarkZerologBreadcrumb/discard)"},
			{what: "per breadcrumb converted: SlogEvent/json+logcrumbs", measured: "not measured (BenchmarkSlogEvent/json+logcrumbs-trail100, BenchmarkSlogEvent/json+logcrumbs-trail20)"},
			{what: "middleware vs hub.Clone: allocs ≤ clone's + 4", measured: "not measured (BenchmarkRequestSetup/hub.Clone)"},
		},
	}, {
		name: "allocation targets",
		rounds: [][]bench{
			{{"SlogBreadcrumb/logcrumbs", 300, 0}, {"ZapBreadcrumb/json", 500, 1}, {"ZapBreadcrumb/json+logcrumbs", 600, 2},
				{"RequestSetup/hub.Clone", 1000, 11}, {"RequestSetup/middleware", 2000, 15},
				{"ZerologRepeat/discard", 200, 0}, {"ZerologRepeat/hook", 300, 1}},
			{{"SlogBreadcrumb/logcrumbs", 300, 0}, {"ZapBreadcrumb/json", 500, 1}, {"ZapBreadcrumb/json+logcrumbs", 600, 2},
				{"RequestSetup/hub.Clone", 1000, 11}, {"RequestSetup/middleware", 2000, 15},
				{"ZerologRepeat/discard", 200, 0}, {"ZerologRepeat/hook", 300, 1}},
		},
		want: []want{
			{what: "0 allocs: SlogBreadcrumb/logcrumbs", measured: "0 allocs/op", wanted: "≤ 0", verdict: "met"},
			{what: "no allocation added: ZapBreadcrumb/json+logcrumbs", measured: "2 allocs/op", wanted: "≤ 1", verdict: "**missed**"},
			{what: "middleware vs hub.Clone: allocs ≤ clone's + 4", measured: "15 allocs/op", wanted: "≤ 15", verdict: "met"},
			{what: "repeated error skipped, no allocation added: ZerologRepeat/hook", measured: "1 allocs/op", wanted: "≤ 0", verdict: "**missed**"},
		},
		missed: 2,
	}, {
		name: "an allocation target whose bare row is not measured",
		rounds: [][]bench{
			{{"ZapBreadcrumb/json+logcrumbs", 600, 1}, {"ZerologRepeat/hook", 300, 0}},
			{{"ZapBreadcrumb/json+logcrumbs", 600, 1}, {"ZerologRepeat/hook", 300, 0}},
		},
		want: []want{
			{what: "no allocation added: ZapBreadcrumb/json+logcrumbs", measured: "not measured (BenchmarkZapBreadcrumb/json+logcrumbs, BenchmarkZapBreadcrumb/json)"},
			{what: "repeated error skipped, no allocation added: ZerologRepeat/hook", measured: "not measured (BenchmarkZerologRepeat/hook, BenchmarkZerologRepeat/discard)"},
		},
	}, {
		name: "what a bridge adds against what logcrumbs adds",
		rounds: [][]bench{
			{{"ZapBreadcrumb/json", 500, 1}, {"ZapBreadcrumb/json+logcrumbs", 600, 1}, {"ZapBreadcrumb/json+zapsentry", 1200, 10},
				{"ZerologBreadcrumb/discard", 100, 0}, {"ZerologBreadcrumb/hook", 150, 0}, {"ZerologBreadcrumb/sentry-go-zerolog", 1100, 18}},
		},
		want: []want{
			{what: "zapsentry breadcrumb vs zap JSON + logcrumbs", measured: "2.00x (1200 / 600 ns/op)", wanted: "≥ 10.00x", verdict: "**missed**"},
			{what: "for scale: what zapsentry adds to zap JSON vs what logcrumbs adds", measured: "7.00x ((1200 - 500) / (600 - 500) ns/op)", wanted: "(no target)"},
			{what: "sentry-go/zerolog breadcrumb vs zerolog + hook", measured: "7.33x (1100 / 150 ns/op)", wanted: "≥ 10.00x", verdict: "**missed**"},
			{what: "for scale: what sentry-go/zerolog adds to zerolog vs what the hook adds", measured: "20.00x ((1100 - 100) / (150 - 100) ns/op)", wanted: "(no target)"},
		},
		missed: 2, // the zerolog hook's 1.50x is met
	}, {
		// Every figure differs, so that a formula reading a row its name
		// does not say gives another number.
		name: "each event target reads the rows its name says",
		rounds: [][]bench{
			{{"SlogEvent/json+logcrumbs-empty", 5000, 37}, {"SlogEvent/json+logcrumbs-trail20", 10000, 80}, {"SlogEvent/json+logcrumbs-trail100", 34000, 240},
				{"SlogEvent/samber-default", 10000, 55}, {"SlogEvent/samber-default-trail20", 11000, 56}, {"SlogEvent/samber-default-trail100", 12000, 57},
				{"ZapEvent/json+zapsentry-notrail", 16000, 99}, {"ZapEvent/json+zapsentry-trail100", 17000, 101}},
		},
		want: []want{
			{what: "event, no breadcrumbs, vs samber's event: SlogEvent/json+logcrumbs-empty", unit: "ns/op", measured: "0.50x (5000 / 1e+04 ns/op)", wanted: "≤ 1.00x", verdict: "met"},
			{what: "event, no breadcrumbs, vs samber's event: SlogEvent/json+logcrumbs-empty", unit: "allocs/op", measured: "0.67x (37 / 55 allocs/op)", wanted: "≤ 1.00x", verdict: "met"},
			{what: "event, 20 breadcrumbs, vs samber's with 20: SlogEvent/json+logcrumbs-trail20", unit: "ns/op", measured: "0.91x (1e+04 / 1.1e+04 ns/op)", wanted: "≤ 1.00x", verdict: "met"},
			{what: "event, 20 breadcrumbs, vs samber's with 20: SlogEvent/json+logcrumbs-trail20", unit: "allocs/op", measured: "1.43x (80 / 56 allocs/op)", wanted: "≤ 1.00x", verdict: "**missed**"},
			{what: "event, 100 breadcrumbs, vs zapsentry's with 100: SlogEvent/json+logcrumbs-trail100", unit: "ns/op", measured: "2.00x (3.4e+04 / 1.7e+04 ns/op)", wanted: "≤ 1.00x", verdict: "**missed**"},
			{what: "event, 100 breadcrumbs, vs zapsentry's with 100: SlogEvent/json+logcrumbs-trail100", unit: "allocs/op", measured: "2.38x (240 / 101 allocs/op)", wanted: "≤ 1.00x", verdict: "**missed**"},
			// (trail100 - trail20) / 80, not from -empty: (34000 - 10000) / 80.
			{what: "per breadcrumb converted: SlogEvent/json+logcrumbs", unit: "ns/op", measured: "300 ns/op ((3.4e+04 - 1e+04) / 80)", wanted: "≤ 400", verdict: "met"},
			{what: "per breadcrumb converted: SlogEvent/json+logcrumbs", unit: "allocs/op", measured: "2 allocs/op ((240 - 80) / 80)", wanted: "≤ 3", verdict: "met"},
		},
		missed: 3,
	}, {
		name: "repeats against the bare error log, and parallel scaling as serial over parallel time",
		rounds: [][]bench{
			{{"ZerologRepeat/discard", 190, 0}, {"ZerologRepeat/hook", 420, 0}, {"ZerologRepeatParallel/discard", 100, 0}, {"ZerologRepeatParallel/hook", 250, 0},
				{"SlogRepeat/json", 1000, 0}, {"SlogRepeat/json+logcrumbs", 1500, 0},
				{"SlogBreadcrumb/json+logcrumbs", 800, 0}, {"SlogBreadcrumbParallel/json+logcrumbs", 400, 0},
				{"ZapBreadcrumb/json+logcrumbs", 600, 1}, {"ZapBreadcrumbParallel/json+logcrumbs", 500, 1}},
			{{"ZerologRepeat/discard", 210, 0}, {"ZerologRepeat/hook", 420, 0}, {"ZerologRepeatParallel/discard", 100, 0}, {"ZerologRepeatParallel/hook", 250, 0},
				{"SlogRepeat/json", 1000, 0}, {"SlogRepeat/json+logcrumbs", 1500, 0},
				{"SlogBreadcrumb/json+logcrumbs", 800, 0}, {"SlogBreadcrumbParallel/json+logcrumbs", 400, 0},
				{"ZapBreadcrumb/json+logcrumbs", 600, 1}, {"ZapBreadcrumbParallel/json+logcrumbs", 500, 1}},
		},
		want: []want{
			{what: "repeated error skipped vs the bare error log: ZerologRepeat/hook", measured: "2.10x (420 / 200 ns/op)", wanted: "≤ 2.00x", verdict: "**missed**"},
			{what: "repeated error skipped, concurrent requests, vs the bare error log: ZerologRepeatParallel/hook", measured: "2.50x (250 / 100 ns/op)", wanted: "≤ 2.00x", verdict: "**missed**"},
			{what: "repeated error skipped vs the bare error log: SlogRepeat/json+logcrumbs", measured: "1.50x (1500 / 1000 ns/op)", wanted: "≤ 2.00x", verdict: "met"},
			{what: "parallel throughput vs serial: Slog/json+logcrumbs", measured: "2.00x (800 / 400 ns/op)", wanted: "≥ 1.60x", verdict: "met"},
			{what: "parallel throughput vs serial: Zap/json+logcrumbs", measured: "1.20x (600 / 500 ns/op)", wanted: "≥ 1.60x", verdict: "**missed**"},
		},
		missed: 3, // not ZapBreadcrumb/json+logcrumbs' allocation, whose bare row is missing
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := read(strings.NewReader(rawOutput(tc.rounds...)))
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			missed := render(&out, r)
			rs := rows(out.String())
			for _, w := range tc.want {
				var found []row
				for _, r := range rs {
					if r.what == w.what && (w.unit == "" || strings.Contains(r.measured, w.unit) || strings.HasPrefix(r.measured, notMeasured)) {
						found = append(found, r)
					}
				}
				if len(found) == 0 || len(found) > 1 && !strings.HasPrefix(w.measured, notMeasured) {
					t.Errorf("%d rows %q (unit %q), want 1:\n%s", len(found), w.what, w.unit, out.String())
					continue
				}
				for _, got := range found {
					if got.measured != w.measured || got.wanted != w.wanted || got.verdict != w.verdict {
						t.Errorf("row %q:\n got  | %s | %s | %s |\n want | %s | %s | %s |", w.what, got.measured, got.wanted, got.verdict, w.measured, w.wanted, w.verdict)
					}
				}
			}
			if missed != tc.missed {
				t.Errorf("render counted %d targets missed, want %d:\n%s", missed, tc.missed, out.String())
			}
			for _, r := range rs {
				if strings.HasPrefix(r.measured, notMeasured) && (r.wanted != "" || r.verdict != "") {
					t.Errorf("row %q is not measured, yet reads %q %q", r.what, r.wanted, r.verdict)
				}
			}
			if n := strings.Count(out.String(), "**missed**"); n != missed {
				t.Errorf("%d rows in bold, render counted %d missed", n, missed)
			}
			if !strings.HasSuffix(out.String(), fmt.Sprintf("\n%d target(s) missed.\n", tc.missed)) {
				t.Errorf("the table does not end with the count of targets missed:\n%s", out.String())
			}
		})
	}
}
