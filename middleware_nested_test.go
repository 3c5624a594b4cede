package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestNestedMiddlewaresEventIDHeader: with two Middlewares nested (a
// router's and a sub-router's), the response's EventIDHeader names the
// request's event, whichever of the two units sent it: the outer one's
// header names an event the inner unit sent (a logged error, a panic the
// inner one recovered, or the outer one, once), when the handler writes a
// status, writes nothing (net/http's implicit 200) or panics; the header is set once, with that
// event, when both ask for it, and under each name when they ask for two.
func TestNestedMiddlewaresEventIDHeader(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	type outcome int
	const (
		writes outcome = iota
		writesNothing
		panics
	)
	for _, c := range []struct {
		name          string
		innerHeader   string
		do            outcome
		outerRecovers bool
	}{
		{"inner without header, status written", "", writes, false},
		{"inner without header, nothing written", "", writesNothing, false},
		{"inner without header, panic recovered by the inner", "", panics, false},
		{"both with the header", header, writes, false},
		{"both with the header, panic recovered by the inner", header, panics, false},
		{"inner with another header", "X-Inner-Event-Id", writes, false},
		{"inner without header, panic recovered by the outer", "", panics, true},
		{"both with the header, panic recovered by the outer", header, panics, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch c.do {
				case panics:
					panic("nil map " + t.Name())
				case writes:
					logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
					w.WriteHeader(http.StatusBadGateway)
				case writesNothing:
					logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
				}
			})
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: c.do == panics && !c.outerRecovers, EventIDHeader: c.innerHeader})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: c.outerRecovers, EventIDHeader: header})
			resp := httptest.NewRecorder()
			outer(inner(app)).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
			ev := rec.OnlyEvent()
			want := []string{string(ev.EventID)}
			if got := resp.Header()[header]; len(got) != 1 || got[0] != want[0] {
				t.Errorf("response %d with %s %q, want %q, the event the inner unit sent", resp.Code, header, got, want)
			}
			if c.innerHeader != "" && c.innerHeader != header {
				if got := resp.Header()[c.innerHeader]; len(got) != 1 || got[0] != want[0] {
					t.Errorf("response %d with %s %q, want %q", resp.Code, c.innerHeader, got, want)
				}
			}
		})
	}
}

// TestNestedMiddlewaresHeaderNamesTheLatestEvent: with Middlewares nested,
// the outer one's EventIDHeader names the request's last event, whichever
// unit sent it: an event the outer unit sent after the inner Middleware
// returned (the router's own code failing afterwards, a panic there the
// outer one recovers, whose 500 the header must name) is later than the
// inner unit's. So with an inner one that asks for the same header (in any
// spelling): one whose handler wrote nothing does not fix the header when
// it returns (the response has not started: the outer one's router may
// still write).
func TestNestedMiddlewaresHeaderNamesTheLatestEvent(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	for _, c := range []struct {
		name        string
		innerHeader string
		panics      bool
	}{
		{"outer logs", "", false},
		{"outer panics", "", true},
		{"outer logs, same header", header, false},
		{"outer panics, same header", header, true},
		{"outer logs, same header spelled otherwise", "X-Sentry-Event-ID", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
			})
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: c.innerHeader})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: header})
			router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner(app).ServeHTTP(w, r)
				if c.panics {
					panic("nil map " + t.Name())
				}
				logger.ErrorContext(r.Context(), "render failed", "err", errors.New("template missing "+t.Name()))
				w.WriteHeader(http.StatusBadGateway)
			})
			resp := httptest.NewRecorder()
			outer(router).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events, want 2", len(evs))
			}
			want := string(evs[1].EventID)
			if got := resp.Header()[header]; len(got) != 1 || got[0] != want {
				t.Errorf("response %d with %s %q, want [%q], the request's last event (%q, the outer unit's); the inner unit's was %s",
					resp.Code, header, got, want, evs[1].Message, evs[0].EventID)
			}
		})
	}
}

// noUnwrapWriter is a middleware's writer that does not offer Unwrap.
type noUnwrapWriter struct{ http.ResponseWriter }

// TestNestedMiddlewaresHeaderThroughAWriterWithoutUnwrap: a middleware
// between the two whose writer does not Unwrap (one written before Go
// 1.20's http.ResponseController) does not hide the inner unit's event
// from the outer one's EventIDHeader.
func TestNestedMiddlewaresHeaderThroughAWriterWithoutUnwrap(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
		w.WriteHeader(http.StatusBadGateway)
	})
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: header})
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(noUnwrapWriter{w}, r)
		})
	}
	resp := httptest.NewRecorder()
	outer(wrap(inner(app))).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
	ev := rec.OnlyEvent()
	if got := resp.Header()[header]; len(got) != 1 || got[0] != string(ev.EventID) {
		t.Errorf("response %d with %s %q, want [%q], the event the inner unit sent", resp.Code, header, got, ev.EventID)
	}
}

// TestNestedMiddlewareRecoverAbortsAStartedResponse: a Middleware with
// Recover nested in another whose router started the response before
// calling it (a status and a byte of body written) aborts the response
// with http.ErrAbortHandler on a panic, as it does when its own handler
// started it, rather than write a 500 that can no longer be sent and let
// the cut response end as a whole one.
func TestNestedMiddlewareRecoverAbortsAStartedResponse(t *testing.T) {
	for _, outerHeader := range []string{"", "X-Sentry-Event-Id"} {
		t.Run("outer header "+outerHeader, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: outerHeader})
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("nil map " + t.Name()) })
			router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write([]byte("[{\"id\":1},"))
				inner(app).ServeHTTP(w, r)
			})
			checkAborted(t, rec, outer(router))
		})
	}
}

// TestNestedMiddlewaresLastEventIDAfterTheInnerReturned: in the router of
// a Middleware, after a nested Middleware (a sub-router's) returned,
// LastEventID(r.Context()) names the event its unit sent, as the outer
// one's EventIDHeader does: the router's error page shows the reference
// the response's header carries. So it does with an outer Middleware that
// asks for no header.
func TestNestedMiddlewaresLastEventIDAfterTheInnerReturned(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	for _, outerHeader := range []string{header, ""} {
		t.Run("outer header "+outerHeader, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
			})
			opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
			inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
			outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: outerHeader})
			var page string
			router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner(app).ServeHTTP(w, r)
				page = string(logcrumbs.LastEventID(r.Context())) // the error page's reference
				w.WriteHeader(http.StatusBadGateway)
			})
			resp := httptest.NewRecorder()
			outer(router).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
			ev := rec.OnlyEvent()
			if page != string(ev.EventID) {
				t.Errorf("LastEventID in the router after the sub-router returned: %q, want %q, the event the inner unit sent (the response's %s: %q)",
					page, ev.EventID, header, resp.Header()[header])
			}
		})
	}
}

// TestNestedMiddlewaresBatchKeepsNoTrails: a Middleware called for each
// item of a batch inside another's request (a sub-router per call of a
// JSON-RPC batch) leaves no trail behind once it returned: the outer
// one's EventIDHeader, which names the last event of any of them, does
// not keep each one's unit of work (a trail, about 1 KiB) until the
// request ends.
func TestNestedMiddlewaresBatchKeepsNoTrails(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector allocates on its own; memory is checked without -race")
	}
	const calls = 2000
	rec := logcrumbstest.New(t)
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: "X-Sentry-Event-Id"})
	item := inner(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	var grown uint64
	batch := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := 0; i < calls; i++ {
			item.ServeHTTP(w, r)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		grown = after.HeapAlloc - before.HeapAlloc
		if after.HeapAlloc < before.HeapAlloc {
			grown = 0
		}
	})
	outer(batch).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/rpc", nil))
	if perCall := grown / calls; perCall > 128 {
		t.Errorf("the heap grew %d bytes over %d nested Middleware calls in one request, %d a call, want at most 128: each call's unit of work kept until the request ends", grown, calls, perCall)
	}
}

// TestNestedMiddlewareRecoverAbortsAStartedResponseThroughAWriterWithoutUnwrap:
// a middleware between the two whose writer does not Unwrap does not hide
// from the inner Middleware with Recover that the outer one's router
// started the response (the outer one asks for an EventIDHeader: its
// writer is on the request's context).
func TestNestedMiddlewareRecoverAbortsAStartedResponseThroughAWriterWithoutUnwrap(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: "X-Sentry-Event-Id"})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("nil map " + t.Name()) })
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("[{\"id\":1},"))
		inner(app).ServeHTTP(noUnwrapWriter{w}, r)
	})
	checkAborted(t, rec, outer(router))
}

// TestNestedMiddlewaresBatchThreeLevels: a Middleware called for each item
// of a batch, inside a Middleware inside another (three levels), with or
// without a header of its own (the outer one's, or another) and Recover:
// the outer one's EventIDHeader and LastEventID in its router, after the
// two inner ones returned, name the batch's last event.
func TestNestedMiddlewaresBatchThreeLevels(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	for _, innerHeader := range []string{"", header, "X-Item-Event-Id"} {
		for _, recovers := range []bool{false, true} {
			t.Run("inner header "+innerHeader+", recover "+strconv.FormatBool(recovers), func(t *testing.T) {
				rec := logcrumbstest.New(t)
				logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
				opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
				inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: recovers, EventIDHeader: innerHeader})
				middle := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
				outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: header})
				n := 0
				item := inner(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					n++
					logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+strconv.Itoa(n)+" "+t.Name()))
				}))
				batch := middle(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					for i := 0; i < 3; i++ {
						item.ServeHTTP(w, r)
					}
				}))
				var page string
				router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					batch.ServeHTTP(w, r)
					page = string(logcrumbs.LastEventID(r.Context()))
				})
				resp := httptest.NewRecorder()
				outer(router).ServeHTTP(resp, httptest.NewRequest("POST", "/rpc", nil))
				evs := rec.Events()
				if len(evs) != 3 {
					t.Fatalf("%d events, want 3", len(evs))
				}
				want := string(evs[2].EventID)
				if got := resp.Header()[header]; len(got) != 1 || got[0] != want {
					t.Errorf("response %d with %s %q, want [%q], the batch's last event", resp.Code, header, got, want)
				}
				if page != want {
					t.Errorf("LastEventID in the router %q, want %q, the batch's last event", page, want)
				}
			})
		}
	}
}

// TestNestedMiddlewareRecoverAnswersASubRequestsOwnWriter: a nested
// Middleware with Recover whose router gave it a writer of its own (a
// batch endpoint running each call into a recorder, its response already
// streaming) answers a panic with a 500 in that writer, and does not abort
// the outer response, which its writer does not write.
func TestNestedMiddlewareRecoverAnswersASubRequestsOwnWriter(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: "X-Sentry-Event-Id"})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("nil map " + t.Name()) })
	var code int
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("["))
		call := httptest.NewRecorder()
		inner(app).ServeHTTP(call, r)
		code = call.Code
		_, _ = w.Write([]byte(strconv.Itoa(call.Code) + "]"))
	})
	resp := httptest.NewRecorder()
	var p any
	func() {
		defer func() { p = recover() }()
		outer(router).ServeHTTP(resp, httptest.NewRequest("POST", "/batch", nil))
	}()
	if p != nil || code != http.StatusInternalServerError {
		t.Errorf("the request ended with panic %v, the call's response %d, want no panic and 500: the batch response %q cut", p, code, resp.Body.String())
	}
}

// TestNestedMiddlewareHeaderOnASubRequestsOwnWriter: a nested Middleware
// asking for the outer one's EventIDHeader, whose router gave it a writer
// of its own (a batch call's recorder, whose headers the batch response
// reports per call), sets the header on that response: the outer one sets
// it on another.
func TestNestedMiddlewareHeaderOnASubRequestsOwnWriter(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: header})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: header})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+t.Name()))
		w.WriteHeader(http.StatusBadGateway)
	})
	var got []string
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := httptest.NewRecorder()
		inner(app).ServeHTTP(call, r)
		got = call.Header()[header]
	})
	outer(router).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/batch", nil))
	ev := rec.OnlyEvent()
	if len(got) != 1 || got[0] != string(ev.EventID) {
		t.Errorf("the call's response with %s %q, want [%q], the event its unit sent", header, got, ev.EventID)
	}
}

// TestNestedMiddlewaresConcurrentBatches: many requests at once through
// the same Middlewares, each running its batch's calls concurrently
// through a nested one (each call into a writer of its own, one of them
// panicking): each response's EventIDHeader names what LastEventID in its
// router named after the calls returned, an event of its own calls (run
// with -race).
func TestNestedMiddlewaresConcurrentBatches(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: header})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true, EventIDHeader: header})
	item := inner(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("call") == "3" {
			panic("nil map " + r.URL.RawQuery + " " + t.Name())
		}
		logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined "+r.URL.RawQuery+" "+t.Name()))
	}))
	const requests, calls = 16, 6
	pages := make([]string, requests)
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		for c := 0; c < calls; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cr := r.Clone(r.Context())
				cr.URL.RawQuery += "&call=" + strconv.Itoa(c)
				item.ServeHTTP(httptest.NewRecorder(), cr)
			}()
		}
		wg.Wait()
		req, _ := strconv.Atoi(r.URL.Query().Get("req"))
		pages[req] = string(logcrumbs.LastEventID(r.Context()))
	})
	resps := make([]*httptest.ResponseRecorder, requests)
	var wg sync.WaitGroup
	for i := 0; i < requests; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resps[i] = httptest.NewRecorder()
			outer(router).ServeHTTP(resps[i], httptest.NewRequest("POST", "/batch?req="+strconv.Itoa(i), nil))
		}()
	}
	wg.Wait()
	of := map[string]string{} // event ID: the batch request's query that sent it
	for _, ev := range rec.Events() {
		for _, ex := range ev.Exception {
			if _, q, ok := strings.Cut(ex.Value, "req="); ok {
				of[string(ev.EventID)] = "req=" + strings.SplitN(q, "&", 2)[0]
			}
		}
	}
	if len(of) != requests*calls {
		t.Fatalf("%d events, want %d", len(of), requests*calls)
	}
	for i, resp := range resps {
		got := resp.Header().Get(header)
		if got == "" || got != pages[i] || of[got] != "req="+strconv.Itoa(i) {
			t.Errorf("request %d: response with %s %q (of %q), LastEventID in its router %q, want one event of its own calls named by both", i, header, got, of[got], pages[i])
		}
	}
}

// TestNestedMiddlewareRecoverUnderABareOuterOne: a reproducer, skipped:
// a nested Middleware with Recover cannot tell that the router of an outer
// Middleware with neither Recover nor an EventIDHeader started the
// response, since that one does not wrap the writer (a startedWriter is
// an allocation a request, which a Middleware that is not nested would
// pay: BenchmarkRequestSetup/middleware at 17 allocations, not 16) and
// net/http does not tell; it answers 500 into the started response, which
// net/http drops ("superfluous WriteHeader") and ends as a whole one.
// MiddlewareOptions.Recover's doc says so.
func TestNestedMiddlewareRecoverUnderABareOuterOne(t *testing.T) {
	t.Skip("known limitation: an outer Middleware without Recover or EventIDHeader does not note the response's start (see the doc comment)")
	rec := logcrumbstest.New(t)
	opts := logcrumbs.Options{Hub: rec.Hub(), DedupeWindow: -1}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("nil map " + t.Name()) })
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("[{\"id\":1},"))
		inner(app).ServeHTTP(w, r)
	})
	var p any
	func() {
		defer func() { p = recover() }()
		outer(router).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders", nil))
	}()
	if p != http.ErrAbortHandler {
		t.Errorf("the request ended with panic %v, want http.ErrAbortHandler", p)
	}
}

// TestNestedMiddlewareDroppedEventLeavesTheOuterOnesEvent: the router of
// a Middleware sends event A, then calls a nested Middleware (a
// sub-router's), whose handler logs an error whose event B the client
// holds (BeforeSend) while another log of the same error is folded into
// it, and then drops: the nested unit sent nothing. LastEventID in the
// router, and the outer one's EventIDHeader, still name A: an event the
// client dropped is no reference (eventref), and the nested unit's
// returning must not replace the router's own event by it.
func TestNestedMiddlewareDroppedEventLeavesTheOuterOnesEvent(t *testing.T) {
	const header = "X-Sentry-Event-Id"
	rec, inFlight, release := heldDrop(t, "first")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	boom := errors.New("nested in flight: card declined")
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			logger.ErrorContext(r.Context(), "charge failed", "err", boom)
		}()
		<-inFlight
		logger.ErrorContext(r.Context(), "charge failed again", "err", boom) // folded into B
		close(release)
		<-done
	})
	opts := logcrumbs.Options{Hub: rec.Hub()}
	inner := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts})
	outer := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, EventIDHeader: header})
	var a, page string
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "first failed", "err", errors.New("first"))
		a = string(logcrumbs.LastEventID(r.Context()))
		inner(app).ServeHTTP(w, r)
		page = string(logcrumbs.LastEventID(r.Context()))
	})
	resp := httptest.NewRecorder()
	outer(router).ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
	if a == "" {
		t.Fatal("no event A")
	}
	if n := len(rec.Events()); n != 1 {
		t.Fatalf("%d events, want A only", n)
	}
	if page != a {
		t.Errorf("LastEventID in the router after the sub-router returned: %q, want A %q (the nested unit's event was dropped)", page, a)
	}
	if got := resp.Header().Get(header); got != a {
		t.Errorf("the response's %s: %q, want A %q", header, got, a)
	}
}

// TestMiddlewareUnderASharedBaseUnitKeepsItsEventToItself: a server whose
// BaseContext is a Bind unit of work (every request's context derives from
// it) runs each request through a Middleware: a request's event is the
// request's, not the base unit's. LastEventID of the base context (a
// background job of the process using it) must not name the event a
// request sent.
func TestMiddlewareUnderASharedBaseUnitKeepsItsEventToItself(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	base := logcrumbs.Bind(context.Background(), rec.Hub().Clone())
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.ErrorContext(r.Context(), "charge failed", "err", errors.New("card declined"))
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders", nil).WithContext(base))
	rec.OnlyEvent()
	if id := logcrumbs.LastEventID(base); id != "" {
		t.Errorf("LastEventID of the shared base context = %q, the event of a request: want none", id)
	}
}

// checkAborted serves a request through h, whose handler panics after its
// response started, and checks that it ended with http.ErrAbortHandler (no
// 500 written into the started response) and one event, the panic's.
func checkAborted(t *testing.T, rec *logcrumbstest.Recorder, h http.Handler) {
	t.Helper()
	resp := httptest.NewRecorder()
	var p any
	func() {
		defer func() { p = recover() }()
		h.ServeHTTP(resp, httptest.NewRequest("GET", "/orders", nil))
	}()
	if p != http.ErrAbortHandler {
		t.Errorf("the request ended with panic %v, want http.ErrAbortHandler: response %d %q taken for a whole one", p, resp.Code, resp.Body.String())
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want 1, the panic's", n)
	}
}
