package logrsentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// TestWrapTwiceIsOneTee: a logger wrapped twice (the program wraps the
// logger it hands to a library that wraps what it is given, or a
// constructor wraps a logger that main wrapped already) feeds logcrumbs
// once: the request's error is one event, with the request's trail and
// each breadcrumb once, and LastEventID names it. On 0e39369 the inner
// tee, which WithContext could not reach, kept every record a second time
// in the fallback trail and sent the error first from there: with the
// default DedupeWindow that event, carrying another request's
// breadcrumbs, was the one sent, and the request's own was dropped as its
// repeat; without deduplication, both were sent.
func TestWrapTwiceIsOneTee(t *testing.T) {
	for _, dedupe := range []bool{true, false} {
		rec := logcrumbstest.New(t)
		var out []string
		base := funcr.New(func(_, args string) { out = append(out, args) }, funcr.Options{})
		opts := logrsentry.Options{Options: rec.Options()}
		if dedupe {
			opts.DedupeWindow = 0 // the default window
		}
		once := logrsentry.Wrap(base, opts)
		once.Info("elsewhere " + t.Name()) // unbound: the fallback trail
		ctx, log := logrsentry.WithContext(rec.Context(context.Background()), logrsentry.Wrap(once, opts))
		log.Info("loading")
		log.Error(errors.New("quota exceeded"), "reconcile failed")

		evs := rec.Events()
		if len(evs) != 1 {
			t.Fatalf("dedupe %v: %d events, want 1", dedupe, len(evs))
		}
		if got := strings.Join(evs[0].BreadcrumbMessages(), ","); got != "loading" {
			t.Errorf("dedupe %v: breadcrumbs %q, want the request's own, once", dedupe, got)
		}
		if id := logcrumbs.LastEventID(ctx); id != evs[0].EventID {
			t.Errorf("dedupe %v: LastEventID %q, want the event's %q", dedupe, id, evs[0].EventID)
		}
		if len(out) != 3 {
			t.Errorf("dedupe %v: funcr wrote %d lines, want 3: %q", dedupe, len(out), out)
		}
	}
}
