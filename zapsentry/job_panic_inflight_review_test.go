package zapsentry_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestJobPanicRecordFoldedIntoInFlightEventHandsBackNone: in a job, a
// goroutine logs an error, whose event the client holds (BeforeSend), and
// the job logs it again with Panic meanwhile: the Panic record is folded
// into that event (capture once), which then reports zap's panic, and
// RunJob, recovering the panic, hands it back to the unit running the
// job as that event. The client then drops the event: the unit's log of
// the error RunJob returned names no event, nor is it LastEventID.
func TestJobPanicRecordFoldedIntoInFlightEventHandsBackNone(t *testing.T) {
	inFlight, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(*sentry.Event, *sentry.EventHint) *sentry.Event {
			once.Do(func() { close(inFlight); <-release })
			return nil
		}
	})
	opts := rec.Options()
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts}))
	parent := rec.Context(context.Background())
	boom := errors.New("job panic record in flight: card declined")
	done := make(chan struct{})
	err := logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: opts, Recover: true}, func(ctx context.Context) error {
		_, log := zapsentry.WithContext(ctx, logger)
		go func() {
			defer close(done)
			log.Error("charge failed", zap.Error(boom))
		}()
		<-inFlight
		log.Panic("charge failed for good", zap.Error(boom)) // folded into the event in the client's hands
		return nil
	})
	if err == nil {
		t.Fatal("RunJob = nil, want the panic")
	}
	close(release)
	<-done
	_, log := zapsentry.WithContext(parent, logger)
	log.Error("job failed", zap.Error(err)) // the job's event, handed back
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none", n)
	}
	named := map[string]int{}
	for _, c := range logcrumbs.FromContext(parent).Breadcrumbs() {
		if id, ok := c.Data["sentry.event_id"].(string); ok {
			named[id]++
		}
	}
	if len(named) > 0 {
		t.Errorf("breadcrumbs name events never sent: %v", named)
	}
	if id := logcrumbs.LastEventID(parent); id != "" {
		t.Errorf("LastEventID = %q, an event never sent", id)
	}
}
