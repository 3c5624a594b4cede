package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobHandsBackDedupedInFlightEvent: a job's record is deduplicated
// against another unit's event while the client decides it, and the job
// returns the error, handed back to the unit running it. The client then
// drops the event: the unit's log of the error names no event, nor is it
// the unit's LastEventID, as when the job runs after the drop.
func TestJobHandsBackDedupedInFlightEvent(t *testing.T) {
	rec, inFlight, release := heldDrop(t, "")
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	log := func(ctx context.Context, err error) { logger.ErrorContext(ctx, "job in flight", "err", err) } // one call site
	u, parent := rec.Context(context.Background()), rec.Context(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		log(u, errors.New("job in flight: card declined"))
	}()
	<-inFlight
	boom := errors.New("job in flight: card declined")
	err := logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		log(ctx, boom) // deduplicated against U's event, in the client's hands
		return boom
	})
	if err != boom {
		t.Fatalf("RunJob = %v", err)
	}
	close(release)
	<-done
	log(parent, boom) // the job's event, handed back
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none", n)
	}
	checkNamesNoEvent(t, parent)
}
