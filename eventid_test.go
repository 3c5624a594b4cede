package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

const idHeader = "X-Sentry-Event-Id" // canonical: the tests read the header map

// TestLastEventIDLoggedInMiddleware: a logged error's event ID is the
// request's LastEventID and, with EventIDHeader, is on the response the
// handler writes after it; the same error logged again by an upper layer
// (capture-once) keeps that ID; a request without an event has neither.
func TestLastEventIDLoggedInMiddleware(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	var ids []sentry.EventID
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ids = append(ids, logcrumbs.LastEventID(ctx))
		if r.URL.Path == "/fail" {
			err := errors.New("card declined")
			logger.ErrorContext(ctx, "charge failed", "err", err)
			ids = append(ids, logcrumbs.LastEventID(ctx))
			logger.ErrorContext(ctx, "checkout failed", "err", fmt.Errorf("checkout: %w", err))
			ids = append(ids, logcrumbs.LastEventID(ctx))
		}
		w.WriteHeader(http.StatusBadGateway)
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}, EventIDHeader: idHeader})(app)
	resp, _ := serve(h, "/fail")
	ev := rec.OnlyEvent()
	if ev.EventID == "" || len(ids) != 3 || ids[0] != "" || ids[1] != ev.EventID || ids[2] != ev.EventID {
		t.Errorf("LastEventID before, after, after capture-once = %q, want \"\", %q, %q", ids, ev.EventID, ev.EventID)
	}
	if got := resp.Header().Get(idHeader); got != string(ev.EventID) || resp.Code != http.StatusBadGateway {
		t.Errorf("response %d with %s %q, want 502 with %q", resp.Code, idHeader, got, ev.EventID)
	}

	ids = nil
	resp, _ = serve(h, "/ok")
	if _, ok := resp.Header()[idHeader]; ok || len(ids) != 1 || ids[0] != "" {
		t.Errorf("a request without an event: header %v, LastEventID %q", resp.Header(), ids)
	}

	// Off by default: no header, and LastEventID works without it.
	ids = nil
	resp, _ = serve(logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(app), "/fail")
	if _, ok := resp.Header()[idHeader]; ok || len(ids) != 3 || ids[1] == "" {
		t.Errorf("without EventIDHeader: header %v, LastEventID %q", resp.Header(), ids)
	}
}

// TestEventIDHeaderOnlyBeforeTheResponseStarts: an event sent after the
// handler wrote its status cannot be on the response, but is still the
// request's LastEventID; a header the handler set itself is kept.
func TestEventIDHeaderOnlyBeforeTheResponseStarts(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	var late sentry.EventID
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}, EventIDHeader: idHeader})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/own" {
				logger.ErrorContext(r.Context(), "failed", "err", errors.New("own header"))
				w.Header().Set(idHeader, "mine")
			}
			w.WriteHeader(http.StatusEarlyHints) // 1xx: the response has not started
			_, _ = w.Write([]byte("partial"))
			logger.ErrorContext(r.Context(), "stream failed", "err", errors.New("upstream reset"))
			late = logcrumbs.LastEventID(r.Context())
		}))
	resp, _ := serve(h, "/late")
	if got := resp.Header().Get(idHeader); got != "" || late != rec.OnlyEvent().EventID {
		t.Errorf("header %q (want none), LastEventID %q (want %q)", got, late, rec.OnlyEvent().EventID)
	}
	resp, _ = serve(h, "/own")
	if got := resp.Header().Get(idHeader); got != "mine" {
		t.Errorf("header %q, want the handler's own", got)
	}
}

// TestLastEventIDPanic: the event of a panic Middleware recovers is on the
// 500 it writes and is the request's LastEventID; RunJob's likewise.
func TestLastEventIDPanic(t *testing.T) {
	rec := logcrumbstest.New(t)
	var reqCtx context.Context
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}, Recover: true, EventIDHeader: idHeader})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reqCtx = r.Context()
			panic("nil map")
		}))
	resp, _ := serve(h, "/crash")
	ev := rec.OnlyEvent()
	if got := resp.Header().Get(idHeader); resp.Code != 500 || got == "" || got != string(ev.EventID) {
		t.Errorf("response %d with %s %q, want 500 with %q", resp.Code, idHeader, got, ev.EventID)
	}
	if got := logcrumbs.LastEventID(reqCtx); got != ev.EventID {
		t.Errorf("LastEventID = %q, want %q", got, ev.EventID)
	}

	rec.Reset()
	var jobCtx context.Context
	_ = logcrumbs.RunJob(sentry.SetHubOnContext(context.Background(), rec.Hub()), "reindex",
		logcrumbs.JobOptions{Options: noDedupe.Options, Recover: true},
		func(ctx context.Context) error { jobCtx = ctx; panic("out of range") })
	if got, want := logcrumbs.LastEventID(jobCtx), rec.OnlyEvent().EventID; got != want || got == "" {
		t.Errorf("job LastEventID = %q, want %q", got, want)
	}
}

// TestLastEventIDHandCapture: an event captured by hand through the unit's
// hub is its LastEventID, and stays it when the error is then logged (one
// event, capture-once); an event another unit captures is not this one's.
func TestLastEventIDHandCapture(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	ctx := logcrumbs.Bind(logcrumbs.NewContext(context.Background()), rec.Hub().Clone())
	other := logcrumbs.Bind(logcrumbs.NewContext(context.Background()), rec.Hub().Clone())
	err := errors.New("disk full")
	id := sentry.GetHubFromContext(ctx).CaptureException(err)
	if id == nil {
		t.Fatal("the hand capture was not sent")
	}
	if got := logcrumbs.LastEventID(ctx); got != *id {
		t.Errorf("after the hand capture LastEventID = %q, want %q", got, *id)
	}
	logger.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", err))
	if got, n := logcrumbs.LastEventID(ctx), len(rec.Events()); got != *id || n != 1 {
		t.Errorf("after logging it: LastEventID = %q (want %q), %d events (want 1)", got, *id, n)
	}
	sentry.GetHubFromContext(other).CaptureMessage("other unit")
	if got := logcrumbs.LastEventID(ctx); got != *id {
		t.Errorf("another unit's capture changed LastEventID to %q", got)
	}
	if got := logcrumbs.LastEventID(other); got == "" || got == *id {
		t.Errorf("the other unit's LastEventID = %q", got)
	}
}

// TestLastEventIDDedupe: an error deduplication folds into an earlier
// event (another request, the same fingerprint) gives that event's ID.
func TestLastEventIDDedupe(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	var ctxs []context.Context
	for range 2 {
		ctx := rec.Context(context.Background())
		logger.ErrorContext(ctx, "query failed", "err", errors.New("deadlock")) // one line: one fingerprint
		ctxs = append(ctxs, ctx)
	}
	ev := rec.OnlyEvent()
	for i, ctx := range ctxs {
		if got := logcrumbs.LastEventID(ctx); got != ev.EventID {
			t.Errorf("request %d: LastEventID = %q, want the one event's %q", i, got, ev.EventID)
		}
	}
}

// TestLastEventIDNothingSent: a rate-limited error, one BeforeSend drops,
// and one without a client leave LastEventID empty (or at the earlier
// event the unit sent).
func TestLastEventIDNothingSent(t *testing.T) {
	t.Run("rate limited", func(t *testing.T) {
		logcrumbs.SetRateLimit(1, 1)
		t.Cleanup(func() { logcrumbs.SetRateLimit(10, 100) }) // the default
		rec := logcrumbstest.NewRateLimited(t)
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		first, second := rec.Context(context.Background()), rec.Context(context.Background())
		logger.ErrorContext(first, "first failure")
		logger.ErrorContext(second, "second failure")
		logger.ErrorContext(first, "third failure")
		ev := rec.OnlyEvent()
		if got := logcrumbs.LastEventID(second); got != "" {
			t.Errorf("rate-limited: LastEventID = %q, want empty", got)
		}
		if got := logcrumbs.LastEventID(first); got != ev.EventID {
			t.Errorf("rate-limited after an event: LastEventID = %q, want the earlier %q", got, ev.EventID)
		}
	})
	t.Run("dropped by BeforeSend", func(t *testing.T) {
		rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
			o.BeforeSend = func(*sentry.Event, *sentry.EventHint) *sentry.Event { return nil }
		})
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		logger.ErrorContext(ctx, "dropped", "err", errors.New("x"))
		if got := logcrumbs.LastEventID(ctx); got != "" {
			t.Errorf("LastEventID = %q, want empty", got)
		}
	})
	t.Run("no client", func(t *testing.T) {
		logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
		ctx := logcrumbs.Bind(logcrumbs.NewContext(context.Background()), sentry.NewHub(nil, sentry.NewScope()))
		logger.ErrorContext(ctx, "nowhere", "err", errors.New("x"))
		if got := logcrumbs.LastEventID(ctx); got != "" {
			t.Errorf("LastEventID = %q, want empty", got)
		}
		if got := logcrumbs.LastEventID(context.Background()); got != "" {
			t.Errorf("no trail: LastEventID = %q", got)
		}
	})
}

// TestEventIDHeaderWhenTheHandlerWritesNothing: a handler that logs an
// error and returns without writing (net/http then sends its implicit 200
// itself, after the handler returned) still gets the event's ID on the
// response: the response starts after the event was sent, and its headers
// were not sent yet. So does one that sets only headers.
func TestEventIDHeaderWhenTheHandlerWritesNothing(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}, EventIDHeader: idHeader})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			logger.ErrorContext(r.Context(), "failed "+r.URL.Path, "err", errors.New("nothing written "+r.URL.Path))
			if r.URL.Path == "/headers" {
				w.Header().Set("Cache-Control", "no-store")
			}
		}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	for i, path := range []string{"/nothing", "/headers"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		evs := rec.Events()
		if len(evs) != i+1 {
			t.Fatalf("%d events, want %d", len(evs), i+1)
		}
		if got, want := res.Header.Get(idHeader), string(evs[i].EventID); got != want || res.StatusCode != http.StatusOK {
			t.Errorf("%s: response %d with %s %q, want 200 with %q", path, res.StatusCode, idHeader, got, want)
		}
	}
}
