package zerologsentry_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestScalarsAndErrorsThroughHookAndWriter: the scalars zerolog writes
// (integers either side of 18 digits and at int64's bounds, booleans, null,
// durations) reach a breadcrumb's Data and an event's log context with
// their JSON types, and the errors of an event, and of a record EscalateIf
// escalates, are gathered, through both the Hook and the Writer.
func TestScalarsAndErrorsThroughHookAndWriter(t *testing.T) {
	for _, via := range []string{"hook", "writer"} {
		t.Run(via, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1,
				EscalateIf: func(r logcrumbs.Record) bool { return r.Message() == "escalate me" }}}
			var l zerolog.Logger
			if via == "hook" {
				l = zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts))
			} else {
				l = zerolog.New(zerologsentry.NewWriter(io.Discard, opts))
			}
			fields := func(e *zerolog.Event) *zerolog.Event {
				return e.Int("i", -42).Int64("i18", -999999999999999999).Int64("i19", 1000000000000000000).
					Int64("imin", math.MinInt64).Uint64("umax", math.MaxUint64).Int("zero", 0).
					Bool("t", true).Bool("f", false).Interface("n", nil).Dur("d", 3*time.Millisecond).
					Float64("x", 1.5).Ints("is", []int{1, -2}).Dict("o", zerolog.Dict().Int("a", 7).Interface("b", nil)).
					Str("s", `ab"cdefg\h`)
			}
			const want = `{"d":3,"f":false,"i":-42,"i18":-999999999999999999,"i19":1000000000000000000,` +
				`"imin":-9223372036854775808,"is":[1,-2],"n":null,"o":{"a":7,"b":null},"s":"ab\"cdefg\\h",` +
				`"t":true,"umax":18446744073709551615,"x":1.5,"zero":0}`
			fields(l.Info()).Msg("crumb")
			fields(l.Warn()).Err(errors.New("warned")).Msg("escalate me")
			fields(l.Error()).Err(errors.New("failed")).Msg("the event")
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events", len(evs))
			}
			for i, msg := range []string{"warned", "failed"} {
				ex := evs[i].Exceptions()
				if len(ex) == 0 || ex[0].Value != msg {
					t.Errorf("event %d (%q): exceptions %+v, want %q", i, evs[i].Message, ex, msg)
				}
				lc := evs[i].LogContext()
				delete(lc, "error")
				if got, _ := json.Marshal(lc); string(got) != want {
					t.Errorf("event %d's log context\n%s, want\n%s", i, got, want)
				}
			}
			// The trail a logger without a context keeps may hold other
			// tests' records: this test's breadcrumb is the last "crumb".
			bcs := evs[1].Breadcrumbs()
			last := -1
			for i, bc := range bcs {
				if bc.Message == "crumb" {
					last = i
				}
			}
			if last < 0 {
				t.Fatalf("no breadcrumb \"crumb\" in %+v", bcs)
			}
			if got, _ := json.Marshal(bcs[last].Data); string(got) != want {
				t.Errorf("breadcrumb's Data\n%s, want\n%s", got, want)
			}
		})
	}
}

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
