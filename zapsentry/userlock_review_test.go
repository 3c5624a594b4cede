package zapsentry_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

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
