package main

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

// TestDemoPrintsTheFailingRequestsEvent runs the demo as the README does,
// without SENTRY_DSN, and checks what it prints: one event, carrying the
// breadcrumbs of the failing request and of no other.
func TestDemoPrintsTheFailingRequestsEvent(t *testing.T) {
	var out bytes.Buffer
	if err := run("", &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Message     string `json:"message"`
		Breadcrumbs []struct {
			Message string         `json:"message"`
			Data    map[string]any `json:"data"`
		} `json:"breadcrumbs"`
		Exception []struct {
			Type, Value string
		} `json:"exception"`
		Tags map[string]string `json:"tags"`
	}
	dec := json.NewDecoder(&out)
	if err := dec.Decode(&ev); err != nil {
		t.Fatalf("stdout is not a JSON event: %v\n%s", err, out.String())
	}
	if dec.More() {
		t.Fatal("the demo printed more than one event")
	}
	if ev.Message != "checkout failed" || ev.Tags["route"] != "/checkout" {
		t.Errorf("event %q tags %v", ev.Message, ev.Tags)
	}
	var msgs []string
	for _, b := range ev.Breadcrumbs {
		msgs = append(msgs, b.Message)
		if r, ok := b.Data["route"]; ok && r != "/checkout" {
			t.Errorf("breadcrumb of another request: %v", b.Data)
		}
	}
	if len(msgs) != 3 || msgs[0] != "request started" || msgs[2] != "warehouse query" {
		t.Errorf("breadcrumbs = %q", msgs)
	}
	if len(ev.Exception) != 2 || ev.Exception[0].Value != "out of stock" {
		t.Errorf("exceptions = %+v", ev.Exception)
	}
}
