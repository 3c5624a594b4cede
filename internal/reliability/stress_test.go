package reliability

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestStressAllLoggersOneContext is for the race detector (scripts/test runs
// it with -race): 16 requests side by side, each logging from 3 goroutines
// per logger at once, through slog, zap and zerolog, into one context; each
// request's event carries exactly its 90 breadcrumbs.
func TestStressAllLoggersOneContext(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	sl := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	zl := zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts}))
	zero := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts}))
	const requests, perLogger, records = 16, 3, 10
	var all sync.WaitGroup
	for r := range requests {
		all.Add(1)
		go func() {
			defer all.Done()
			ctx := logcrumbs.NewContext(context.Background())
			_, z := zapsentry.WithContext(ctx, zl.With(zap.Int("req", r)))
			_, zr := zerologsentry.WithContext(ctx, zero.With().Int("req", r).Logger())
			var wg sync.WaitGroup
			for range perLogger {
				wg.Add(3)
				go func() {
					defer wg.Done()
					for range records {
						sl.InfoContext(ctx, "slog", "req", r)
					}
				}()
				go func() {
					defer wg.Done()
					for range records {
						z.Info("zap")
					}
				}()
				go func() {
					defer wg.Done()
					for range records {
						zr.Info().Msg("zerolog")
					}
				}()
			}
			wg.Wait()
			sl.ErrorContext(ctx, "failed", "req", r, "err", errors.New("boom"))
		}()
	}
	all.Wait()
	events := rec.Events()
	if len(events) != requests {
		t.Fatalf("%d events, want %d", len(events), requests)
	}
	for _, ev := range events {
		if n := len(ev.Breadcrumbs()); n != 3*perLogger*records {
			t.Errorf("an event has %d breadcrumbs, want %d", n, 3*perLogger*records)
		}
		for _, b := range ev.Breadcrumbs() {
			if b.Data["req"] != ev.LogContext()["req"] {
				t.Fatalf("request %v's event carries request %v's breadcrumb", ev.LogContext()["req"], b.Data["req"])
			}
		}
	}
}
