package logrussentry_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
)

// countHook counts the Panic entries fired, after logcrumbs' hook.
type countHook struct {
	n    atomic.Int32
	want int32
	done chan struct{}
}

func (h *countHook) Levels() []logrus.Level { return []logrus.Level{logrus.PanicLevel} }

func (h *countHook) Fire(*logrus.Entry) error {
	if h.n.Add(1) == h.want {
		close(h.done)
	}
	return nil
}

// TestPanicWithoutContextConcurrent: Panic entries of a logger used without
// WithContext, logged by many requests at once (a burst of one failure,
// each request's cleanup slow as its panic unwinds), are each one event, the entry's:
// not a second one for the panic, which prints the *Entry's Data.
func TestPanicWithoutContextConcurrent(t *testing.T) {
	const n = 8
	l, rec := newLogger(t, nil, nil)
	count := &countHook{want: n, done: make(chan struct{})}
	l.AddHook(count)
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The handler's cleanup (a transaction's rollback: a round trip
		// to the database) runs as the panic unwinds, before Middleware
		// recovers it; meanwhile the other requests log their entries.
		defer func() { <-count.done }()
		l.WithField("password", "hunter2").Panicf("bad order %s", r.URL.Query().Get("n"))
	}))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { _ = recover() }()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/?n=%d", i), nil))
		}()
	}
	wg.Wait()
	var msgs []string
	for _, ev := range rec.Events() {
		msgs = append(msgs, ev.Message)
	}
	sort.Strings(msgs)
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("bad order %d", i))
	}
	if strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("events %q, want the %d Panic entries' only", msgs, n)
	}
}
