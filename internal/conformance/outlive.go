package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// LoggerOutlivesItsRequest: a goroutine a handler starts logs, through the
// logger the handler bound to its request, after Middleware returned (and
// emptied the request's trail): its error is an event of the request (the
// request on it, the request's trace), whose breadcrumbs are those logged
// after the request ended, never another request's.
func testLoggerOutlivesItsRequest(t *testing.T, d Driver) {
	base, rec := newLogger(t, d, nil)
	var wg sync.WaitGroup
	release := make(chan struct{})
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := base.Bind(r.Context())
		log.Log(Info, "during "+r.URL.Path)
		if r.URL.Path != "/late" {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-release
			log.Log(Info, "after "+r.URL.Path)
			log.Log(Error, "late failure", Field{"err", errors.New("late")})
		}()
	}))
	late := httptest.NewRequest("GET", "/late", nil)
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	late.Header.Set("sentry-trace", traceID+"-00f067aa0ba902b7-1")
	h.ServeHTTP(httptest.NewRecorder(), late)
	other := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := base.Bind(r.Context())
		log.Log(Info, "during "+r.URL.Path)
		close(release)
		wg.Wait()
		log.Log(Info, "still "+r.URL.Path)
	}))
	other.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/other", nil))
	ev := one(t, rec)
	if got, want := ev.BreadcrumbMessages(), []string{"after /late"}; !slices.Equal(got, want) {
		t.Errorf("breadcrumbs %q, want %q", got, want)
	}
	if ev.Request == nil || ev.Request.URL != "http://example.com/late" {
		t.Errorf("request %+v, want /late's", ev.Request)
	}
	if got := fmt.Sprint(ev.Contexts["trace"]["trace_id"]); got != traceID {
		t.Errorf("trace %s, want /late's %s", got, traceID)
	}
}

// OneErrorFromManyGoroutines: the goroutines of one request log the same
// error at once: one event, with every goroutine's earlier records; the
// others are its breadcrumbs, each naming it.
func testOneErrorFromManyGoroutines(t *testing.T, d Driver) {
	const n = 12
	base, rec := newLogger(t, d, nil)
	log := base.Bind(rec.Context(context.Background()))
	err := errors.New("db down")
	var wg, ready sync.WaitGroup
	ready.Add(n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log.Log(Info, fmt.Sprintf("step %d", i))
			ready.Done()
			<-start
			log.Log(Error, "query failed", Field{"err", err})
		}()
	}
	ready.Wait()
	close(start)
	wg.Wait()
	log.Log(Error, "gave up", Field{"err", errors.New("gave up")})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
	}
	steps, repeats := 0, 0
	for _, b := range evs[0].Breadcrumbs() {
		if len(b.Message) > 5 && b.Message[:5] == "step " {
			steps++
		}
	}
	if steps != n {
		t.Errorf("the event has %d steps %q, want %d", steps, evs[0].BreadcrumbMessages(), n)
	}
	for _, b := range evs[1].Breadcrumbs() {
		if b.Message == "query failed" {
			repeats++
			if id := js(b.Data["sentry.event_id"]); id != js(string(evs[0].EventID)) {
				t.Errorf("a repeat names %s, want %s", id, evs[0].EventID)
			}
		}
	}
	if repeats != n {
		t.Errorf("%d breadcrumbs of the error, want %d: %q", repeats, n, evs[1].BreadcrumbMessages())
	}
}

// BindNilContext: a logger bound to a nil context logs, as to the
// fallback trail.
func testBindNilContext(t *testing.T, d Driver) {
	base, rec := newLogger(t, d, nil)
	var ctx context.Context
	log := base.Bind(ctx)
	log.Log(Info, "crumb")
	log.Log(Error, "failed", Field{"err", errors.New("nil ctx")})
	ev := one(t, rec)
	if got := ev.BreadcrumbMessages(); !slices.Contains(got, "crumb") {
		t.Errorf("breadcrumbs %q, want crumb", got)
	}
}
