package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestRepeatsSinceTheFirstRepeat: the summary of a fingerprint's repeats
// (deduplicated events of other units of work within the window) says how
// many there were and since when: the time of the first of them, not of
// the last.
func TestRepeatsSinceTheFirstRepeat(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	errDown := errors.New("down " + t.Name())
	logRequest := func() {
		logger.ErrorContext(rec.Context(context.Background()), "fetch failed", "err", errDown)
	}
	logRequest() // the event
	beforeFirst := time.Now()
	logRequest() // the first repeat
	afterFirst := time.Now()
	time.Sleep(20 * time.Millisecond)
	logRequest() // the second
	logcrumbs.Flush(time.Second)
	evs := rec.Events()
	if len(evs) != 2 || repeatsOf(evs[1]) != 2 {
		t.Fatalf("%d events, want the event and a summary of 2 repeats", len(evs))
	}
	since, err := time.Parse(time.RFC3339Nano, evs[1].Contexts["logcrumbs"]["repeats_since"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if since.Before(beforeFirst.Truncate(time.Microsecond)) || since.After(afterFirst) {
		t.Errorf("repeats_since %v, want the first repeat's time, %v to %v", since, beforeFirst, afterFirst)
	}
}
