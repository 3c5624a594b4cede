package logrussentry_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// nopHook is a hook that does nothing: what any hook costs logrus.
type nopHook struct{}

func (nopHook) Levels() []logrus.Level   { return logrus.AllLevels }
func (nopHook) Fire(*logrus.Entry) error { return nil }

// TestBreadcrumbAllocatesNothing holds the hot-path promise for logrus: Fire
// of an info entry with typed fields, bound to a request's context,
// allocates nothing, and the hook adds no allocation to a logger to what
// any hook costs it (logrus copies its hook list on every entry it fires
// hooks for: one allocation, the same for a hook that does nothing).
func TestBreadcrumbAllocatesNothing(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items on purpose; allocation counts are checked without -race (scripts/test runs both)")
	}
	ctx := logcrumbs.NewContext(context.Background())
	hook := logrussentry.NewHook(logrussentry.Options{})
	e := &logrus.Entry{Context: ctx, Level: logrus.InfoLevel, Time: time.Now(), Message: "request served",
		Data: logrus.Fields{"svc": "api", "path": "/users/42", "status": 200, "took": 3 * time.Millisecond, "cached": false}}
	fire := func() { _ = hook.Fire(e) }
	for range 2 * logcrumbs.DefaultCapacity {
		fire()
	}
	if n := testing.AllocsPerRun(1000, fire); n != 0 {
		t.Errorf("Fire allocates %.1f times per entry, want 0", n)
	}

	logOnce := func(hooks ...logrus.Hook) func() {
		l := logrus.New()
		l.SetOutput(io.Discard)
		l.SetFormatter(&logrus.JSONFormatter{})
		for _, h := range hooks {
			l.AddHook(h)
		}
		log := l.WithContext(ctx).WithField("svc", "api")
		return func() {
			log.WithFields(logrus.Fields{"path": "/users/42", "status": 200, "took": 3 * time.Millisecond, "cached": false}).Info("request served")
		}
	}
	bare, nop, ours := logOnce(), logOnce(nopHook{}), logOnce(hook)
	for range 2 * logcrumbs.DefaultCapacity {
		ours()
	}
	b, n, got := testing.AllocsPerRun(1000, bare), testing.AllocsPerRun(1000, nop), testing.AllocsPerRun(1000, ours)
	t.Logf("allocations per entry: bare logrus %.1f, with a hook that does nothing %.1f, with logrussentry %.1f", b, n, got)
	if got > n {
		t.Errorf("the hook allocates %.1f times per entry, a hook that does nothing %.1f", got, n)
	}
}
