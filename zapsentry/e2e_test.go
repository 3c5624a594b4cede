package zapsentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestEndToEnd sends through sentry-go's real HTTP transport to a real
// Sentry envelope receiver: two request loggers from one base logger, each
// event carrying only its own trail with zap's field types, the exception
// chain and the tag, and an error logged again by an upper layer sent once.
func TestEndToEnd(t *testing.T) {
	r := e2e.Start(t)
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: r.DSN()})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	var out bytes.Buffer
	base := zap.New(userCore(&out)).WithOptions(zapsentry.Wrap(zapsentry.Options{
		Options: logcrumbs.Options{Hub: hub, TagKeys: []string{"route"}},
	}))

	_, a := zapsentry.WithContext(context.Background(), base.With(zap.String("route", "/orders")))
	_, b := zapsentry.WithContext(context.Background(), base)
	a.Debug("parsing body", zap.Int("bytes", 512))
	b.Info("request B started")
	a.Info("order loaded", zap.Object("order", order{"o-17", 3}))
	a.Warn("retrying", zap.Int("attempt", 2), zap.Duration("after", 250*time.Millisecond))
	cause := errors.New("connection refused")
	err = fmt.Errorf("charge card: %w", cause)
	a.Error("payment failed", zap.Error(err))
	a.Error("request failed", zap.Error(fmt.Errorf("handler: %w", err)))
	b.Error("request B failed", zap.Error(errors.New("timeout")))

	if err := base.Sync(); err != nil {
		t.Fatalf("Sync: %v", err)
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
	ev, ok := byMessage["payment failed"]
	if !ok {
		t.Fatalf("no event for request A: %+v", reports)
	}
	if ev.Level != "error" || ev.Logger != "zap" || ev.Tags["route"] != "/orders" {
		t.Errorf("event A level/logger/tags = %q/%q/%v", ev.Level, ev.Logger, ev.Tags)
	}
	var trail []string
	for _, bc := range ev.Breadcrumbs {
		trail = append(trail, bc.Level+":"+bc.Category+":"+bc.Message)
	}
	if want := "debug:zap:parsing body,info:zap:order loaded,warning:zap:retrying"; strings.Join(trail, ",") != want {
		t.Fatalf("trail of A = %v, want %s", trail, want)
	}
	if o, _ := ev.Breadcrumbs[1].Data["order"].(map[string]any); o["id"] != "o-17" || o["items"] != float64(3) {
		t.Errorf("zap.Object breadcrumb data = %v", ev.Breadcrumbs[1].Data)
	}
	if d := ev.Breadcrumbs[2].Data; d["after"] != "250ms" || d["attempt"] != float64(2) {
		t.Errorf("breadcrumb data = %v", d)
	}
	if len(ev.Exception) != 2 || ev.Exception[1].Value != "charge card: connection refused" {
		t.Fatalf("exception chain = %+v", ev.Exception)
	}
	st := ev.Exception[1].Stacktrace
	if st == nil || len(st.Frames) == 0 || !strings.HasSuffix(st.Frames[len(st.Frames)-1].Function, "TestEndToEnd") {
		t.Errorf("top frame is not the logging call: %+v", st)
	}
	evB, ok := byMessage["request B failed"]
	if !ok || len(evB.Breadcrumbs) != 1 || evB.Breadcrumbs[0].Message != "request B started" {
		t.Errorf("event B = %+v, want only its own breadcrumb", evB)
	}
	if !strings.Contains(out.String(), `"msg":"request failed"`) {
		t.Error("the user's core did not write the second error")
	}
}
