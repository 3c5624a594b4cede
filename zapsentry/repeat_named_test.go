package zapsentry_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// logQueryFailed is a logging helper shared by the layers: one call site
// (one program counter with zap.AddCaller) for every logger it is given.
func logQueryFailed(l *zap.Logger, err error) { l.Error("query failed", zap.Error(err)) }

// TestRepeatsAreOneNamedLogger: two named loggers of one core (one
// integration) that log the same error from one call site are two
// fingerprints: in a request where the store's hot loop repeats and the
// service logs what it was returned, interleaved, only the store's repeats
// are counted. The skipped repeat of a record with a program counter is
// counted on the entry its integration's last repeat went to when its
// identity matches (policy.RepeatMemo), so the identity must hold the
// logger: conformance's RepeatsAreOneLayers cannot tell, as its layers are
// integrations of their own, each with its own memo.
func TestRepeatsAreOneNamedLogger(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	base := zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts}), zap.AddCaller())
	ctx := rec.Context(context.Background())
	_, store := zapsentry.WithContext(ctx, base.Named("store"))
	_, service := zapsentry.WithContext(ctx, base.Named("service"))
	err := fmt.Errorf("query: %w", errors.New("db down"))
	logQueryFailed(store, err) // the event
	for range 3 {
		logQueryFailed(store, err)
		logQueryFailed(service, err)
	}
	logQueryFailed(service, err)
	logQueryFailed(store, err)
	if n := len(rec.Events()); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
	logcrumbs.Flush(time.Second)
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events after Flush, want the event and a summary", len(evs))
	}
	if n, _ := evs[1].Contexts["logcrumbs"]["repeats"].(int); n != 4 {
		t.Errorf("summary of %d repeats, want the store's 4", n)
	}
}
