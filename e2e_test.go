package logcrumbs_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestEndToEndUnitsOfWork sends through sentry-go's real HTTP transport to a
// real Sentry receiver: a request that panics, two overlapping requests, and
// a job with a child trail, each event with exactly its own trail.
func TestEndToEndUnitsOfWork(t *testing.T) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	var inFlight, proceed sync.WaitGroup
	inFlight.Add(2)
	proceed.Add(1)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		logger.InfoContext(ctx, "start "+r.URL.Path)
		switch r.URL.Path {
		case "/panic":
			panic("index out of range")
		case "/job":
			_ = logcrumbs.RunJob(ctx, "receipt", logcrumbs.JobOptions{Child: true}, func(ctx context.Context) error {
				logger.InfoContext(ctx, "rendering")
				logger.ErrorContext(ctx, "job failed")
				return nil
			})
		default:
			inFlight.Done()
			proceed.Wait()
			logger.ErrorContext(ctx, "failed "+r.URL.Path)
		}
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(app)
	do := func(path string) { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil)) }

	var wg sync.WaitGroup
	for _, p := range []string{"/a", "/b"} {
		wg.Add(1)
		go func() { defer wg.Done(); do(p) }()
	}
	inFlight.Wait()
	proceed.Done()
	wg.Wait()
	do("/panic")
	do("/job")

	if !hub.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	r.WaitReports(t, 4)
	time.Sleep(200 * time.Millisecond) // a fifth, duplicate event would arrive now
	reports := r.Reports(t)
	if len(reports) != 4 {
		t.Fatalf("%d events, want 4", len(reports))
	}
	want := map[string]string{
		"failed /a": "start /a",
		"failed /b": "start /b",
		"panic in GET /panic: index out of range": "start /panic",
		"job failed": "start /job,rendering",
	}
	for _, rep := range reports {
		ev := rep.Event
		var got []string
		for _, b := range ev.Breadcrumbs {
			got = append(got, b.Message)
		}
		w, ok := want[ev.Message]
		if !ok {
			t.Errorf("unexpected event %q", ev.Message)
			continue
		}
		if strings.Join(got, ",") != w {
			t.Errorf("%q: breadcrumbs %v, want %s", ev.Message, got, w)
		}
		if ev.Message == "panic in GET /panic: index out of range" &&
			(ev.Level != "fatal" || len(ev.Exception) != 1 || ev.Exception[0].Type != "panic") {
			t.Errorf("panic event = %s %+v", ev.Level, ev.Exception)
		}
	}
}
