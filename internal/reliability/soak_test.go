package reliability

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
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

var soak = flag.Bool("soak", false, "run the soak test with 1,000,000 requests (default: 20,000)")

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSoak: requests through the middleware from 64 workers, each logging
// through slog, zap or zerolog in turn, one in 50 failing. Every event
// carries only its own request's records; the live heap at the end is
// within a small bound of the heap after the first batch; no goroutine is
// left in logcrumbs. go test -run TestSoak -soak ./internal/reliability runs
// 1,000,000 requests.
func TestSoak(t *testing.T) {
	requests := 20000
	if *soak {
		requests = 1000000
	}
	const workers, batches = 64, 10
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	sl := slog.New(slogsentry.NewHandler(slog.NewJSONHandler(io.Discard, nil), slogsentry.Options{Options: opts}))
	zl := zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts}))
	zero := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts}))

	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id, _ := strconv.Atoi(r.URL.Query().Get("id"))
		fail := id%50 == 0
		switch id % 3 {
		case 0:
			for i := range 5 {
				sl.InfoContext(ctx, "step", "req", id, "i", i)
			}
			if fail {
				sl.ErrorContext(ctx, "failed", "req", id, "err", errors.New("boom"))
			}
		case 1:
			_, l := zapsentry.WithContext(ctx, zl.With(zap.Int("req", id)))
			for i := range 5 {
				l.Info("step", zap.Int("i", i))
			}
			if fail {
				l.Error("failed", zap.Error(errors.New("boom")))
			}
		case 2:
			_, l := zerologsentry.WithContext(ctx, zero.With().Int("req", id).Logger())
			for i := range 5 {
				l.Info().Int("i", i).Msg("step")
			}
			if fail {
				l.Error().Err(errors.New("boom")).Msg("failed")
			}
		}
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})(app)

	var first uint64
	perBatch := requests / batches
	for b := range batches {
		ids := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range ids {
					h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/?id=%d", id), nil))
				}
			}()
		}
		for i := range perBatch {
			ids <- b*perBatch + i
		}
		close(ids)
		wg.Wait()

		events := rec.Events()
		if want := (perBatch + 49) / 50; len(events) < want-1 || len(events) > want+1 {
			t.Fatalf("batch %d: %d events, want about %d", b, len(events), want)
		}
		for _, ev := range events {
			req := fmt.Sprint(ev.LogContext()["req"])
			for _, bc := range ev.Breadcrumbs() {
				if got := fmt.Sprint(bc.Data["req"]); got != req {
					t.Fatalf("the event of request %s carries a breadcrumb of request %s", req, got)
				}
			}
			if len(ev.Breadcrumbs()) != 5 {
				t.Fatalf("the event of request %s has %d breadcrumbs, want its 5", req, len(ev.Breadcrumbs()))
			}
		}
		rec.Reset()
		if b == 0 {
			first = liveHeap()
		}
	}
	last := liveHeap()
	t.Logf("%d requests: live heap %d B after the first batch, %d B at the end", requests, first, last)
	if last > first+first/2+(1<<20) {
		t.Errorf("the live heap grew from %d to %d bytes", first, last)
	}
}
