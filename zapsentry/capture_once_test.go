package zapsentry_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// zapFieldErrs is an error of an incomparable type (a slice of field
// errors, found again by identity and its text by capture-once) whose
// Error method logs with the request's logger.
type zapFieldErrs []zapFieldErr

type zapFieldErr struct {
	field  string
	logger **zap.Logger
}

func (e zapFieldErrs) Error() string {
	texts := make([]string, len(e))
	for i, f := range e {
		(*f.logger).Info("rendering a field error", zap.String("field", f.field))
		texts[i] = f.field + ": invalid"
	}
	return strings.Join(texts, "; ")
}

// TestErrorThatLogsLoggedTwice: an incomparable error whose Error method
// logs to the request's logger, logged twice, alone and among zap.Errors:
// the second log's capture-once look-up rechecked the captured error's
// text, its Error method, under the trail's lock, where its log waited
// for that lock forever.
func TestErrorThatLogsLoggedTwice(t *testing.T) {
	for _, many := range []bool{false, true} {
		t.Run(map[bool]string{false: "Error", true: "Errors"}[many], func(t *testing.T) {
			rec := logcrumbstest.New(t)
			var log *zap.Logger
			_, log = zapsentry.WithContext(rec.Context(context.Background()), zap.New(zapsentry.NewCore(zapsentry.Options{Options: rec.Options()})))
			err := zapFieldErrs{{"email", &log}, {"age", &log}}
			field := zap.Error(err)
			if many {
				field = zap.Errors("errs", []error{err})
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				log.Error("validation failed", field)
				log.Error("request failed", field)
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("logging the error twice did not return within 5 s: deadlocked on the trail's lock (user code ran under it)")
			}
			if evs := rec.Events(); len(evs) != 1 {
				t.Errorf("%d events, want 1 (capture once)", len(evs))
			}
		})
	}
}
