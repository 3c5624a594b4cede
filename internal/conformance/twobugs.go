package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
)

// dbError is a driver's error type, wrapped by the layers above it.
type dbError struct{ op string }

func (e *dbError) Error() string { return "db: " + e.op + ": connection refused" }

// TwoBugsAtOneSiteAreTwoEvents: a handler's one error log (one call site)
// of two bugs, each wrapped with %w (*fmt.wrapError both), a database
// error and a JSON syntax error, is two events within DedupeWindow: Sentry
// makes two issues of their exception chains, and sentry-go's
// CaptureException would send both. The same bug again, from another
// request (another value of its chain's types), is deduplicated. A driver
// that sees only an error's text (TextErrors) sees no chain: its two bugs
// are one fingerprint, as its exceptions are one type.
func testTwoBugsAtOneSiteAreTwoEvents(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) { o.DedupeWindow = time.Minute })
	handle := func(err error) { // the handler's one log call
		logger.Bind(rec.Context(context.Background())).Log(Error, "request failed", Field{"err", err})
	}
	handle(fmt.Errorf("load user: %w", &dbError{"select " + t.Name()}))
	// Each error's text names the test: zerolog's ErrorMarshalFunc finds a
	// text it gave lately (another driver's run, which had it) as its error.
	handle(fmt.Errorf("decode body %s: %w", t.Name(), &json.SyntaxError{Offset: 3}))
	handle(fmt.Errorf("load user: %w", &dbError{"select again " + t.Name()}))
	want := 2
	if d.TextErrors {
		want = 1
	}
	if evs := rec.Events(); len(evs) != want {
		var chains [][]string
		for _, ev := range evs {
			var types []string
			for _, ex := range ev.Exceptions() {
				types = append(types, ex.Type)
			}
			chains = append(chains, types)
		}
		t.Errorf("%d events %v, want %d: the JSON error's (another exception chain) and the database error's, its second request deduplicated", len(evs), chains, want)
	}
}
