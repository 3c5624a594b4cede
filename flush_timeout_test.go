package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestFlushReturnsByItsTimeoutThroughASyncTransport: Flush hands the
// summaries of deduplicated repeats to their client before it waits, and a
// client with sentry-go's HTTPSyncTransport (serverless programs use it)
// sends each one in CaptureEvent itself. With Sentry unreachable (here: a
// server that never answers), Flush(300ms) must still return by about its
// timeout, and false, instead of waiting for every summary's request.
func TestFlushReturnsByItsTimeoutThroughASyncTransport(t *testing.T) {
	hang := make(chan struct{})
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !down.Load() {
			return // 200
		}
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hang) })
	tr := sentry.NewHTTPSyncTransport()
	tr.Timeout = 2 * time.Second
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "http://public@" + srv.Listener.Addr().String() + "/1", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute, FingerprintKey: "fp"}}))
	// Three kinds of errors, each logged twice by requests of its own: the
	// first is sent, the second held back for Flush's summary. Then Sentry
	// stops answering.
	for i := range 3 {
		for range 2 {
			logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed",
				"err", errors.New("card declined"), "fp", fmt.Sprint("kind", i))
		}
	}
	down.Store(true)
	start := time.Now()
	ok := logcrumbs.Flush(300 * time.Millisecond)
	if took := time.Since(start); ok || took > time.Second {
		t.Errorf("Flush(300ms) = %v after %v, want false by about 300ms", ok, took.Round(time.Millisecond))
	}
}

// TestFlushZeroTimeoutNothingHeldBack: Flush(0) (and a negative timeout)
// with no summary held back has nothing to hand over: its answer is the
// clients' flush, true with a transport that drains at once, as it was
// before Flush handed the summaries over in a goroutine of its own. It
// must not be false because its timer fired before that goroutine, with
// nothing to do, had run (one processor makes that every time).
func TestFlushZeroTimeoutNothingHeldBack(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: time.Minute}}))
	logger.ErrorContext(logcrumbs.NewContext(context.Background()), "payment failed", "err", errors.New("card declined"))
	if !logcrumbs.Flush(time.Second) {
		t.Fatal("Flush(1s) = false, want true")
	}
	falses := 0
	for i := range 100 {
		timeout := time.Duration(0)
		if i%2 == 1 {
			timeout = -time.Second
		}
		if !logcrumbs.Flush(timeout) {
			falses++
		}
	}
	if falses > 0 {
		t.Errorf("Flush(0) or Flush(-1s) with nothing held back: %d of 100 false, want every one true", falses)
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}
