package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// repeatsOf returns the repeats an event reports.
func repeatsOf(ev logcrumbstest.Event) int {
	n, _ := ev.Contexts["logcrumbs"]["repeats"].(int)
	return n
}

// TestDedupeHotLoop: the same error logged 10,000 times from one line is a
// handful of events; every repeat is counted on a later event of its
// fingerprint or on the summary Flush sends, none lost.
func TestDedupeHotLoop(t *testing.T) {
	const n, window = 10000, 200 * time.Millisecond
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, DedupeWindow: window},
	}))
	before := logcrumbs.Stats()
	ctx := logcrumbs.NewContext(context.Background())
	start := time.Now()
	for i := range n {
		logger.ErrorContext(ctx, "poll failed", "err", fmt.Errorf("poll %d: %w", i, errors.New("timeout")))
		if i > 0 && i%2500 == 0 {
			time.Sleep(250 * time.Millisecond) // let the window pass: a new event
		}
	}
	// At least one event per window the sleeps let pass, and at most one
	// per window the loop lasted (a loaded machine, or the race detector,
	// makes the loop outlast more windows), and the first.
	most := int(time.Since(start)/window) + 1
	sent := len(rec.Events())
	if sent < 4 || sent > most {
		t.Errorf("%d events from %d records in %v, want 4 to %d: a handful", sent, n, time.Since(start), most)
	}
	if !logcrumbs.Flush(time.Second) {
		t.Error("Flush timed out")
	}
	events := rec.Events()
	if len(events) != sent+1 {
		t.Fatalf("Flush sent %d events, want 1 summary", len(events)-sent)
	}
	total := 0
	for _, ev := range events {
		total += repeatsOf(ev)
	}
	if total+sent != n {
		t.Errorf("%d events + %d repeats counted = %d, want %d", sent, total, total+sent, n)
	}
	after := logcrumbs.Stats()
	if d := after.EventsDeduplicated - before.EventsDeduplicated; d != uint64(n-sent) {
		t.Errorf("Stats: %d deduplicated, want %d", d, n-sent)
	}
	if summary := events[len(events)-1]; summary.Level != sentry.LevelError || repeatsOf(summary) == 0 {
		t.Errorf("summary = %q %+v", summary.Message, summary.Contexts)
	}
}

// TestDedupeByUserFingerprint: with FingerprintKey, the user's fingerprint
// decides what is the same event, wherever it is logged.
func TestDedupeByUserFingerprint(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, FingerprintKey: "fp"},
	}))
	logger.Error("one place", "fp", "db-down "+t.Name())
	logger.Error("another place", "fp", "db-down "+t.Name())
	logger.Error("a third", "fp", "other "+t.Name())
	if n := len(rec.Events()); n != 2 {
		t.Errorf("%d events, want 2", n)
	}
}

// TestRateLimit: past the process-wide rate, events are dropped and counted,
// and their records stay breadcrumbs.
func TestRateLimit(t *testing.T) {
	logcrumbs.SetRateLimit(1, 5)
	t.Cleanup(func() { logcrumbs.SetRateLimit(10, 100) }) // the default
	rec := logcrumbstest.NewRateLimited(t)                // held to SetRateLimit
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	before := logcrumbs.Stats()
	ctx := logcrumbs.NewContext(context.Background())
	for i := range 20 {
		logger.ErrorContext(ctx, fmt.Sprintf("distinct failure %d", i)) // 20 fingerprints
	}
	if n := len(rec.Events()); n != 5 {
		t.Errorf("%d events, want the burst of 5", n)
	}
	if d := logcrumbs.Stats().EventsRateLimited - before.EventsRateLimited; d != 15 {
		t.Errorf("Stats: %d rate-limited, want 15", d)
	}
	if n := logcrumbs.FromContext(ctx).Len(); n != 20 {
		t.Errorf("the trail has %d records, want all 20", n)
	}
}

// TestStatsCountUserPanics: a panicking String method is counted.
func TestStatsCountUserPanics(t *testing.T) {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	before := logcrumbs.Stats().UserPanics
	logger.InfoContext(logcrumbs.NewContext(context.Background()), "x", "v", panicky{})
	if d := logcrumbs.Stats().UserPanics - before; d != 1 {
		t.Errorf("%d user panics counted, want 1", d)
	}
}

type panicky struct{}

func (panicky) String() string { panic("no") }

// TestStatsCountBreadcrumbs: the breadcrumbs of a unit of work are counted
// by the time it ends (trails add their counts in batches).
func TestStatsCountBreadcrumbs(t *testing.T) {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	before := logcrumbs.Stats()
	ctx := logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(2))
	_ = logcrumbs.RunJob(ctx, "count", logcrumbs.JobOptions{Child: true}, func(ctx context.Context) error {
		for range 5 {
			logger.InfoContext(ctx, "step")
		}
		return nil
	})
	after := logcrumbs.Stats()
	if k, d := after.BreadcrumbsKept-before.BreadcrumbsKept, after.BreadcrumbsDropped-before.BreadcrumbsDropped; k != 5 || d != 3 {
		t.Errorf("kept %d, dropped %d; want 5 and 3", k, d)
	}
}

// TestDedupeTellsCallSitesApart: the same error type logged from two lines
// is two events, however often each line runs, and a deep stack at the log
// call does not change what counts as its call site.
func TestDedupeTellsCallSitesApart(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute},
	}))
	ctx := logcrumbs.NewContext(context.Background())
	for i := range 50 {
		logger.ErrorContext(ctx, "read failed", "err", fmt.Errorf("read %d: %w", i, errors.New("eof")))
		logger.ErrorContext(ctx, "write failed", "err", fmt.Errorf("write %d: %w", i, errors.New("eof")))
		deep(40, func() { // one more site, logged from 40 frames down
			logger.ErrorContext(ctx, "deep failed", "err", fmt.Errorf("deep %d: %w", i, errors.New("eof")))
		})
	}
	var got []string
	for _, ev := range rec.Events() {
		got = append(got, ev.Message)
	}
	if len(got) != 3 || got[0] != "read failed" || got[1] != "write failed" || got[2] != "deep failed" {
		t.Errorf("events %q, want one per call site: read failed, write failed, deep failed", got)
	}
}

// deep calls f n frames further down the stack.
func deep(n int, f func()) {
	if n == 0 {
		f()
		return
	}
	deep(n-1, f)
}

// TestDedupeEmptyFingerprintFallsBackOnCallSite: a FingerprintKey attribute
// that is an empty list is no fingerprint: call sites still tell events
// apart.
func TestDedupeEmptyFingerprintFallsBackOnCallSite(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, FingerprintKey: "fp", DedupeWindow: time.Minute},
	}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.ErrorContext(ctx, "read failed", "err", errors.New("a"), "fp", []string{})
	logger.ErrorContext(ctx, "write failed", "err", errors.New("b"), "fp", []string{})
	if n := len(rec.Events()); n != 2 {
		t.Errorf("%d events from two call sites, want 2", n)
	}
}

// TestDedupeConcurrentRequests: the same error logged from one line by many
// requests at once (a database goes down) is one event within the window;
// every other record is a counted repeat. (Found by review: the fingerprint
// was recorded only after the event was built, so requests that logged
// meanwhile sent events of their own, 2 in 3 runs.)
func TestDedupeConcurrentRequests(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute},
	}))
	const n = 64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := logcrumbs.NewContext(context.Background())
			<-start
			logger.ErrorContext(ctx, "query failed", "err", fmt.Errorf("req %d: %w", i, errors.New("db down")))
		}()
	}
	close(start)
	wg.Wait()
	sent := len(rec.Events())
	logcrumbs.Flush(time.Second)
	repeats := 0
	for _, ev := range rec.Events() {
		repeats += repeatsOf(ev)
	}
	if sent != 1 || sent+repeats != n {
		t.Errorf("%d events sent and %d repeats counted for %d concurrent records of one fingerprint, want 1 and %d", sent, repeats, n, n-1)
	}
}

// TestBreadcrumbsNameOnlySentEvents: a record whose event was deduplicated
// or rate-limited does not leave the trail naming an event that was never
// sent: an upper layer logging the same error names the event that stands
// for it (the earlier one), and after a rate-limited drop it is sent.
func TestBreadcrumbsNameOnlySentEvents(t *testing.T) {
	rec := logcrumbstest.NewRateLimited(t) // its second half is held to SetRateLimit
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute}}))
	lower := func(ctx context.Context, err error) { logger.ErrorContext(ctx, "query failed", "err", err) }
	lower(logcrumbs.NewContext(context.Background()), errors.New("db down")) // request 1: sent
	ctx := logcrumbs.NewContext(context.Background())                        // request 2
	err := errors.New("db down")
	lower(ctx, err)                                                                    // a repeat of request 1's
	logger.ErrorContext(ctx, "handler failed", "err", fmt.Errorf("checkout: %w", err)) // upper layer: capture once
	sent := map[string]bool{}
	for _, ev := range rec.Events() {
		sent[string(ev.EventID)] = true
	}
	if len(sent) != 1 {
		t.Fatalf("%d events, want request 1's only", len(sent))
	}
	for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		if id, ok := b.Data["sentry.event_id"].(string); ok && !sent[id] {
			t.Errorf("breadcrumb %q names event %s, which was never sent", b.Message, id)
		}
	}

	logcrumbs.SetRateLimit(1, 1)
	t.Cleanup(func() { logcrumbs.SetRateLimit(10, 100) }) // the default
	rec.Reset()
	ctx = logcrumbs.NewContext(context.Background())
	logger.ErrorContext(ctx, "takes the only token", "err", errors.New("first"))
	limited := errors.New("second")
	logger.ErrorContext(ctx, "rate-limited", "err", limited)
	time.Sleep(1100 * time.Millisecond) // a token again
	logger.ErrorContext(ctx, "upper layer", "err", fmt.Errorf("wrapped: %w", limited))
	if got := messagesOf(rec.Events()); got != "takes the only token,upper layer" {
		t.Errorf("events %q: the rate-limited error, logged again, must be sent", got)
	}
}

func messagesOf(events []logcrumbstest.Event) string {
	var out []string
	for _, ev := range events {
		out = append(out, ev.Message)
	}
	return strings.Join(out, ",")
}

// fillWithRepeats logs n errors of distinct fingerprints (logger's
// FingerprintKey "fp"), each in a unit of its own and logged twice there,
// the second a capture-once repeat that waits for Flush or the next event.
func fillWithRepeats(t *testing.T, logger *slog.Logger, n int) {
	t.Helper()
	for i := range n {
		ctx := logcrumbs.NewContext(context.Background())
		err := fmt.Errorf("job %d: %w", i, errors.New("timeout"))
		for range 2 { // the second one a repeat (capture once)
			logger.ErrorContext(ctx, "job failed", "err", err, "fp", fmt.Sprint(t.Name(), i))
		}
	}
}

// TestDedupeFullTableMakesRoom: a long-running program that calls Flush
// only as it exits fills the dedupe table with fingerprints whose repeats
// wait for it; once their window has passed, they make room for new
// fingerprints, which are deduplicated again, and their repeats are sent
// as Flush would have. (Before, three records of a new error were three
// events.)
func TestDedupeFullTableMakesRoom(t *testing.T) {
	const n, window = 4096, 300 * time.Millisecond
	// The entries earlier tests left make room: Flush reports their
	// repeats, and the first event after a window sweeps them.
	logcrumbs.Flush(time.Second)
	time.Sleep(window)
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: window, FingerprintKey: "fp"},
	}))
	fillWithRepeats(t, logger, n)
	time.Sleep(window + window/2)
	rec.Reset()
	for range 3 {
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), "sync failed", "err", errors.New("refused"))
	}
	var events, summaries []logcrumbstest.Event
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		events, summaries = events[:0], summaries[:0]
		for _, ev := range rec.Events() {
			if ev.Tags["logcrumbs.summary"] == "true" {
				summaries = append(summaries, ev)
			} else {
				events = append(events, ev)
			}
		}
		if len(summaries) >= n {
			break
		}
	}
	if len(events) != 1 {
		t.Errorf("%d events of one error logged 3 times after %d fingerprints with repeats pending filled the dedupe table; want 1", len(events), n)
	}
	repeats := 0
	for _, ev := range summaries {
		repeats += repeatsOf(ev)
	}
	if len(summaries) != n || repeats != n {
		t.Errorf("%d summaries of %d repeats sent to make room, want %d of 1 each", len(summaries), repeats, n)
	}
	logcrumbs.Flush(time.Second)
}

// TestFlushAwaitsSummariesSentToMakeRoom: the summaries a full dedupe
// table sends in the background to make room count for Flush as the ones
// it sends itself: Flush is false while they are still being handed over
// (a slow BeforeSend, a synchronous transport), and true only once they
// were, so that a program that calls Flush and exits loses none.
func TestFlushAwaitsSummariesSentToMakeRoom(t *testing.T) {
	const n, window = 4096, 300 * time.Millisecond
	logcrumbs.Flush(time.Second)
	time.Sleep(window)
	release := make(chan struct{})
	var releaseOnce sync.Once
	releaseAll := func() { releaseOnce.Do(func() { close(release) }) }
	defer releaseAll()
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if ev.Tags["logcrumbs.summary"] == "true" {
				select { // a slow BeforeSend: the summaries wait for the test
				case <-release:
				case <-time.After(10 * time.Second):
				}
			}
			return ev
		}
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: window, FingerprintKey: "fp"},
	}))
	fillWithRepeats(t, logger, n)
	time.Sleep(window + window/2)
	// A new error makes room: the table's summaries go out in the background.
	logger.ErrorContext(logcrumbs.NewContext(context.Background()), "sync failed", "err", errors.New("refused"))
	if logcrumbs.Flush(100 * time.Millisecond) {
		t.Error("Flush = true while the summaries sent to make room were still being handed over; want false (timed out)")
	}
	releaseAll()
	if !logcrumbs.Flush(10 * time.Second) {
		t.Error("Flush = false once the summaries could go; want true")
	}
	summaries := 0
	for _, ev := range rec.Events() {
		if ev.Tags["logcrumbs.summary"] == "true" {
			summaries++
		}
	}
	if summaries != n {
		t.Errorf("%d summaries handed over when Flush returned true, want %d: the rest are lost if the program exits", summaries, n)
	}
}
