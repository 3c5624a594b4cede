package logcrumbs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// TestMiddlewareNilHandler: wrapping a nil handler (as one would pass nil
// to http.ListenAndServe for http.DefaultServeMux) is the caller's mistake:
// Middleware says so when it wraps, as http.Handle does, rather than answer
// every request with a 500 and a "nil pointer dereference" event.
func TestMiddlewareNilHandler(t *testing.T) {
	mw := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Recover: true})
	var p any
	func() {
		defer func() { p = recover() }()
		mw(nil)
	}()
	if got := fmt.Sprint(p); !strings.Contains(got, "nil handler") || !strings.Contains(got, "http.DefaultServeMux") {
		t.Errorf("Middleware(...)(nil) panicked with %q, want a panic that names the nil handler and says to pass http.DefaultServeMux for handlers registered with http.HandleFunc", got)
	}
}
