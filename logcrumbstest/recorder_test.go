package logcrumbstest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestEveryLoggerInParallel: a recorder per parallel test, each test
// logging the same lines through one of the three loggers: each sees its
// own events only, none deduplicated away.
func TestEveryLoggerInParallel(t *testing.T) {
	for _, logger := range []string{"slog", "zap", "zerolog"} {
		t.Run(logger, func(t *testing.T) {
			t.Parallel()
			for range 20 {
				rec := logcrumbstest.New(t)
				ctx := rec.Context(context.Background())
				logStory(ctx, logger, rec)
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

// logStory logs the same two records through the named logger.
func logStory(ctx context.Context, logger string, rec *logcrumbstest.Recorder) {
	err := fmt.Errorf("charge: %w", errors.New("declined"))
	switch logger {
	case "slog":
		l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		l.InfoContext(ctx, "cart loaded")
		l.ErrorContext(ctx, "charge failed", "order", "A-1", "err", err)
	case "zap":
		_, l := zapsentry.WithContext(ctx, zap.New(zapsentry.NewCore(zapsentry.Options{Options: rec.Options()})))
		l.Info("cart loaded")
		l.Error("charge failed", zap.String("order", "A-1"), zap.Error(err))
	case "zerolog":
		_, l := zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()})))
		l.Info().Msg("cart loaded")
		l.Error().Str("order", "A-1").Err(err).Msg("charge failed")
	}
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
