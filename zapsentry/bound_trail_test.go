package zapsentry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestBoundTrailIsTheContextsTrail: the core looks a bound context's
// trail up once, when it is bound (Entry.Trail). Whatever made the
// context (a trail of its own or none, a unit of work of Middleware,
// RunJob or Bind, a child, a trail given by hand, a context derived from
// any of these) and however the bound logger is derived (With fields,
// Named, WrapCore, Sugar, a second tee), every entry must land in the
// trail a look-up at the log call finds: the context's, else the fallback
// trail; the unit's after the unit ended too, as before the look-up was
// cached.
func TestBoundTrailIsTheContextsTrail(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{}, nil)
	type key struct{}
	contexts := map[string]context.Context{
		"background": context.Background(),
		"no trail":   context.WithValue(context.Background(), key{}, 1),
		"NewContext": logcrumbs.NewContext(context.Background()),
		"by hand":    logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(7)),
		"Bind":       logcrumbs.Bind(context.Background(), rec.Hub().Clone()),
	}
	contexts["derived"] = context.WithValue(contexts["NewContext"], key{}, 2)
	contexts["NewContext of a unit"] = logcrumbs.NewContext(contexts["Bind"])
	contexts["child"] = logcrumbs.NewChildContext(contexts["Bind"])
	_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: logcrumbs.Options{Hub: rec.Hub()}}, func(ctx context.Context) error {
		contexts["RunJob (ended)"] = ctx
		return nil
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		contexts["Middleware (ended)"] = r.Context()
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))

	derive := map[string]func(l *zap.Logger) *zap.Logger{
		"as bound": func(l *zap.Logger) *zap.Logger { return l },
		"With":     func(l *zap.Logger) *zap.Logger { return l.With(zap.String("k", "v")) },
		"Named":    func(l *zap.Logger) *zap.Logger { return l.Named("n") },
		"WrapCore": func(l *zap.Logger) *zap.Logger {
			return l.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core { return zapcore.NewTee(c) }))
		},
		"Sugar": func(l *zap.Logger) *zap.Logger { return l.Sugar().With("s", 1).Desugar() },
		"tee":   func(l *zap.Logger) *zap.Logger { return zap.New(zapcore.NewTee(zapcore.NewNopCore(), l.Core())) },
	}
	for name, ctx := range contexts {
		want := logcrumbs.FromContext(ctx)
		if want == nil {
			want = logcrumbs.Fallback()
		}
		for how, d := range derive {
			bound := map[string]*zap.Logger{
				"Context":     logger.With(zapsentry.Context(ctx)),
				"preset then": logger.With(zap.Int("p", 1)).With(zapsentry.Context(ctx)),
				"one call":    logger,
			}
			for kind, l := range bound {
				msg := fmt.Sprintf("%s/%s/%s", name, how, kind)
				var fields []zap.Field
				if kind == "one call" {
					fields = append(fields, zapsentry.Context(ctx))
				}
				d(l).Info(msg, fields...)
				bcs := want.Breadcrumbs()
				if len(bcs) == 0 || bcs[len(bcs)-1].Message != msg {
					t.Errorf("%s: not the last breadcrumb of the context's trail", msg)
				}
			}
		}
	}
}

// TestFilledInPlaceAsAppended: a breadcrumb of plain fields is filled in
// its trail's ring (AppendFilled, which moves a full ring on by hand, with
// the trail cached at bind time); with Options.EscalateIf it is built
// first and appended (Append). Through several turns of the ring, both
// must keep the same breadcrumbs, count the same drops, and add the same
// counts to the process's Stats.
func TestFilledInPlaceAsAppended(t *testing.T) {
	run := func(opts zapsentry.Options) (crumbs []string, dropped, kept, droppedAll uint64) {
		logger, rec := newLogger(t, opts, nil)
		s0 := logcrumbs.Stats()
		// In a unit of work: its counts are exact in Stats once it ends.
		_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: logcrumbs.Options{Hub: rec.Hub()}}, func(ctx context.Context) error {
			log := logger.With(zapsentry.Context(ctx), zap.String("pre", "set"))
			for i := range 3*logcrumbs.DefaultCapacity + 45 {
				log.Info(fmt.Sprint("m", i), zap.Int("i", i), zap.String(fmt.Sprint("key", i%19, "-of-some-length"), "v"))
			}
			trail := logcrumbs.FromContext(ctx)
			for _, b := range trail.Breadcrumbs() {
				crumbs = append(crumbs, fmt.Sprint(b.Level, b.Category, b.Message, b.Data))
			}
			dropped = trail.Dropped()
			return nil
		})
		s1 := logcrumbs.Stats()
		return crumbs, dropped, s1.BreadcrumbsKept - s0.BreadcrumbsKept, s1.BreadcrumbsDropped - s0.BreadcrumbsDropped
	}
	c1, d1, k1, a1 := run(zapsentry.Options{})
	c2, d2, k2, a2 := run(zapsentry.Options{Options: logcrumbs.Options{EscalateIf: func(logcrumbs.Record) bool { return false }}})
	if fmt.Sprint(c1) != fmt.Sprint(c2) || d1 != d2 {
		t.Errorf("filled in place: dropped %d\n%q\nappended: dropped %d\n%q", d1, c1, d2, c2)
	}
	if k1 != k2 || a1 != a2 || k1 == 0 || a1 == 0 {
		t.Errorf("Stats: filled in place kept %d dropped %d, appended kept %d dropped %d", k1, a1, k2, a2)
	}
}
