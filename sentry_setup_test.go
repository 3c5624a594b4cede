package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestMiddlewarePanicHintCarriesTheRequest: a program's BeforeSend that
// reads the request of a panic's event from the hint, as Sentry's net/http
// guide shows for sentryhttp (hint.Context.Value(sentry.RequestContextKey)),
// finds it for Middleware's panic event too.
func TestMiddlewarePanicHintCarriesTheRequest(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			if hint.Context != nil {
				if r, ok := hint.Context.Value(sentry.RequestContextKey).(*http.Request); ok {
					if ev.Tags == nil {
						ev.Tags = map[string]string{}
					}
					ev.Tags["path"] = r.URL.Path
				}
			}
			return ev
		}
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options(), Recover: true})(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	resp, panicked := serve(h, "/checkout")
	if panicked != nil || resp.Code != http.StatusInternalServerError {
		t.Fatalf("panicked %v, status %d, want a 500", panicked, resp.Code)
	}
	if got := rec.OnlyEvent().Tags["path"]; got != "/checkout" {
		t.Errorf("BeforeSend found the request's path %q in the panic's hint, want %q", got, "/checkout")
	}
}

// TestMaxBreadcrumbsAboveTheTrailsCapacity: a client's MaxBreadcrumbs of
// 200 gets the 100 records a default trail keeps (the package doc says
// so), and 200 from a unit bound on a trail of that capacity.
func TestMaxBreadcrumbsAboveTheTrailsCapacity(t *testing.T) {
	for _, c := range []struct {
		capacity, want int
	}{{0, logcrumbs.DefaultCapacity}, {200, 200}} {
		rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) { o.MaxBreadcrumbs = 200 })
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := logcrumbs.Bind(logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(c.capacity)), rec.Hub().Clone())
		for i := range 300 {
			logger.InfoContext(ctx, fmt.Sprint("step ", i))
		}
		logger.ErrorContext(ctx, "boom")
		crumbs := rec.OnlyEvent().BreadcrumbMessages()
		if len(crumbs) != c.want || crumbs[len(crumbs)-1] != "step 299" {
			t.Errorf("trail of capacity %d: %d breadcrumbs, the newest %q; want %d, the newest %q", c.capacity, len(crumbs), crumbs[len(crumbs)-1], c.want, "step 299")
		}
	}
}

// TestDedupeDoesNotSeeTheScopesFingerprint pins what Options.DedupeWindow
// says: two units whose scopes set two fingerprints for one error at one
// log call are one event within the window; the fingerprint given as the
// record's attribute (FingerprintKey) makes them two.
func TestDedupeDoesNotSeeTheScopesFingerprint(t *testing.T) {
	for _, byAttr := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		opts := rec.Options()
		opts.DedupeWindow = time.Minute
		if byAttr {
			opts.FingerprintKey = "fp"
		}
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
		for _, tenant := range []string{"a", "b"} {
			ctx := rec.Context(context.Background())
			sentry.GetHubFromContext(ctx).Scope().SetFingerprint([]string{"tenant", tenant})
			logger.ErrorContext(ctx, "sync failed", "err", errors.New("quota exceeded"), "fp", "tenant-"+tenant)
		}
		if n, want := len(rec.Events()), map[bool]int{false: 1, true: 2}[byAttr]; n != want {
			t.Errorf("fingerprint by attribute %v: %d events, want %d", byAttr, n, want)
		}
	}
}
