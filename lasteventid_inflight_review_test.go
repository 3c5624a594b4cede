package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestLastEventIDAfterInFlightDropKeepsEarlierEvent: a unit sends event A;
// then one goroutine logs error E, whose event B the client holds
// (BeforeSend) and drops, while another goroutine logs E too, folded into
// B. Had the second log come after the drop (or not at all), LastEventID
// would be A, the unit's last event sent; it is the empty ID instead, as
// eventid.go documents: the trail keeps no event before B (Trail.lastEvent
// with lastRef; another 24 bytes would push a trail with its context past
// its 1,024-byte size class, TestNewContextBytes). Which answer a user
// gets depends on how two goroutines interleave.
func TestLastEventIDAfterInFlightDropKeepsEarlierEvent(t *testing.T) {
	t.Skip("defect (judgment call, documented in eventid.go): LastEventID is \"\" rather than the unit's earlier sent event when a record was folded into an event the client then dropped; the same logs one after another give the earlier event")
	rec, inFlight, release := heldDrop(t, "first")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	logger.ErrorContext(ctx, "first failed", "err", errors.New("first"))
	a := logcrumbs.LastEventID(ctx)
	if a == "" {
		t.Fatal("no event A")
	}
	boom := errors.New("in flight: card declined")
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger.ErrorContext(ctx, "charge failed", "err", boom)
	}()
	<-inFlight
	logger.ErrorContext(ctx, "charge failed again", "err", boom) // folded into B
	close(release)
	<-done
	if id := logcrumbs.LastEventID(ctx); id != a {
		t.Errorf("LastEventID = %q, want A %q (as when the second log comes after the drop)", id, a)
	}
}
