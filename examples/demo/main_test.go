package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// TestDemoPrintsTheFailingRequestsEvent runs the demo as the README does,
// without SENTRY_DSN, and checks what it prints: a label, then one event
// summary carrying the breadcrumbs of the failing request and of no other,
// the exception chain and the full stack (down to net/http's conn.serve).
func TestDemoPrintsTheFailingRequestsEvent(t *testing.T) {
	var out bytes.Buffer
	if err := run("", false, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"the event that would be sent to Sentry is printed below.\nsentry event: ",
		" error [slog] checkout failed\n",
		"  exception: *fmt.wrapError: reserve item 42: out of stock\n      at ",
		".shop (main.go:",
		"(*conn).serve", // the full stack, not the top frames only
		"    caused by: *errors.errorString: out of stock\n",
		"  tags: route=/checkout\n",
		"  breadcrumbs (3, oldest first):\n",
		" info    slog: request started method=GET route=/checkout\n",
		" debug   slog: warehouse query item=42 warehouse=eu-1\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "sentry event:"); n != 1 {
		t.Errorf("%d events printed, want 1:\n%s", n, got)
	}
	if strings.Contains(got, "/items") || strings.Contains(got, "more frame") {
		t.Errorf("another request's breadcrumb or a cut stack:\n%s", got)
	}
}

// TestDemoJSON: DEMO_JSON prints the whole event as JSON, with sentry-go's
// sdk information (the old demo cleared it).
func TestDemoJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run("", true, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(out.String(), "\n") // the label
	var ev struct {
		Message     string
		Breadcrumbs []any
		Sdk         struct{ Name string }
	}
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatalf("not one JSON event: %v\n%s", err, body)
	}
	if ev.Message != "checkout failed" || len(ev.Breadcrumbs) != 3 || ev.Sdk.Name == "" {
		t.Errorf("event: %+v", ev)
	}
}
