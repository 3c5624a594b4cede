package zapsentry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

func TestContextFieldOnOneCallAndFallback(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{}, nil)
	ctx := logcrumbs.NewContext(context.Background())
	logger.Info("unbound record")
	logger.Info("bound record", zapsentry.Context(ctx))
	logger.Error("bound failure", zapsentry.Context(ctx))
	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 1 || ev.Event.Breadcrumbs[0].Message != "bound record" {
		t.Errorf("bound event breadcrumbs = %+v", ev.Event.Breadcrumbs)
	}
	if _, ok := ev.Contexts["log"][""]; ok {
		t.Error("the context field shows up in the log context")
	}
	found := false
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		found = found || b.Message == "unbound record"
	}
	if !found {
		t.Error("an unbound record is not in the fallback trail")
	}
}

// TestEntriesKeptInTheTrailOfTheirContext: the core looks a bound
// context's trail up once, when it is bound; every entry must still land
// in the trail of the context it is logged with: the bound one, one bound
// for a single call instead (which wins), the fallback trail once unbound,
// and the new one after a second binding, through presets too.
func TestEntriesKeptInTheTrailOfTheirContext(t *testing.T) {
	logger, _ := newLogger(t, zapsentry.Options{}, nil)
	a := logcrumbs.NewContext(context.Background())
	b := logcrumbs.NewContext(context.Background())
	boundA := logger.With(zapsentry.Context(a))
	boundA.Info("a: bound")
	boundA.Info("b: one call", zapsentry.Context(b))
	boundA.With(zap.String("k", "v")).Info("a: with a preset")
	//lint:ignore SA1012 a nil context is what is tested: Context(nil) unbinds
	boundA.With(zapsentry.Context(nil)).Info("fallback: unbound")
	boundA.With(zapsentry.Context(b)).Info("b: bound again")
	boundA.With(zap.Int("n", 1), zapsentry.Context(b)).Info("b: bound again with a preset")
	//lint:ignore SA1012 a nil context is what is tested: Context(nil) unbinds
	boundA.Info("fallback: one call", zapsentry.Context(nil))

	messages := func(tr *logcrumbs.Trail, prefix string) []string {
		var got []string
		for _, bc := range tr.Breadcrumbs() {
			if strings.HasPrefix(bc.Message, prefix) {
				got = append(got, bc.Message)
			}
		}
		return got
	}
	for _, c := range []struct {
		name   string
		trail  *logcrumbs.Trail
		prefix string
		want   []string
	}{
		{"a", logcrumbs.FromContext(a), "", []string{"a: bound", "a: with a preset"}},
		{"b", logcrumbs.FromContext(b), "", []string{"b: one call", "b: bound again", "b: bound again with a preset"}},
		{"fallback", logcrumbs.Fallback(), "fallback: ", []string{"fallback: unbound", "fallback: one call"}},
	} {
		if got := messages(c.trail, c.prefix); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("trail %s: %q, want %q", c.name, got, c.want)
		}
	}
}

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

// TestLastContextFieldWins: Write binds the entry to the context of the
// last Context field among its fields, whatever SkipType fields (zap.Skip,
// zap.Error(nil)) come before, between or after, and over one bound with
// With; a nil Context unbinds.
func TestLastContextFieldWins(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}
	logger := zap.New(zapsentry.NewCore(opts))
	a, b, w := logcrumbs.NewContext(context.Background()), logcrumbs.NewContext(context.Background()), logcrumbs.NewContext(context.Background())
	withW := logger.With(zapsentry.Context(w), zap.Skip())
	calls := []struct {
		log    *zap.Logger
		msg    string
		fields []zap.Field
	}{
		{logger, "skip a skip b", []zap.Field{zap.Skip(), zapsentry.Context(a), zap.Error(nil), zapsentry.Context(b)}},
		{logger, "b skip a skip", []zap.Field{zap.String("s", "x"), zapsentry.Context(b), zap.Skip(), zapsentry.Context(a), zap.NamedError("e", nil)}},
		{withW, "with w, a", []zap.Field{zap.Skip(), zapsentry.Context(a)}},
		{withW, "with w, skip", []zap.Field{zap.Skip(), zap.Int("n", 1)}},
		//lint:ignore SA1012 a nil context is what is tested: Context(nil) unbinds
		{withW, "with w, nil", []zap.Field{zapsentry.Context(a), zapsentry.Context(nil)}},
		{logger, "a alone, first", []zap.Field{zapsentry.Context(a), zap.Int("n", 2)}},
	}
	for _, c := range calls {
		c.log.Info(c.msg, c.fields...)
	}
	trail := func(ctx context.Context) (got []string) {
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			got = append(got, b.Message)
		}
		return got
	}
	for _, tc := range []struct {
		ctx  context.Context
		want []string
	}{
		{a, []string{"b skip a skip", "with w, a", "a alone, first"}},
		{b, []string{"skip a skip b"}},
		{w, []string{"with w, skip"}},
	} {
		if got := trail(tc.ctx); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("trail = %q, want %q", got, tc.want)
		}
	}
	found := false
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		found = found || b.Message == "with w, nil"
	}
	if !found {
		t.Error("an entry whose last Context field is nil is not in the fallback trail")
	}
}
