package logrsentry_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// nopSink is a sink that does nothing: what logr's own API costs.
type nopSink struct{}

func (nopSink) Init(logr.RuntimeInfo)            {}
func (nopSink) Enabled(int) bool                 { return true }
func (nopSink) Info(int, string, ...any)         {}
func (nopSink) Error(error, string, ...any)      {}
func (s nopSink) WithValues(...any) logr.LogSink { return s }
func (s nopSink) WithName(string) logr.LogSink   { return s }
func (s nopSink) WithCallDepth(int) logr.LogSink { return s }

// TestBreadcrumbAllocsAreLogrsOwn: keeping a V(0) or V(1) breadcrumb,
// stand-alone or teed beside a sink that does nothing, through a named,
// bound logger with values, allocates exactly what a sink that does nothing
// costs: logr's API boxes the values into its []any (the slice and
// the values Go cannot box in place), and logcrumbs adds nothing.
func TestBreadcrumbAllocsAreLogrsOwn(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	ctx := logcrumbs.NewContext(context.Background())
	status, took := 200, 3*time.Millisecond
	allocs := func(log logr.Logger) float64 {
		log = log.WithName("ctrl").WithValues("svc", "api")
		_, log = logrsentry.WithContext(ctx, log)
		logOnce := func() {
			log.Info("request served", "path", "/users/42", "status", status, "took", took, "cached", false)
			log.V(1).Info("cache hit", "key", "pods/x")
		}
		for range 2 * logcrumbs.DefaultCapacity {
			logOnce()
		}
		return testing.AllocsPerRun(1000, logOnce)
	}
	bare := allocs(logr.New(nopSink{}))
	t.Logf("logr with a sink that does nothing allocates %.1f times per two records", bare)
	for name, log := range map[string]logr.Logger{
		"standalone": logr.New(logrsentry.NewSink(nil, logrsentry.Options{})),
		"teed":       logrsentry.Wrap(logr.New(nopSink{}), logrsentry.Options{}),
	} {
		if got := allocs(log); got != bare {
			t.Errorf("%s: %.1f allocations per two breadcrumbs, logr's own %.1f", name, got, bare)
		}
	}
}
