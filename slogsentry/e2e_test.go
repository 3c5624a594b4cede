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

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestEndToEnd sends through sentry-go's real HTTP transport to a real
// Sentry envelope receiver and asserts on what the receiver parsed: two
// requests side by side, each event carrying only its own trail, the
// exception chain with a stack trace, tags, user and the log context, and
// an error logged again by an upper layer sent once.
func TestEndToEnd(t *testing.T) {
	r := e2e.Start(t)
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: r.DSN()})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
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

	cause := errors.New("connection refused")
	err = fmt.Errorf("charge card: %w", cause)
	la.ErrorContext(reqA, "payment failed", "err", err, slog.Group("user", "id", "u-1"))
	// The upper layer logs the same error wrapped once more: no second event.
	la.ErrorContext(reqA, "request failed", "err", fmt.Errorf("handler: %w", err))
	logger.ErrorContext(reqB, "request B failed", "err", errors.New("timeout"))

	if !client.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	r.WaitReports(t, 2)
	time.Sleep(200 * time.Millisecond) // a third, duplicate event would arrive now
	reports := r.Reports(t)
	if len(reports) != 2 {
		t.Fatalf("receiver got %d events, want 2 (capture once): %+v", len(reports), reports)
	}
	byMessage := map[string]e2e.Event{}
	for _, rep := range reports {
		byMessage[rep.Event.Message] = rep.Event
	}

	a, ok := byMessage["payment failed"]
	if !ok {
		t.Fatalf("no event for request A: %+v", reports)
	}
	if a.Level != "error" || a.Logger != "slog" || a.Tags["route"] != "/orders" || a.User["id"] != "u-1" {
		t.Errorf("event A level/logger/tags/user = %q/%q/%v/%v", a.Level, a.Logger, a.Tags, a.User)
	}
	if !strings.Contains(string(a.Contexts["log"]), `"route":"/orders"`) {
		t.Errorf("log context = %s", a.Contexts["log"])
	}
	var trail []string
	for _, b := range a.Breadcrumbs {
		trail = append(trail, b.Level+":"+b.Message)
	}
	if want := "debug:parsing body,info:order loaded,warning:retrying"; strings.Join(trail, ",") != want {
		t.Errorf("trail of A = %v, want %s", trail, want)
	}
	if len(a.Breadcrumbs) == 3 {
		if d := a.Breadcrumbs[1].Data; d["id"] != "o-17" || d["route"] != "/orders" {
			t.Errorf("breadcrumb data = %v", d)
		}
		if d := a.Breadcrumbs[2].Data; d["after"] != "250ms" || d["attempt"] != float64(2) {
			t.Errorf("breadcrumb data = %v", d)
		}
	}
	if len(a.Exception) != 2 || a.Exception[0].Value != "connection refused" || a.Exception[1].Value != "charge card: connection refused" {
		t.Fatalf("exception chain = %+v", a.Exception)
	}
	st := a.Exception[1].Stacktrace
	if st == nil || len(st.Frames) == 0 || !strings.HasSuffix(st.Frames[len(st.Frames)-1].Function, "TestEndToEnd") {
		t.Errorf("outermost exception's top frame is not the logging call: %+v", st)
	}

	b, ok := byMessage["request B failed"]
	if !ok {
		t.Fatalf("no event for request B: %+v", reports)
	}
	if len(b.Breadcrumbs) != 1 || b.Breadcrumbs[0].Message != "request B started" {
		t.Errorf("trail of B = %+v, want only its own record", b.Breadcrumbs)
	}
	if !strings.Contains(out.String(), `"msg":"request failed"`) {
		t.Error("the wrapped handler did not get the second error record")
	}
}
