package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

// Hub returns a hub whose client sends to r with sentry-go's default HTTP
// transport, as a program's would after sentry.Init.
func (r *Receiver) Hub(tb testing.TB) *sentry.Hub {
	tb.Helper()
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: r.DSN()})
	if err != nil {
		tb.Fatalf("e2e: sentry.NewClient: %v", err)
	}
	return sentry.NewHub(client, sentry.NewScope())
}

// CheckTwoRequests checks what every logger's end-to-end test logs, in this
// order, with the route "/orders" as a tag key on request A only:
//
//	A debug "parsing body"    bytes=512
//	B info  "request B started"
//	A info  "order loaded"    (logger-specific fields)
//	A warn  "retrying"        attempt=2 after=250ms
//	A error "payment failed"  err=fmt.Errorf("charge card: %w", errors.New("connection refused"))
//	A error "request failed"  err=fmt.Errorf("handler: %w", <the same error>)
//	B error "request B failed" err=errors.New("timeout")
//
// The receiver must get exactly two events (the second error of A is the
// same bug), each with only its own request's trail, A's with the exception
// chain and a stack trace whose top frame is the function named caller. It
// returns A's event for the logger-specific checks.
func CheckTwoRequests(tb testing.TB, r *Receiver, flush func() bool, logger, caller string) Event {
	tb.Helper()
	return CheckTwoRequestsAt(tb, r, flush, logger, caller, "warning")
}

// CheckTwoRequestsAt is CheckTwoRequests for a logger whose "retrying"
// record arrives at the Sentry level warn: "info" for logr, which has no
// warning level.
func CheckTwoRequestsAt(tb testing.TB, r *Receiver, flush func() bool, logger, caller, warn string) Event {
	tb.Helper()
	if !flush() {
		tb.Fatal("e2e: flush timed out")
	}
	r.WaitReports(tb, 2)
	time.Sleep(200 * time.Millisecond) // a third, duplicate event would arrive now
	reports := r.Reports(tb)
	if len(reports) != 2 {
		tb.Fatalf("receiver got %d events, want 2 (capture once): %+v", len(reports), reports)
	}
	byMessage := map[string]Event{}
	for _, rep := range reports {
		byMessage[rep.Event.Message] = rep.Event
	}
	a, ok := byMessage["payment failed"]
	if !ok {
		tb.Fatalf("no event for request A: %+v", reports)
	}
	if a.Level != "error" || a.Logger != logger || a.Tags["route"] != "/orders" {
		tb.Errorf("event A level/logger/tags = %q/%q/%v", a.Level, a.Logger, a.Tags)
	}
	if !strings.Contains(string(a.Contexts["log"]), `"route":"/orders"`) {
		tb.Errorf("log context = %s", a.Contexts["log"])
	}
	var trail []string
	for _, b := range a.Breadcrumbs {
		trail = append(trail, b.Level+":"+b.Category+":"+b.Message)
	}
	want := strings.ReplaceAll("debug:L:parsing body,info:L:order loaded,"+warn+":L:retrying", "L", logger)
	if strings.Join(trail, ",") != want {
		tb.Fatalf("trail of A = %v, want %s", trail, want)
	}
	if d := a.Breadcrumbs[0].Data; d["bytes"] != float64(512) || d["route"] != "/orders" {
		tb.Errorf("breadcrumb data = %v", d)
	}
	if d := a.Breadcrumbs[2].Data; d["after"] != "250ms" || d["attempt"] != float64(2) {
		tb.Errorf("breadcrumb data = %v", d)
	}
	if len(a.Exception) != 2 || a.Exception[0].Value != "connection refused" || a.Exception[1].Value != "charge card: connection refused" {
		tb.Fatalf("exception chain = %+v", a.Exception)
	}
	st := a.Exception[1].Stacktrace
	if st == nil || len(st.Frames) == 0 || !strings.HasSuffix(st.Frames[len(st.Frames)-1].Function, caller) {
		tb.Errorf("outermost exception's top frame is not %s: %+v", caller, st)
	}
	b, ok := byMessage["request B failed"]
	if !ok {
		tb.Fatalf("no event for request B: %+v", reports)
	}
	if len(b.Breadcrumbs) != 1 || b.Breadcrumbs[0].Message != "request B started" {
		tb.Errorf("trail of B = %+v, want only its own record", b.Breadcrumbs)
	}
	if _, ok := b.Tags["route"]; ok {
		tb.Errorf("request B's event has request A's tag: %v", b.Tags)
	}
	return a
}
