// Command targets reads `go test -bench` output and prints, for each
// performance target of logcrumbs, the ratio measured and whether it is met.
// It takes the median of every repeated benchmark, as benchstat does.
//
//	go run ./cmd/targets results/raw.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// results maps a benchmark name (without the -GOMAXPROCS suffix) and a unit
// to the values measured.
type results map[string]map[string][]float64

var procs = regexp.MustCompile(`-\d+$`)

func parse(path string) (results, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f)
}

// read parses go test -bench output.
func read(in io.Reader) (results, error) {
	r := results{}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := procs.ReplaceAllString(fields[0], "")
		if r[name] == nil {
			r[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			r[name][fields[i+1]] = append(r[name][fields[i+1]], v)
		}
	}
	return r, sc.Err()
}

// median returns the median of name's unit, and whether it was measured.
func (r results) median(name, unit string) (float64, bool) {
	vs := slices.Clone(r[name][unit])
	if len(vs) == 0 {
		return 0, false
	}
	slices.Sort(vs)
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2, true
	}
	return vs[len(vs)/2], true
}

type checker struct {
	w      io.Writer
	r      results
	missed int
}

// ratio prints a/b for one unit against a target: at most max (or, with
// atLeast, at least max).
func (c *checker) ratio(what, a, b, unit string, max float64, atLeast bool) {
	va, okA := c.r.median(a, unit)
	vb, okB := c.r.median(b, unit)
	if !okA || !okB || vb == 0 {
		fmt.Fprintf(c.w, "| %s | not measured (%s, %s) | | |\n", what, a, b)
		return
	}
	got := va / vb
	met := got <= max
	target := fmt.Sprintf("≤ %.2fx", max)
	if atLeast {
		met = got >= max
		target = fmt.Sprintf("≥ %.2fx", max)
	}
	c.report(what, fmt.Sprintf("%.2fx (%.4g / %.4g %s)", got, va, vb, unit), target, met)
}

// info prints a/b with no target, to put a missed target in scale.
func (c *checker) info(what, a, b, unit string) {
	va, okA := c.r.median(a, unit)
	vb, okB := c.r.median(b, unit)
	if !okA || !okB || vb == 0 {
		return
	}
	fmt.Fprintf(c.w, "| %s | %.2fx (%.4g / %.4g %s) | (no target) | |\n", what, va/vb, va, vb, unit)
}

// added prints, with no target, how much more a bridge adds to a bare
// logger than logcrumbs does: (bridge - bare) / (ours - bare). Where the
// bare logger's own cost dominates both, this is the bridges' difference.
func (c *checker) added(what, bridge, ours, bare, unit string) {
	vb, okB := c.r.median(bridge, unit)
	vo, okO := c.r.median(ours, unit)
	v0, ok0 := c.r.median(bare, unit)
	if !okB || !okO || !ok0 || vo <= v0 {
		return
	}
	fmt.Fprintf(c.w, "| %s | %.2fx ((%.4g - %.4g) / (%.4g - %.4g) %s) | (no target) | |\n", what, (vb-v0)/(vo-v0), vb, v0, vo, v0, unit)
}

// per prints (a - b) / n for one unit against a maximum: what each of the n
// things a has and b has not costs (a breadcrumb converted, from an event
// with more breadcrumbs and one with fewer).
func (c *checker) per(what, a, b, unit string, n, max float64) {
	va, okA := c.r.median(a, unit)
	vb, okB := c.r.median(b, unit)
	if !okA || !okB {
		fmt.Fprintf(c.w, "| %s | not measured (%s, %s) | | |\n", what, a, b)
		return
	}
	got := (va - vb) / n
	c.report(what, fmt.Sprintf("%.4g %s ((%.4g - %.4g) / %g)", got, unit, va, vb, n), fmt.Sprintf("≤ %.4g", max), got <= max)
}

// value prints one median against a maximum.
func (c *checker) value(what, name, unit string, max float64) {
	v, ok := c.r.median(name, unit)
	if !ok {
		fmt.Fprintf(c.w, "| %s | not measured (%s) | | |\n", what, name)
		return
	}
	c.report(what, fmt.Sprintf("%.4g %s", v, unit), fmt.Sprintf("≤ %.4g", max), v <= max)
}

// noMore prints name's median against bare's: at most what the bare
// logger's own row measures (no allocation added). Without the bare row
// there is nothing to compare with: not measured, not a bound of 0.
func (c *checker) noMore(what, name, bare, unit string) {
	vb, ok := c.r.median(bare, unit)
	if !ok {
		fmt.Fprintf(c.w, "| %s | not measured (%s, %s) | | |\n", what, name, bare)
		return
	}
	c.value(what, name, unit, vb)
}

func (c *checker) report(what, got, target string, met bool) {
	verdict := "met"
	if !met {
		verdict = "**missed**"
		c.missed++
	}
	fmt.Fprintf(c.w, "| %s | %s | %s | %s |\n", what, got, target, verdict)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: targets results.txt")
		os.Exit(2)
	}
	r, err := parse(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "targets:", err)
		os.Exit(1)
	}
	render(os.Stdout, r)
}

// render writes the targets table of r to w and returns how many targets
// it found missed.
func render(w io.Writer, r results) int {
	c := &checker{w: w, r: r}
	fmt.Fprintln(c.w, "| target | measured (medians) | wanted | |")
	fmt.Fprintln(c.w, "|---|---|---|---|")
	for _, name := range []string{
		"BenchmarkSlogBreadcrumb/logcrumbs", "BenchmarkSlogBreadcrumb/json+logcrumbs",
		"BenchmarkZerologBreadcrumb/hook", "BenchmarkZerologBreadcrumb/writer",
	} {
		c.value("0 allocs: "+strings.TrimPrefix(name, "Benchmark"), name, "allocs/op", 0)
	}
	c.noMore("no allocation added: ZapBreadcrumb/json+logcrumbs", "BenchmarkZapBreadcrumb/json+logcrumbs", "BenchmarkZapBreadcrumb/json", "allocs/op")
	c.ratio("slog stand-alone vs slog.DiscardHandler", "BenchmarkSlogBreadcrumb/logcrumbs", "BenchmarkSlogBreadcrumb/discard", "ns/op", 4, false)
	c.info("for scale: slog stand-alone vs an enabled no-op handler (slog's own record cost)", "BenchmarkSlogBreadcrumb/logcrumbs", "BenchmarkSlogBreadcrumb/nop", "ns/op")
	c.ratio("slog JSON + logcrumbs vs slog JSON", "BenchmarkSlogBreadcrumb/json+logcrumbs", "BenchmarkSlogBreadcrumb/json", "ns/op", 1.2, false)
	c.ratio("zap JSON + logcrumbs vs zap JSON", "BenchmarkZapBreadcrumb/json+logcrumbs", "BenchmarkZapBreadcrumb/json", "ns/op", 1.2, false)
	c.ratio("zerolog + hook vs zerolog", "BenchmarkZerologBreadcrumb/hook", "BenchmarkZerologBreadcrumb/discard", "ns/op", 1.5, false)
	c.ratio("zerolog + writer vs zerolog", "BenchmarkZerologBreadcrumb/writer", "BenchmarkZerologBreadcrumb/discard", "ns/op", 1.8, false)
	c.ratio("zapsentry breadcrumb vs zap JSON + logcrumbs", "BenchmarkZapBreadcrumb/json+zapsentry", "BenchmarkZapBreadcrumb/json+logcrumbs", "ns/op", 10, true)
	c.added("for scale: what zapsentry adds to zap JSON vs what logcrumbs adds", "BenchmarkZapBreadcrumb/json+zapsentry", "BenchmarkZapBreadcrumb/json+logcrumbs", "BenchmarkZapBreadcrumb/json", "ns/op")
	c.ratio("sentry-go/zerolog breadcrumb vs zerolog + hook", "BenchmarkZerologBreadcrumb/sentry-go-zerolog", "BenchmarkZerologBreadcrumb/hook", "ns/op", 10, true)
	c.added("for scale: what sentry-go/zerolog adds to zerolog vs what the hook adds", "BenchmarkZerologBreadcrumb/sentry-go-zerolog", "BenchmarkZerologBreadcrumb/hook", "BenchmarkZerologBreadcrumb/discard", "ns/op")
	c.ratio("slog filtered: JSON + logcrumbs vs JSON", "BenchmarkSlogFiltered/json+logcrumbs", "BenchmarkSlogFiltered/json", "ns/op", 1.05, false)
	c.ratio("zap filtered: JSON + logcrumbs vs JSON", "BenchmarkZapFiltered/json+logcrumbs", "BenchmarkZapFiltered/json", "ns/op", 1.05, false)
	c.ratio("zerolog filtered: hook vs zerolog", "BenchmarkZerologFiltered/hook", "BenchmarkZerologFiltered/discard", "ns/op", 1.05, false)
	// What a request pays for Middleware, against sentry-go's own share of
	// it (the hub clone every request needs), measured in the same run.
	if clone, ok := r.median("BenchmarkRequestSetup/hub.Clone", "allocs/op"); ok {
		c.value("middleware vs hub.Clone: allocs ≤ clone's + 4", "BenchmarkRequestSetup/middleware", "allocs/op", clone+4)
	} else {
		fmt.Fprintln(c.w, "| middleware vs hub.Clone: allocs ≤ clone's + 4 | not measured (BenchmarkRequestSetup/hub.Clone) | | |")
	}
	c.info("for scale: middleware vs hub.Clone", "BenchmarkRequestSetup/middleware", "BenchmarkRequestSetup/hub.Clone", "ns/op")
	// logrus and go-logr/logr: no target of their own yet; their ratios, for scale.
	c.info("for scale: logrus JSON + logcrumbs vs logrus JSON", "BenchmarkLogrusBreadcrumb/json+logcrumbs", "BenchmarkLogrusBreadcrumb/json", "ns/op")
	c.info("for scale: logr funcr + logcrumbs vs logr funcr", "BenchmarkLogrBreadcrumb/json+logcrumbs", "BenchmarkLogrBreadcrumb/json", "ns/op")
	c.info("for scale: logrus filtered: JSON + logcrumbs vs JSON", "BenchmarkLogrusFiltered/json+logcrumbs", "BenchmarkLogrusFiltered/json", "ns/op")
	c.info("for scale: logr filtered: funcr + logcrumbs vs funcr", "BenchmarkLogrFiltered/json+logcrumbs", "BenchmarkLogrFiltered/json", "ns/op")
	// Sentry Logs: no slower than sentry-go's own slog handler for the same record.
	c.ratio("Sentry Logs: slog + logcrumbs Logs level vs sentry-go/slog", "BenchmarkSlogLogs/logcrumbs-logs", "BenchmarkSlogLogs/sentry-go-slog", "ns/op", 1, false)
	c.ratio("Sentry Logs, parallel: slog + logcrumbs Logs level vs sentry-go/slog", "BenchmarkSlogLogsParallel/logcrumbs-logs", "BenchmarkSlogLogsParallel/sentry-go-slog", "ns/op", 1, false)
	// The event path per breadcrumb count (issue 20). The peers carry as
	// many breadcrumbs: samber from its hub's scope, zapsentry from its
	// logger's scope, sentry-go/zerolog from its hub's.
	events := []string{"BenchmarkSlogEvent/json+logcrumbs", "BenchmarkZapEvent/json+logcrumbs", "BenchmarkZerologEvent/hook"}
	for _, unit := range []string{"ns/op", "allocs/op"} {
		for _, ours := range events {
			name := strings.TrimPrefix(ours, "Benchmark")
			c.ratio("event, no breadcrumbs, vs samber's event: "+name+"-empty", ours+"-empty", "BenchmarkSlogEvent/samber-default", unit, 1, false)
			c.ratio("event, 20 breadcrumbs, vs samber's with 20: "+name+"-trail20", ours+"-trail20", "BenchmarkSlogEvent/samber-default-trail20", unit, 1, false)
			c.ratio("event, 100 breadcrumbs, vs zapsentry's with 100: "+name+"-trail100", ours+"-trail100", "BenchmarkZapEvent/json+zapsentry-trail100", unit, 1, false)
		}
		c.info("for scale: event, 20 breadcrumbs, zerolog hook vs sentry-go/zerolog's with 20", "BenchmarkZerologEvent/hook-trail20", "BenchmarkZerologEvent/sentry-go-zerolog-trail20", unit)
	}
	// A breadcrumb converted when an event is sent: the difference between
	// the 100- and the 20-breadcrumb events, over 80. (Not from "-empty",
	// which also pays for a new trail per record.)
	for _, ours := range events {
		name := strings.TrimPrefix(ours, "Benchmark")
		c.per("per breadcrumb converted: "+name, ours+"-trail100", ours+"-trail20", "ns/op", 80, 400)
		c.per("per breadcrumb converted: "+name, ours+"-trail100", ours+"-trail20", "allocs/op", 80, 3)
	}
	// A repeated error (one value, one call site, one request) that
	// capture-once and repeat counting skip, against the bare logger's own
	// error log: at most 2x its time, no allocation beyond its own. Then
	// the same in an error storm: concurrent requests, each repeating the
	// error, against the bare logger's error log from as many goroutines.
	for _, p := range [][2]string{{"Slog", "json+logcrumbs"}, {"Zap", "json+logcrumbs"}, {"Zerolog", "hook"}, {"Zerolog", "writer"}} {
		bare := "json"
		if p[0] == "Zerolog" {
			bare = "discard"
		}
		for _, row := range []string{"Repeat", "RepeatParallel"} {
			ours, base := "Benchmark"+p[0]+row+"/"+p[1], "Benchmark"+p[0]+row+"/"+bare
			if row == "Repeat" {
				c.ratio("repeated error skipped vs the bare error log: "+p[0]+row+"/"+p[1], ours, base, "ns/op", 2, false)
				c.noMore("repeated error skipped, no allocation added: "+p[0]+row+"/"+p[1], ours, base, "allocs/op")
			} else {
				c.ratio("repeated error skipped, concurrent requests, vs the bare error log: "+p[0]+row+"/"+p[1], ours, base, "ns/op", 2, false)
			}
		}
	}
	for _, l := range []string{"Logrus", "Logr"} {
		c.info("for scale: repeated error skipped vs the bare error log: "+l+"Repeat/json+logcrumbs", "Benchmark"+l+"Repeat/json+logcrumbs", "Benchmark"+l+"Repeat/json", "ns/op")
	}
	for _, p := range []string{"Slog/logcrumbs", "Slog/json+logcrumbs", "Zap/json+logcrumbs", "Zerolog/hook"} {
		logger, variant, _ := strings.Cut(p, "/")
		c.ratio("parallel throughput vs serial: "+p, "Benchmark"+logger+"Breadcrumb/"+variant, "Benchmark"+logger+"BreadcrumbParallel/"+variant, "ns/op", 1.6, true)
	}
	// The teed cases cannot scale better than the bare logger beside them.
	for _, p := range []string{"Slog/json", "Zap/json", "Zerolog/discard"} {
		logger, variant, _ := strings.Cut(p, "/")
		c.info("for scale: parallel throughput vs serial: "+p, "Benchmark"+logger+"Breadcrumb/"+variant, "Benchmark"+logger+"BreadcrumbParallel/"+variant, "ns/op")
	}
	c.info("for scale: parallel throughput into the one shared fallback trail vs serial with a trail: Slog/logcrumbs",
		"BenchmarkSlogBreadcrumb/logcrumbs", "BenchmarkSlogBreadcrumbParallel/logcrumbs-fallback", "ns/op")
	fmt.Fprintf(c.w, "\n%d target(s) missed.\n", c.missed)
	return c.missed
}
