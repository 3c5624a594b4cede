package logcrumbs_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestContextGoStringReadsNoState: %#v of the contexts NewContext and
// Middleware make (as a test failure or a debug print shows them) describes
// them as their String does, as it did when they were context.WithValue,
// whose %#v shows the trail and the unit as pointers. Printed field by
// field, they would dump the trail's ring and the unit's panic state, read
// without their locks while other goroutines log or report a panic into
// them: a data race (go test -race).
func TestContextGoStringReadsNoState(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := slog.New(slogsentry.NewHandler(slog.DiscardHandler, slogsentry.Options{Options: rec.Options()}))
	// printing prints ctx with %#v until stop is called, which checks the
	// last print.
	printing := func(what string, ctx context.Context) (stop func()) {
		quit, done := make(chan struct{}), make(chan string)
		go func() {
			var s string
			for {
				s = fmt.Sprintf("%#v", ctx)
				select {
				case <-quit:
					done <- s
					return
				default:
				}
			}
		}()
		return func() {
			close(quit)
			if s, want := <-done, fmt.Sprint(ctx); s != want || strings.Contains(s, "Mutex") {
				t.Errorf("%s: %%#v = %.300s..., want %q", what, s, want)
			}
		}
	}
	ctx := logcrumbs.NewContext(context.Background())
	stop := printing("NewContext", ctx)
	for range 200 {
		log.InfoContext(ctx, "step")
	}
	stop()
	// The unit's panic state changes as Middleware reports the panic.
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			stop = printing("Middleware", r.Context())
			log.InfoContext(r.Context(), "step")
			panic("handler failed")
		}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	stop()
}
