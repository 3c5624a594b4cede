package logcrumbs_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// serve runs one request through h and returns what it panicked with.
func serve(h http.Handler, path string) (rec *httptest.ResponseRecorder, panicked any) {
	rec = httptest.NewRecorder()
	defer func() { panicked = recover() }()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec, nil
}

// wantOnePanicEvent checks that a request that panicked got a 500, and
// that it sent one event, named by the response's X-Sentry-Event-ID.
func wantOnePanicEvent(t *testing.T, rec *logcrumbstest.Recorder, resp *httptest.ResponseRecorder, panicked any) {
	t.Helper()
	if panicked != nil || resp.Code != http.StatusInternalServerError {
		t.Errorf("panicked %v, status %d, want a 500", panicked, resp.Code)
	}
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want 1: %s", len(evs), eventMessages(evs))
	} else if id := resp.Header().Get("X-Sentry-Event-ID"); id != string(evs[0].EventID) {
		t.Errorf("X-Sentry-Event-ID %q, want the panic's event %q", id, evs[0].EventID)
	}
}

func messages(ev logcrumbstest.Event) string {
	var out []string
	for _, b := range ev.Event.Breadcrumbs {
		out = append(out, b.Message)
	}
	return strings.Join(out, ",")
}

// TestMiddlewareOverlappingRequests: two requests in flight at once, logging
// through one slog logger; each event has only its own request's records.
func TestMiddlewareOverlappingRequests(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	var started, proceed sync.WaitGroup
	started.Add(2)
	proceed.Add(1)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		logger.InfoContext(ctx, "start "+r.URL.Path)
		started.Done()
		proceed.Wait() // both requests are now in flight
		logger.InfoContext(ctx, "end "+r.URL.Path)
		logger.ErrorContext(ctx, "failed "+r.URL.Path, "err", errors.New("boom "+r.URL.Path))
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(app)
	var wg sync.WaitGroup
	for _, p := range []string{"/a", "/b"} {
		wg.Add(1)
		go func() { defer wg.Done(); serve(h, p) }()
	}
	started.Wait()
	proceed.Done()
	wg.Wait()
	events := rec.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	for _, ev := range events {
		path := strings.TrimPrefix(ev.Message, "failed ")
		if got, want := messages(ev), "start "+path+",end "+path; got != want {
			t.Errorf("%s: breadcrumbs %q, want %q", ev.Message, got, want)
		}
		if ev.Request == nil || !strings.HasSuffix(ev.Request.URL, path) {
			t.Errorf("%s: request on the event = %+v", ev.Message, ev.Request)
		}
	}
}

// TestMiddlewarePanic: a panic is one unhandled fatal event with the trail,
// then panics again, or with Recover answers 500; the trail is emptied when
// the request ends.
func TestMiddlewarePanic(t *testing.T) {
	for _, recoverIt := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		hub := rec.Hub()
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
		var reqCtx context.Context
		app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reqCtx = r.Context()
			logger.InfoContext(r.Context(), "about to fail")
			panic("nil map somewhere")
		})
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, Recover: recoverIt})(app)
		resp, p := serve(h, "/crash")
		if recoverIt && (p != nil || resp.Code != 500) {
			t.Errorf("Recover: panicked %v, status %d", p, resp.Code)
		}
		if !recoverIt && p != "nil map somewhere" {
			t.Errorf("the panic did not go on: %v", p)
		}
		ev := rec.OnlyEvent()
		if ev.Level != sentry.LevelFatal || ev.Message != "panic in GET /crash: nil map somewhere" || messages(ev) != "about to fail" {
			t.Errorf("event = %q %q %q", ev.Level, ev.Message, messages(ev))
		}
		ex := ev.Exception
		if len(ex) != 1 || ex[0].Type != "panic" || ex[0].Value != "nil map somewhere" ||
			ex[0].Mechanism == nil || ex[0].Mechanism.Handled == nil || *ex[0].Mechanism.Handled {
			t.Errorf("exception = %+v", ex)
		} else if top := ex[0].Stacktrace.Frames[len(ex[0].Stacktrace.Frames)-1]; !strings.Contains(top.Function, "TestMiddlewarePanic") {
			t.Errorf("top frame %s is not where the panic happened", top.Function)
		}
		if n := logcrumbs.FromContext(reqCtx).Len(); n != 0 {
			t.Errorf("the trail keeps %d records after the request", n)
		}
	}
}

// TestMiddlewareWithSentryhttp: nested either way with sentryhttp (which
// panics again), a panic is one event.
func TestMiddlewareWithSentryhttp(t *testing.T) {
	for _, order := range []string{"sentryhttp outside", "logcrumbs outside"} {
		t.Run(order, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			hub := rec.Hub()
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(errors.New("kaput")) })
			lc := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})
			sh := sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle
			var h http.Handler
			if order == "sentryhttp outside" {
				h = sh(lc(app))
			} else {
				h = lc(sh(app))
			}
			// sentryhttp clones sentry.CurrentHub() when the request has no
			// hub; give it ours.
			h = withHub(h, hub)
			if _, p := serve(h, "/x"); p == nil {
				t.Error("the panic did not go on")
			}
			if n := len(rec.Events()); n != 1 {
				t.Errorf("%d events, want 1", n)
			}
		})
	}
}

func withHub(h http.Handler, hub *sentry.Hub) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(sentry.SetHubOnContext(r.Context(), hub.Clone())))
	})
}

func TestMiddlewareLeavesErrAbortHandler(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	if _, p := serve(h, "/"); p != http.ErrAbortHandler {
		t.Errorf("panicked %v", p)
	}
	if n := len(rec.Events()); n != 0 {
		t.Errorf("%d events for http.ErrAbortHandler", n)
	}
}

// TestMiddlewareClonesASharedHub: a hub every request inherits (on a base
// context) is not taken as a request's own: one request's hand-captured
// event carries its own breadcrumbs only.
func TestMiddlewareClonesASharedHub(t *testing.T) {
	rec := logcrumbstest.New(t)
	shared := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	loggedA, finishA := make(chan struct{}), make(chan struct{})
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{})
	a := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "request A step")
		close(loggedA)
		<-finishA
		sentry.GetHubFromContext(r.Context()).CaptureException(errors.New("A failed"))
	}))
	b := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "request B step")
		sentry.GetHubFromContext(r.Context()).CaptureException(errors.New("B failed"))
	}))
	for range 2 { // the second time, the shared hub is known as bound
		rec.Reset()
		loggedA, finishA = make(chan struct{}), make(chan struct{})
		ctx := sentry.SetHubOnContext(context.Background(), shared)
		doneA := make(chan struct{})
		go func() {
			defer close(doneA)
			a.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/a", nil).WithContext(ctx))
		}()
		<-loggedA
		b.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/b", nil).WithContext(ctx))
		close(finishA)
		<-doneA
		got := map[string]string{}
		for _, ev := range rec.Events() {
			got[ev.Exception[0].Value] = messages(ev)
		}
		if got["B failed"] != "request B step" || got["A failed"] != "request A step" {
			t.Errorf("breadcrumbs by event: %q, want each request's own", got)
		}
	}
}

// TestMiddlewareRecoverAfterStreaming: with Recover, a panic after the
// response started cannot become a 500; the response is aborted, as
// net/http does, so that the client sees an error rather than a cut body
// that looks whole. The panic is one event, with sentryhttp outside too
// (which would otherwise report the abort).
func TestMiddlewareRecoverAfterStreaming(t *testing.T) {
	for _, outer := range []string{"alone", "inside sentryhttp"} {
		t.Run(outer, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			hub := rec.Hub()
			var h http.Handler = logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, Recover: true})(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.WriteString(w, "row 1\n")
					http.NewResponseController(w).Flush() // through Unwrap
					panic("lost the database mid-stream")
				}))
			if outer != "alone" {
				h = withHub(sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle(h), hub)
			}
			srv := httptest.NewServer(h)
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			defer srv.Close()
			res, err := http.Get(srv.URL)
			if err == nil {
				body, rerr := io.ReadAll(res.Body)
				res.Body.Close()
				if rerr == nil {
					t.Errorf("client got status %d and a whole-looking body %q", res.StatusCode, body)
				}
			}
			srv.Close() // waits for the handler
			if n := len(rec.Events()); n != 1 {
				t.Errorf("%d events, want 1 for the panic", n)
			}
		})
	}
}

// TestMiddlewareRecoverKeepsWriterInterfaces: with Recover the handler's
// writer is a wrapper; it still hijacks (websockets), and a panic after an
// informational 103 is still a 500.
func TestMiddlewareRecoverKeepsWriterInterfaces(t *testing.T) {
	hub := logcrumbstest.New(t).Hub()
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, Recover: true})
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/early" {
			w.WriteHeader(http.StatusEarlyHints)
			panic("after early hints")
		}
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		_ = buf.Flush()
	})))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/ws")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "hijacked" {
		t.Errorf("body %q, want the hijacked connection's", body)
	}
	res, err = http.Get(srv.URL + "/early")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d after a panic following 103, want 500", res.StatusCode)
	}
}

// TestTransactionTagsAsBefore: a transaction of a unit of work's hub
// reaches BeforeSendTransaction with the tags it had before logcrumbs
// marked the hub's unit with a scope tag: none (nil) when neither the
// transaction nor the scope has any, its own when it has some, and never
// the marker. (Found by review: the marker made sentry-go give every
// transaction a tags map, which the unit's processor emptied but left.)
func TestTransactionTagsAsBefore(t *testing.T) {
	var mu sync.Mutex
	tags := map[string]map[string]string{}
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.EnableTracing = true
		o.TracesSampleRate = 1
		o.BeforeSendTransaction = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			mu.Lock()
			defer mu.Unlock()
			tags[ev.Transaction] = ev.Tags
			return ev
		}
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sentry.StartTransaction(r.Context(), "plain").Finish()
		tagged := sentry.StartTransaction(r.Context(), "tagged")
		tagged.SetTag("shop", "eu")
		tagged.Finish()
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	mu.Lock()
	defer mu.Unlock()
	if got, ok := tags["plain"]; !ok || got != nil {
		t.Errorf("a transaction without tags has tags %#v (sent: %v), want nil", got, ok)
	}
	if got := tags["tagged"]; len(got) != 1 || got["shop"] != "eu" {
		t.Errorf("a tagged transaction has tags %v, want its own", got)
	}
}

// A Tags map the program shares between the events it captures by hand is
// only read: Middleware marks its hub's unit without writing tags (a tag
// marker made sentry-go write into every event's map, which raced when
// requests captured in parallel; run with -race).
func TestSharedEventTagsNotWritten(t *testing.T) {
	rec := logcrumbstest.New(t)
	shared := map[string]string{"shop": "eu"}
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: rec.Hub()}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sentry.GetHubFromContext(r.Context()).CaptureEvent(&sentry.Event{Message: "by hand", Level: sentry.LevelError, Tags: shared})
	}))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
			}
		}()
	}
	wg.Wait()
	if len(shared) != 1 || shared["shop"] != "eu" {
		t.Errorf("the shared tags became %v", shared)
	}
	for _, ev := range rec.Events() {
		if len(ev.Tags) != 1 {
			t.Fatalf("an event's tags are %v, want only the program's", ev.Tags)
		}
	}
}

// TestMiddlewareManyRequestsOwnMarkers: many requests at once, each with a
// job whose hub is a clone of the request's; every event captured by hand
// through either hub carries its own unit's records only (the unit the hub
// is bound to owns the event, by its marker), and no marker leaves the
// process. Run with -race: the units are numbered concurrently.
func TestMiddlewareManyRequestsOwnMarkers(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		logger.InfoContext(ctx, "req "+r.URL.Path)
		_ = logcrumbs.RunJob(ctx, "job", logcrumbs.JobOptions{Options: noDedupe.Options}, func(ctx context.Context) error {
			logger.InfoContext(ctx, "job "+r.URL.Path)
			sentry.GetHubFromContext(ctx).CaptureException(errors.New("job " + r.URL.Path))
			return nil
		})
		sentry.GetHubFromContext(ctx).CaptureException(errors.New("req " + r.URL.Path))
	}))
	const n = 32
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); serve(h, fmt.Sprintf("/%d", i)) }()
	}
	wg.Wait()
	events := rec.Events()
	if len(events) != 2*n {
		t.Fatalf("%d events, want %d", len(events), 2*n)
	}
	for _, ev := range events {
		msg := ev.Exception[len(ev.Exception)-1].Value // "req /7" or "job /7"
		path := msg[strings.IndexByte(msg, ' '):]
		want := "req" + path // the request's own records
		if strings.HasPrefix(msg, "job") {
			want = "job" + path // the job's trail is its own
		}
		if got := messages(ev); got != want {
			t.Errorf("event %q has breadcrumbs %q, want %q", msg, got, want)
		}
		for k := range ev.Contexts {
			if strings.HasPrefix(k, "logcrumbs.unit") {
				t.Errorf("event %q: a unit marker left the process: %q", msg, k)
			}
		}
	}
}

// TestMiddlewareRecoverAnswersAWhole500: with Recover, the 500 that
// Middleware answers a panic with has no body, whatever the handler said
// of the body it meant to write before it panicked (its Content-Length):
// the client reads a whole 500, not a response cut short ("unexpected
// EOF" for the 100 bytes declared, and a connection dropped).
func TestMiddlewareRecoverAnswersAWhole500(t *testing.T) {
	hub := logcrumbstest.New(t).Hub()
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, Recover: true})
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		panic("encoding failed")
	})))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	defer srv.Close()
	for range 2 { // the second on the connection the first left, if any
		res, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusInternalServerError || err != nil {
			t.Errorf("status %d, body %q, read error %v; want a whole 500", res.StatusCode, body, err)
		}
	}
}

// unwrapOnly is the ResponseWriter wrapper Go 1.20 made the rule for
// middleware (a status recorder, an access log): it offers nothing but
// Unwrap, and http.ResponseController reaches the response's Flush,
// Hijack and FlushError through it.
type unwrapOnly struct{ http.ResponseWriter }

func (w unwrapOnly) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// passthroughModes are the MiddlewareOptions under which the handler's
// writer is Middleware's wrapper, and the zero options, under which it is
// not (what the handler sees without logcrumbs' wrapper).
var passthroughModes = []struct {
	name string
	opts logcrumbs.MiddlewareOptions
}{
	{"plain", logcrumbs.MiddlewareOptions{}}, // the handler gets the writer as it is: the control
	{"Recover", logcrumbs.MiddlewareOptions{Recover: true}},
	{"EventIDHeader", logcrumbs.MiddlewareOptions{EventIDHeader: "X-Sentry-Event-ID"}},
}

// TestMiddlewareFlushesThroughAnUnwrapOnlyWriter: inside another
// middleware whose writer offers only Unwrap, http.ResponseController's
// Flush still flushes the response, as it does without logcrumbs (or
// without Recover and EventIDHeader): a streaming handler (server-sent
// events) must not be left buffering.
func TestMiddlewareFlushesThroughAnUnwrapOnlyWriter(t *testing.T) {
	for _, m := range passthroughModes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.Hub = logcrumbstest.New(t).Hub()
			var flushErr error
			h := logcrumbs.Middleware(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, "data: 1\n\n")
				flushErr = http.NewResponseController(w).Flush()
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(unwrapOnly{rec}, httptest.NewRequest("GET", "/events", nil))
			if flushErr != nil || !rec.Flushed {
				t.Errorf("ResponseController.Flush: error %v, response flushed %v; want nil, true (as without logcrumbs)", flushErr, rec.Flushed)
			}
		})
	}
}

// TestMiddlewareHijacksThroughAnUnwrapOnlyWriter: inside another
// middleware whose writer offers only Unwrap, http.ResponseController's
// Hijack still hijacks the connection (a websocket upgrade), as it does
// without logcrumbs.
func TestMiddlewareHijacksThroughAnUnwrapOnlyWriter(t *testing.T) {
	for _, m := range passthroughModes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.Hub = logcrumbstest.New(t).Hub()
			inner := logcrumbs.Middleware(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Errorf("ResponseController.Hijack: %v, want the connection (as without logcrumbs)", err)
					return
				}
				defer conn.Close()
				_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
				_ = buf.Flush()
			}))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner.ServeHTTP(unwrapOnly{w}, r)
			}))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			defer srv.Close()
			res, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) != "hijacked" {
				t.Errorf("status %d, body %q; want the hijacked connection's", res.StatusCode, body)
			}
		})
	}
}

// TestMiddlewareFlushReportsAGoneClient: a streaming handler learns that
// its client went away from http.ResponseController's Flush, whose error
// net/http's response gives (FlushError); through Middleware's writer the
// error must still reach it, else the handler streams into a dead
// connection for ever.
func TestMiddlewareFlushReportsAGoneClient(t *testing.T) {
	for _, m := range passthroughModes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.Hub = logcrumbstest.New(t).Hub()
			clientGone := make(chan struct{})
			result := make(chan error, 1)
			h := logcrumbs.Middleware(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rc := http.NewResponseController(w)
				_, _ = io.WriteString(w, "data: first\n\n")
				if err := rc.Flush(); err != nil {
					result <- err
					return
				}
				<-clientGone
				chunk := strings.Repeat("x", 32<<10)
				deadline := time.Now().Add(3 * time.Second)
				for time.Now().Before(deadline) {
					_, _ = io.WriteString(w, chunk)
					if err := rc.Flush(); err != nil {
						result <- err
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
				result <- nil
			}))
			srv := httptest.NewServer(h)
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			defer srv.Close()
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.WriteString(conn, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil || !strings.Contains(line, "200") {
				t.Fatalf("status line %q, %v", line, err)
			}
			conn.Close()
			close(clientGone)
			if err := <-result; err == nil {
				t.Error("Flush reported no error for 3 s of writes to a closed connection; without logcrumbs' writer it does")
			}
		})
	}
}
