package slogsentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestEndToEnd sends through sentry-go's real HTTP transport to a real
// Sentry envelope receiver (see e2e.CheckTwoRequests for what it asserts),
// plus the user group and slog's groups.
func TestEndToEnd(t *testing.T) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	var out bytes.Buffer
	logger := slog.New(slogsentry.NewHandler(slog.NewJSONHandler(&out, nil), slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, TagKeys: []string{"route"}},
	}))

	reqA := logcrumbs.NewContext(context.Background())
	reqB := logcrumbs.NewContext(context.Background())
	la := logger.With("route", "/orders")
	la.DebugContext(reqA, "parsing body", "bytes", 512)
	logger.InfoContext(reqB, "request B started")
	la.InfoContext(reqA, "order loaded", "id", "o-17", slog.Group("db", "rows", 3))
	la.WarnContext(reqA, "retrying", "attempt", 2, "after", 250*time.Millisecond)
	err := fmt.Errorf("charge card: %w", errors.New("connection refused"))
	la.ErrorContext(reqA, "payment failed", "err", err, slog.Group("user", "id", "u-1"))
	la.ErrorContext(reqA, "request failed", "err", fmt.Errorf("handler: %w", err))
	logger.ErrorContext(reqB, "request B failed", "err", errors.New("timeout"))

	a := e2e.CheckTwoRequests(t, r, func() bool { return hub.Flush(5 * time.Second) }, "slog", "TestEndToEnd")
	if a.User["id"] != "u-1" {
		t.Errorf("user = %v", a.User)
	}
	if db, _ := a.Breadcrumbs[1].Data["db"].(map[string]any); db["rows"] != float64(3) {
		t.Errorf("group in breadcrumb = %v", a.Breadcrumbs[1].Data)
	}
	if !strings.Contains(out.String(), `"msg":"request failed"`) {
		t.Error("the wrapped handler did not get the second error record")
	}
}
