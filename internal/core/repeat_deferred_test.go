package core_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// encodedErrs are the errors an encoded "error=text" field stands for, by
// text, as a logger that encodes its fields knows them (zerolog's
// ErrorMarshalFunc).
var encodedErrs = map[string]error{"card declined": errors.New("card declined"), "out of stock": errors.New("out of stock")}

// parsePairs is a Parser for "k=v,k=v", every value a string.
func parsePairs(rec *core.Record, raw []byte) {
	for kv := range strings.SplitSeq(string(raw), ",") {
		k, v, _ := strings.Cut(kv, "=")
		rec.AddText(core.KindString, k, v)
	}
}

// scanPairs is parsePairs' ErrorScan: the error of an "error" field.
func scanPairs(raw []byte, errs *[]error, _ int) {
	for kv := range strings.SplitSeq(string(raw), ",") {
		if k, v, _ := strings.Cut(kv, "="); k == "error" {
			*errs = append(*errs, encodedErrs[v])
		}
	}
}

// TestSkippedRepeatWritesNoField: with a Parser and an ErrorScan, an error
// record that capture-once skips, on a trail that skipped one already
// (escalate's MayRepeat), has its errors scanned, and its fields are not
// written: its breadcrumb keeps them encoded, and reads as those of the
// event it repeats and of the first repeat (both built with their fields
// written), the same earlier event named.
func TestSkippedRepeatWritesNoField(t *testing.T) {
	rec := logcrumbstest.New(t)
	c := core.New(rec.Options(), "test", 0).WithParser(parsePairs).WithErrorScan(scanPairs)
	ctx := rec.Context(context.Background())
	written := 0
	log := func(text string) {
		raw := []byte("path=/cart,error=" + text)
		enc := core.Encoder{Raw: raw, Fields: func(r *core.Record, errs *[]error) {
			written++
			parsePairs(r, raw)
			if errs != nil {
				*errs = append(*errs, encodedErrs[text])
			}
		}}
		ent := core.Entry{Time: time.Now(), Level: core.LevelOf(8, -4, 0, 4, 8, 12), Message: "checkout failed"}
		c.Log(ctx, core.Event, &ent, nil, &enc)
	}
	log("card declined")
	log("card declined") // the trail's first repeat: written, then skipped
	log("card declined") // skipped, unwritten
	if written != 2 {
		t.Fatalf("fields written %d times, want 2 (the event's and the first repeat's, not the second's)", written)
	}
	log("out of stock") // sent, with the three in its trail
	events := rec.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	crumbs := events[1].Breadcrumbs()
	if len(crumbs) != 3 {
		t.Fatalf("%d breadcrumbs, want 3", len(crumbs))
	}
	if last := crumbs[2]; last.Data["sentry.event_id"] != string(events[0].EventID) || last.Data["path"] != "/cart" {
		t.Errorf("the unwritten repeat's breadcrumb: %v, want path and the first event's id", last.Data)
	}
	for i, c := range crumbs[:2] {
		if !reflect.DeepEqual(c, crumbs[2]) {
			t.Errorf("the unwritten repeat's breadcrumb:\n%+v\nbreadcrumb %d, written:\n%+v", crumbs[2], i, c)
		}
	}
}

// TestExactTime: an event record's Entry.Exact gives its time, the
// event's and its breadcrumb's, once for each record built (zerologsentry's
// TestSkippedRepeatTimedAsBreadcrumb: not for a repeat capture-once skips).
func TestExactTime(t *testing.T) {
	rec := logcrumbstest.New(t)
	c := core.New(rec.Options(), "test", 0).WithParser(parsePairs).WithErrorScan(scanPairs)
	ctx := rec.Context(context.Background())
	given := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	exact := given.Add(time.Hour)
	calls := 0
	for _, text := range []string{"card declined", "out of stock"} {
		raw := []byte("path=/cart,error=" + text)
		enc := core.Encoder{Raw: raw, Fields: func(r *core.Record, errs *[]error) {
			parsePairs(r, raw)
			if errs != nil {
				*errs = append(*errs, encodedErrs[text])
			}
		}}
		ent := core.Entry{Time: given, Level: core.LevelOf(8, -4, 0, 4, 8, 12), Message: "checkout failed"}
		ent.Exact = func() (time.Time, time.Duration) { calls++; return exact, 0 }
		c.Log(ctx, core.Event, &ent, nil, &enc)
	}
	if calls != 2 {
		t.Errorf("Exact called %d times, want 2", calls)
	}
	events := rec.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	for i, ev := range events {
		if !ev.Timestamp.Equal(exact) {
			t.Errorf("event %d at %v, want Exact's %v", i, ev.Timestamp, exact)
		}
	}
	if crumbs := events[1].Event.Breadcrumbs; len(crumbs) != 1 || !crumbs[0].Timestamp.Equal(exact) {
		t.Errorf("breadcrumbs %+v, want the first event's, at %v", crumbs, exact)
	}
}
