package zapsentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestEndToEnd sends through sentry-go's real HTTP transport to a real
// Sentry envelope receiver (see e2e.CheckTwoRequests for what it asserts),
// from two request loggers made from one base logger, plus zap.Object and
// Sync as the flush.
func TestEndToEnd(t *testing.T) {
	r := e2e.Start(t)
	var out bytes.Buffer
	base := zap.New(userCore(&out)).WithOptions(zapsentry.Wrap(zapsentry.Options{
		Options:     logcrumbs.Options{Hub: r.Hub(t), TagKeys: []string{"route"}},
		SyncTimeout: 5 * time.Second,
	}))

	_, a := zapsentry.WithContext(context.Background(), base.With(zap.String("route", "/orders")))
	_, b := zapsentry.WithContext(context.Background(), base)
	a.Debug("parsing body", zap.Int("bytes", 512))
	b.Info("request B started")
	a.Info("order loaded", zap.Object("order", order{"o-17", 3}))
	a.Warn("retrying", zap.Int("attempt", 2), zap.Duration("after", 250*time.Millisecond))
	err := fmt.Errorf("charge card: %w", errors.New("connection refused"))
	a.Error("payment failed", zap.Error(err))
	a.Error("request failed", zap.Error(fmt.Errorf("handler: %w", err)))
	b.Error("request B failed", zap.Error(errors.New("timeout")))

	ev := e2e.CheckTwoRequests(t, r, func() bool { return base.Sync() == nil }, "zap", "TestEndToEnd")
	if o, _ := ev.Breadcrumbs[1].Data["order"].(map[string]any); o["id"] != "o-17" || o["items"] != float64(3) {
		t.Errorf("zap.Object in breadcrumb = %v", ev.Breadcrumbs[1].Data)
	}
	if !strings.Contains(out.String(), `"msg":"request failed"`) {
		t.Error("the user's core did not write the second error")
	}
}
