package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobPanicFoldedIntoInFlightEventHandsBackNone: a job's goroutine logs
// an error, whose event the client holds (BeforeSend), and the job panics
// with that error meanwhile: the panic is folded into that event
// (capture once) and RunJob, recovering it, hands it back to the unit
// running the job. The client then drops the event: the unit's log of the
// error RunJob returned names no event, nor is it LastEventID, as for a
// job that returns the error (TestJobHandsBackDedupedInFlightEvent).
func TestJobPanicFoldedIntoInFlightEventHandsBackNone(t *testing.T) {
	rec, inFlight, release := heldDrop(t, "")
	opts := rec.Options()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	parent := rec.Context(context.Background())
	boom := errors.New("job panic in flight: card declined")
	done := make(chan struct{})
	err := logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: opts, Recover: true}, func(ctx context.Context) error {
		go func() {
			defer close(done)
			logger.ErrorContext(ctx, "charge failed", "err", boom)
		}()
		<-inFlight
		panic(boom) // folded into the event in the client's hands
	})
	if !errors.Is(err, boom) {
		t.Fatalf("RunJob = %v", err)
	}
	close(release)
	<-done
	logger.ErrorContext(parent, "job failed", "err", err) // the job's event, handed back
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none", n)
	}
	checkNamesNoEvent(t, parent)
}
