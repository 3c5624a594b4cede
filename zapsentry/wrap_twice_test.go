package zapsentry_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestWrapTwiceFeedsOnce: Wrap applied to a logger that feeds logcrumbs
// already, through the cores users put around a tee (zap's sampler,
// hooks), adds no second core: the request's error is one
// event with each breadcrumb once, and the first options win. (The
// conformance case WrappedTwiceFeedsOnce tees NewCore, then applies Wrap.)
func TestWrapTwiceFeedsOnce(t *testing.T) {
	for name, around := range map[string]func(zapcore.Core) zapcore.Core{
		"wrap": func(c zapcore.Core) zapcore.Core { return c },
		"sampler": func(c zapcore.Core) zapcore.Core {
			return zapcore.NewSamplerWithOptions(c, time.Second, 100, 100)
		},
		"hooks": func(c zapcore.Core) zapcore.Core {
			return zapcore.RegisterHooks(c, func(zapcore.Entry) error { return nil })
		},
	} {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			var out bytes.Buffer
			opts := zapsentry.Options{Options: rec.Options()}
			l := zap.New(userCore(&out)).WithOptions(zapsentry.Wrap(opts), zap.WrapCore(around))
			second := opts
			second.EventLevel = zapcore.InfoLevel // would send Info records as events
			ctx, log := zapsentry.WithContext(rec.Context(context.Background()), l.WithOptions(zapsentry.Wrap(second)))
			log.Info("step one")
			log.Error("failed", zap.Error(errors.New("quota exceeded")))
			ev := rec.OnlyEvent()
			if got := strings.Join(ev.BreadcrumbMessages(), ","); got != "step one" {
				t.Errorf("breadcrumbs %q, want \"step one\", once", got)
			}
			if id := logcrumbs.LastEventID(ctx); id != ev.EventID {
				t.Errorf("LastEventID %q, want %q", id, ev.EventID)
			}
			if n := strings.Count(out.String(), "\n"); n != 2 {
				t.Errorf("%d lines written, want 2: %s", n, out.String())
			}
		})
	}
}
