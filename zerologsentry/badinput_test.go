package zerologsentry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

type node struct{ Next *node }

// TestBadInput: malformed raw JSON, deep nesting, huge and invalid values,
// and values zerolog cannot encode give clear breadcrumbs and never a panic.
func TestBadInput(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	_, log := zerologsentry.WithContext(context.Background(), logger)
	cyclic := &node{}
	cyclic.Next = cyclic
	huge := strings.Repeat("é", 1<<20)

	log.Info().Str("before", "kept").RawJSON("broken", []byte(`{"a": [1, 2`)).Str("after", "lost").Msg("malformed")
	log.Info().RawJSON("deep", []byte(strings.Repeat(`{"a":`, 100)+"1"+strings.Repeat("}", 100))).Msg("deep")
	log.Info().Str("big", huge).Bytes("bad", []byte{0xff, 'a', 0xfe}).Interface("cyclic", cyclic).
		RawJSON("inf", []byte("1e999")).Msg(huge)
	log.Error().Msg("failed")

	bs := rec.OnlyEvent().Event.Breadcrumbs
	if len(bs) != 3 {
		t.Fatalf("%d breadcrumbs, want 3", len(bs))
	}
	if d := bs[0].Data; d["before"] != "kept" {
		t.Errorf("malformed JSON lost the fields before it: %#v", d)
	}
	// Past 32 levels the rest is kept as JSON text, decoded when sent: all
	// 100 levels arrive.
	deep, levels := bs[1].Data["deep"], 0
	for m, ok := deep.(map[string]any); ok; m, ok = deep.(map[string]any) {
		deep, levels = m["a"], levels+1
	}
	if levels != 100 || fmt.Sprint(deep) != "1" {
		t.Errorf("deep nesting arrived as %d levels ending in %#v", levels, deep)
	}
	d := bs[2].Data
	if s, _ := d["big"].(string); len(s) > 1<<10+len("…") || !strings.HasSuffix(s, "…") {
		t.Errorf("huge value kept %d bytes", len(s))
	}
	if len(bs[2].Message) > 1<<10+len("…") {
		t.Errorf("huge message kept %d bytes", len(bs[2].Message))
	}
	if s, _ := d["bad"].(string); !utf8.ValidString(s) || !strings.Contains(s, "a") {
		t.Errorf("invalid UTF-8 = %q", d["bad"])
	}
	if s, _ := d["cyclic"].(string); !strings.Contains(s, "marshaling error") {
		t.Errorf("cyclic value = %#v, want zerolog's marshaling error text", d["cyclic"])
	}
	if _, ok := d["inf"]; !ok {
		t.Errorf("1e999 lost: %#v", d)
	}
}
