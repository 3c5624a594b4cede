package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// LogsWholeValues: a record the integration's Logs level sends goes to
// Sentry Logs within the event limits, as an error record's log does (16
// KiB a value, 512 attributes by default), not cut to a breadcrumb's (1
// KiB, 64), which sentry-go's own integrations would not cut; the
// breadcrumb kept of it stays within the breadcrumb limits.
func testLogsWholeValues(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, nil)
	log := logger.Bind(rec.Context(context.Background()))
	query := strings.Repeat("SELECT 1; ", 300) // 3,000 bytes
	fields := []Field{{"query", query}}
	for i := range 99 {
		fields = append(fields, Field{fmt.Sprintf("a%02d", i), i})
	}
	log.Log(Info, "ran", fields...)
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	logs := rec.Logs()
	if len(logs) != 2 || logs[0].Body != "ran" {
		t.Fatalf("logs %q, want ran and failed", bodies(logs))
	}
	if got := logs[0].Attributes["query"].AsString(); got != query {
		t.Errorf("log's query: %d bytes, want the 3000 logged (%.40q...)", len(got), got)
	}
	for i := range 99 {
		if k := fmt.Sprintf("a%02d", i); logs[0].Attributes[k].AsInterface() != int64(i) {
			t.Errorf("log's %s = %v, want %d (attributes %d)", k, logs[0].Attributes[k].AsInterface(), i, len(logs[0].Attributes))
			break
		}
	}
	bcs := rec.OnlyEvent().Breadcrumbs()
	if len(bcs) == 0 {
		t.Fatal("no breadcrumbs")
	}
	b := bcs[len(bcs)-1]
	if b.Message != "ran" {
		t.Fatalf("last breadcrumb %q, want ran", b.Message)
	}
	if q, _ := b.Data["query"].(string); len(q) >= len(query) || len(q) > 1100 {
		t.Errorf("breadcrumb's query: %d bytes, want it cut to about 1 KiB (the breadcrumb limits)", len(q))
	}
	if len(b.Data) > 70 {
		t.Errorf("breadcrumb holds %d attributes, want at most 64 and logcrumbs' own", len(b.Data))
	}
}

// PassThroughWholeValues: a record Options.PassThroughLevel sends to
// Sentry Logs, once its unit sent an event, goes there within the event
// limits, as the Logs level sends it (LogsWholeValues), not cut to a
// breadcrumb's: the same record reads the same in Sentry Logs whichever
// option sent it; the breadcrumb kept of it stays within the breadcrumb
// limits.
func testPassThroughWholeValues(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.PassThroughLevel = sentry.LevelInfo })
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	query := strings.Repeat("SELECT 1; ", 300) // 3,000 bytes
	fields := []Field{{"query", query}}
	for i := range 99 {
		fields = append(fields, Field{fmt.Sprintf("a%02d", i), i})
	}
	log.Log(Info, "ran", fields...)
	log.Log(Error, "failed again", Field{"err", errors.New("bang " + t.Name())})
	var ran *sentry.Log
	for _, l := range rec.Logs() {
		if l.Body == "ran" {
			ran = &l
		}
	}
	if ran == nil {
		t.Fatalf("logs %q, want ran among them", bodies(rec.Logs()))
	}
	if got := ran.Attributes["query"].AsString(); got != query {
		t.Errorf("log's query: %d bytes, want the 3000 logged (%.40q...)", len(got), got)
	}
	for i := range 99 {
		if k := fmt.Sprintf("a%02d", i); ran.Attributes[k].AsInterface() != int64(i) {
			t.Errorf("log's %s = %v, want %d (attributes %d)", k, ran.Attributes[k].AsInterface(), i, len(ran.Attributes))
			break
		}
	}
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
	}
	bcs := evs[1].Breadcrumbs()
	if len(bcs) == 0 || bcs[len(bcs)-1].Message != "ran" {
		t.Fatalf("second event's breadcrumbs end with %v, want ran", bcs)
	}
	b := bcs[len(bcs)-1]
	if q, _ := b.Data["query"].(string); len(q) >= len(query) || len(q) > 1100 {
		t.Errorf("breadcrumb's query: %d bytes, want it cut to about 1 KiB (the breadcrumb limits)", len(q))
	}
	if len(b.Data) > 70 {
		t.Errorf("breadcrumb holds %d attributes, want at most 64 and logcrumbs' own", len(b.Data))
	}
}
