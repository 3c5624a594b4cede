package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestConcurrentDedupedRepeatsCounted: one unit of work sends an error's
// event; then the goroutines of other units log the same error value at
// once, again and again, from the same line, within DedupeWindow. Noise
// control deduplicates each unit's first record, and every other record
// of the unit is a capture-once repeat of it: no other event is sent,
// every record is a repeat of the first unit's event, counted once (the
// summary of Flush), and each of the units' breadcrumbs names that event,
// none an event that was never sent. A goroutine must not find the error
// under the ID its unit's first record took before noise control
// deduplicated it. The records race: rounds of new units are repeated
// (on e73a3ec, each of 20 runs failed within its first 15 rounds, 5 of
// them with -race). One client and one line make one fingerprint for the whole
// test: noise control keeps at most 4,096 for their window, and a round of
// its own each would fill them when the test runs again (-count).
func TestConcurrentDedupedRepeatsCounted(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	boom := errors.New("card declined")
	logChargeFailed(rec.Context(context.Background()), logger, boom)
	if n := len(rec.Events()); n != 1 {
		t.Fatalf("the first unit sent %d events, want 1", n)
	}
	sentID := string(rec.Events()[0].EventID)
	for round := range 200 {
		if msg := dedupedRepeatsRound(rec, logger, boom, sentID); msg != "" {
			t.Fatalf("round %d: %s", round, msg)
		}
	}
}

// logChargeFailed logs err from one line: one fingerprint.
func logChargeFailed(ctx context.Context, logger *slog.Logger, err error) {
	logger.ErrorContext(ctx, "charge failed", "err", err, "path", "/cart")
}

// dedupedRepeatsRound has the goroutines of new units log boom through
// logger, whose fingerprint's event sentID is (see
// TestConcurrentDedupedRepeatsCounted), and returns what went wrong, or "".
func dedupedRepeatsRound(rec *logcrumbstest.Recorder, logger *slog.Logger, boom error, sentID string) string {
	// Each unit keeps all its records: within the trail's 100.
	const units, goroutines, each = 4, 8, 12
	var ctxs []context.Context
	for range units {
		ctxs = append(ctxs, rec.Context(context.Background()))
	}
	before := len(rec.Events())
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, ctx := range ctxs {
		for range goroutines {
			wg.Go(func() {
				<-start
				for range each {
					logChargeFailed(ctx, logger, boom)
				}
			})
		}
	}
	close(start)
	wg.Wait()
	if n := len(rec.Events()) - before; n != 0 {
		return fmt.Sprintf("%d events sent, want none (repeats of the first unit's)", n)
	}
	logcrumbs.Flush(time.Second)
	repeats := 0
	for _, ev := range rec.Events()[before:] {
		repeats += repeatsOf(ev)
	}
	var problems []string
	if total := units * goroutines * each; repeats != total {
		problems = append(problems, fmt.Sprintf("%d repeats counted, of %d records", repeats, total))
	}
	for i, ctx := range ctxs {
		n, other := 0, map[string]int{}
		for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			if c.Message != "charge failed" {
				continue
			}
			n++
			if id, _ := c.Data["sentry.event_id"].(string); id != sentID {
				other[id]++
			}
		}
		if n != goroutines*each || len(other) > 0 {
			problems = append(problems, fmt.Sprintf("unit %d keeps %d breadcrumbs of %d records, naming another ID than the event sent (%s): %v", i, n, goroutines*each, sentID, other))
		}
	}
	if len(problems) == 0 {
		return ""
	}
	return fmt.Sprint(problems)
}
