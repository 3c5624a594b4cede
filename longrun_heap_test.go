package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// heapAfter returns the live heap after a full collection.
func heapAfter() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// checkHeapFlat runs fn n times, then 9n times more, and fails if the live
// heap grew by more than perIter bytes an iteration (plus 256 KiB of
// noise) over the 9n: a long run must not grow the heap.
func checkHeapFlat(t *testing.T, n int, perIter int64, fn func(i int)) {
	t.Helper()
	if race.Enabled {
		t.Skip("the race detector allocates on its own; memory is checked without -race")
	}
	for i := range n {
		fn(i)
	}
	before := heapAfter()
	for i := n; i < 10*n; i++ {
		fn(i)
	}
	after := heapAfter()
	grown := int64(after) - int64(before)
	t.Logf("live heap %d KiB after %d iterations, %d KiB after %d", before>>10, n, after>>10, 10*n)
	if limit := perIter*int64(9*n) + 256<<10; grown > limit {
		t.Errorf("the live heap grew %d KiB over %d iterations (%d B each), want at most %d KiB", grown>>10, 9*n, grown/int64(9*n), limit>>10)
	}
}

// TestLongRunDistinctFingerprints: events of ever new fingerprints (one
// message each, no error), each followed by a repeat that no Flush
// reports, fill the dedupe table to its bound (4,096 fingerprints, about
// 8.5 MiB of entries and summaries here) and no further.
//
// The dedupe table is the process's: the test starts from an empty one
// and leaves one, as a new process has it. Left full of fingerprints sent
// within their hour, it deduplicated nothing for the tests that ran after
// (a full table's new fingerprints are sent, by design):
// -shuffle=1796483060328859811 failed TestDedupeConcurrentRequests ('64
// events sent and 0 repeats counted') and TestFlushSummaryCapturePanics.
func TestLongRunDistinctFingerprints(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 events; -short")
	}
	policy.Default().Reset()
	t.Cleanup(policy.Default().Reset) // registered before the recorder's: run after its client closed
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Hour
	l := slog.New(slogsentry.NewHandler(slog.NewTextHandler(io.Discard, nil), slogsentry.Options{Options: opts}))
	checkHeapFlat(t, 5000, 0, func(i int) {
		msg := fmt.Sprintf("failure %d", i)
		l.ErrorContext(logcrumbs.NewContext(context.Background()), msg)
		l.ErrorContext(logcrumbs.NewContext(context.Background()), msg) // a repeat
		rec.Reset()
	})
}

// TestLongRunNestedJobs: jobs that run a child context and a nested job
// each, the inner one failing, leave nothing behind.
func TestLongRunNestedJobs(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	jo := logcrumbs.JobOptions{Options: opts}
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	checkHeapFlat(t, 1000, 0, func(i int) {
		_ = logcrumbs.RunJob(context.Background(), "outer", jo, func(ctx context.Context) error {
			l.InfoContext(ctx, "outer")
			child := logcrumbs.NewChildContext(ctx)
			l.InfoContext(child, "child")
			return logcrumbs.RunJob(child, "inner", jo, func(ctx context.Context) error {
				l.InfoContext(ctx, "inner")
				err := fmt.Errorf("fail %d", i)
				l.ErrorContext(ctx, "inner failed", "err", err)
				return err
			})
		})
		rec.Reset()
	})
}

// TestLongRunContextsOutliveRequests: a request's context kept past the
// end of its Middleware (a goroutine that goes on logging in it) holds the
// request's unit only while it is kept.
func TestLongRunContextsOutliveRequests(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	var kept []context.Context
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.InfoContext(r.Context(), "in the request")
		kept = append(kept, r.Context())
	}))
	checkHeapFlat(t, 1000, 0, func(i int) {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		for _, ctx := range kept {
			l.InfoContext(ctx, "after the request")
			l.ErrorContext(ctx, "failed after the request", "err", errors.New("late"))
		}
		kept = kept[:0]
		rec.Reset()
	})
}

type discardTransport struct{}

func (discardTransport) Configure(sentry.ClientOptions)        {}
func (discardTransport) Flush(time.Duration) bool              { return true }
func (discardTransport) FlushWithContext(context.Context) bool { return true }
func (discardTransport) Close()                                {}
func (discardTransport) SendEvent(*sentry.Event)               {}

// TestLongRunClientsComeAndGo: Sentry clients made, used through a
// Middleware (events, Sentry Logs) and closed, one after another, leave
// none of logcrumbs' per-client state behind once the dedupe window of
// their fingerprints is over. (sentry-go keeps a client that is not closed alive: its
// batch processors' goroutines, about 32 KiB a client, without logcrumbs.)
func TestLongRunClientsComeAndGo(t *testing.T) {
	if testing.Short() {
		t.Skip("sentry-go's Close takes about 20 ms a client; -short")
	}
	checkHeapFlat(t, 50, 512, func(i int) {
		c, err := sentry.NewClient(sentry.ClientOptions{Transport: discardTransport{}})
		if err != nil {
			t.Fatal(err)
		}
		hub := sentry.NewHub(c, sentry.NewScope())
		// A short window: the dedupe table keeps each client's fingerprint
		// (its event's summary, a few KiB) for a window after it.
		opts := logcrumbs.Options{Hub: hub, DedupeWindow: 10 * time.Millisecond}
		l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts, LogsLevel: slog.LevelInfo}))
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.InfoContext(r.Context(), "hello")
			l.ErrorContext(r.Context(), "failed", "err", fmt.Errorf("boom %d", i))
		}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		c.Close()
		policy.Default().Closed(c) // as a Recorder's Close does: a later Flush does not wait for it
	})
	// The clients are closed without a Flush, and the last one stays
	// alive (the default event builder keeps the client it last sent
	// Sentry Logs through): a closed client logcrumbs handed a Sentry Log
	// made every later Flush wait its whole timeout (sentry-go's batch of
	// Logs, closed, never answers), in the tests that ran after this one.
	if _, took := timedFlush(); took > time.Second {
		t.Errorf("a Flush after the clients were closed took %v, want promptly: a closed client of the test is still waited for", took.Round(time.Millisecond))
	}
}
