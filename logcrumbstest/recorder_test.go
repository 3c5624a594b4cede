package logcrumbstest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestRecordersInParallel: a recorder per parallel test, each test logging
// the same lines: each sees its own events only, none deduplicated away.
// The recorder's isolation is logger-neutral (its own client, hub and
// dedupe window), so three parallel slog tests prove it; that zap and
// zerolog events carry the same contents is the conformance suite's
// EventContents, run by each adapter's module.
func TestRecordersInParallel(t *testing.T) {
	for _, name := range []string{"a", "b", "c"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for range 20 {
				rec := logcrumbstest.New(t)
				ctx := rec.Context(context.Background())
				logStory(ctx, rec)
				ev := rec.WaitEvents(1, time.Second)[0]
				if len(rec.Events()) != 1 {
					t.Fatalf("%d events, want this test's 1", len(rec.Events()))
				}
				if ev.Message != "charge failed" || ev.Level != sentry.LevelError {
					t.Errorf("event = %q %q", ev.Message, ev.Level)
				}
				if got := ev.BreadcrumbMessages(); !slices.Equal(got, []string{"cart loaded"}) {
					t.Errorf("breadcrumbs = %v", got)
				}
				if ex := ev.Exceptions(); len(ex) < 1 || ex[0].Value != "charge: declined" {
					t.Errorf("exceptions = %+v", ex)
				}
				if ev.LogContext()["order"] != "A-1" {
					t.Errorf("log context = %v", ev.LogContext())
				}
			}
		})
	}
}

// logStory logs the same two records through slog.
func logStory(ctx context.Context, rec *logcrumbstest.Recorder) {
	err := fmt.Errorf("charge: %w", errors.New("declined"))
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	l.InfoContext(ctx, "cart loaded")
	l.ErrorContext(ctx, "charge failed", "order", "A-1", "err", err)
}

func TestFilterAndReset(t *testing.T) {
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), EventLevel: slog.LevelWarn}))
	ctx := rec.Context(context.Background())
	l.WarnContext(ctx, "slow query")
	l.ErrorContext(ctx, "query failed")
	if n := len(rec.Filter(logcrumbstest.AtLevel(sentry.LevelWarning))); n != 1 {
		t.Errorf("%d warnings", n)
	}
	if n := len(rec.Filter(logcrumbstest.WithMessage("query"))); n != 2 {
		t.Errorf("%d events about a query", n)
	}
	rec.Reset()
	if n := len(rec.Events()); n != 0 {
		t.Errorf("%d events after Reset", n)
	}
}

// TestWaitEventsFromAnotherGoroutine: WaitEvents waits for events logged
// later, elsewhere.
func TestWaitEventsFromAnotherGoroutine(t *testing.T) {
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	go func() {
		time.Sleep(20 * time.Millisecond)
		l.ErrorContext(ctx, "late")
	}()
	if evs := rec.WaitEvents(1, 5*time.Second); evs[0].Message != "late" {
		t.Errorf("got %q", evs[0].Message)
	}
}

// TestWaitEventsFails: WaitEvents fails the test when the events do not come.
func TestWaitEventsFails(t *testing.T) {
	ft := &fakeT{TB: t}
	rec := logcrumbstest.New(ft)
	done := make(chan struct{})
	go func() { // Fatalf ends the goroutine, as in a real test
		defer close(done)
		rec.WaitEvents(1, 10*time.Millisecond)
	}()
	<-done
	if !ft.failed {
		t.Error("WaitEvents did not fail the test")
	}
}

type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(string, ...any) {
	f.failed = true
	runtime.Goexit()
}

// TestOnlyEvent: OnlyEvent returns the one event, and fails the test when
// there are none or two.
func TestOnlyEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	l.ErrorContext(ctx, "first")
	if ev := rec.OnlyEvent(); ev.Message != "first" {
		t.Errorf("OnlyEvent = %q", ev.Message)
	}
	for n, log := range map[int]func(){0: func() {}, 2: func() { l.ErrorContext(ctx, "second") }} {
		ft := &fakeT{TB: t}
		rec := logcrumbstest.New(ft)
		l = slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx = rec.Context(context.Background())
		if n == 2 {
			l.ErrorContext(ctx, "first")
		}
		log()
		done := make(chan struct{})
		go func() {
			defer close(done)
			rec.OnlyEvent()
		}()
		<-done
		if !ft.failed {
			t.Errorf("%d events: OnlyEvent did not fail the test", n)
		}
	}
}

// TestSent: Sent holds what Events leaves out, in arrival order: here a
// Sentry Logs batch of a pass-through record after the event.
func TestSent(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.PassThroughLevel = sentry.LevelInfo
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := rec.Context(context.Background())
	l.ErrorContext(ctx, "charge failed")
	l.InfoContext(ctx, "retrying")
	rec.Hub().Flush(time.Second)
	sent := rec.Sent()
	if len(sent) != 2 || sent[0].Message != "charge failed" || sent[1].Type != "log" ||
		len(sent[1].Logs) != 1 || sent[1].Logs[0].Body != "retrying" {
		t.Fatalf("sent = %+v", sent)
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want the error only", n)
	}
	rec.Reset()
	if n := len(rec.Sent()); n != 0 {
		t.Errorf("Sent keeps %d after Reset", n)
	}
}

// TestNewRateLimited: a NewRateLimited recorder's client is held to the
// process-wide rate limit; New's is not.
func TestNewRateLimited(t *testing.T) {
	logcrumbs.SetRateLimit(1, 2)
	t.Cleanup(func() { logcrumbs.SetRateLimit(10, 100) }) // the default
	for _, c := range []struct {
		new  func(testing.TB, ...func(*sentry.ClientOptions)) *logcrumbstest.Recorder
		want int
	}{{logcrumbstest.NewRateLimited, 2}, {logcrumbstest.New, 5}} {
		rec := c.new(t)
		l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		for i := range 5 {
			l.ErrorContext(ctx, fmt.Sprintf("distinct failure %d", i))
		}
		if n := len(rec.Events()); n != c.want {
			t.Errorf("%d events, want %d", n, c.want)
		}
	}
}

// TestNewSkipsNilConfigure: a nil configure (a test table's case without
// client options) is skipped, not called.
func TestNewSkipsNilConfigure(t *testing.T) {
	var none func(*sentry.ClientOptions)
	rec := logcrumbstest.New(t, none, func(o *sentry.ClientOptions) { o.MaxBreadcrumbs = 7 })
	if got := rec.Hub().Client().Options().MaxBreadcrumbs; got != 7 {
		t.Errorf("MaxBreadcrumbs = %d, want the configured 7", got)
	}
}

// TestLogs: Logs flushes the client and returns the Sentry Logs entries
// sent, in order, leaving events out.
func TestLogs(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := sentry.NewLogger(sentry.SetHubOnContext(context.Background(), rec.Hub()))
	logger.Info().String("k", "v").Emit("first")
	logger.Warn().Emit("second")
	rec.Hub().CaptureMessage("an event")
	logs := rec.Logs()
	if len(logs) != 2 || logs[0].Body != "first" || logs[1].Body != "second" || logs[1].Level != sentry.LogLevelWarn {
		t.Fatalf("logs %+v, want first (info) and second (warn)", logs)
	}
	if v, ok := logs[0].Attributes["k"]; !ok || v.AsString() != "v" {
		t.Errorf("attribute k = %v, want v", v)
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}

// TestLogsAfterTheTestEnded: a Recorder read after its test's cleanup
// closed its client (a parent test checking what its subtests sent)
// returns the logs the close sent at once; it waited Flush's 2 seconds for
// the closed client.
func TestLogsAfterTheTestEnded(t *testing.T) {
	var rec *logcrumbstest.Recorder
	t.Run("inner", func(t *testing.T) {
		rec = logcrumbstest.New(t)
		l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelInfo}))
		l.InfoContext(rec.Context(context.Background()), "hello")
	})
	start := time.Now()
	logs := rec.Logs()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Logs after the test ended took %v, want at once", d)
	}
	if len(logs) != 1 || logs[0].Body != "hello" {
		t.Errorf("logs %+v, want the one sent before the test ended", logs)
	}
}
