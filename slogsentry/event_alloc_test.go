package slogsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/race"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// countingTransport counts events and keeps none, so that what an event
// costs is not blurred by a transport's storage.
type countingTransport struct{ n atomic.Int64 }

func (*countingTransport) Configure(sentry.ClientOptions)        {}
func (t *countingTransport) SendEvent(*sentry.Event)             { t.n.Add(1) }
func (*countingTransport) Flush(time.Duration) bool              { return true }
func (*countingTransport) FlushWithContext(context.Context) bool { return true }
func (*countingTransport) Close()                                {}

// TestEventAllocs holds what an event of a %w-wrapped error with 3
// attributes costs, as issue 20 measures it (BenchmarkSlogEvent
// /logcrumbs-empty: deduplication off, a new trail for each record, no
// breadcrumbs): at most 12 allocations beyond what sentry-go's client
// allocates for an event of a message alone (the event, its contexts, the
// scope's and the integrations' data). Ours: the trail with its context;
// the record, new from the pool, and its storage; the copy of its text and
// the boxes of its attributes; the attributes' map; the exception chain
// and its stack's frames; the capture-once entries; the event's ID and
// fingerprint key; the hint and scope handed to the client. It was 19: the
// exception chain took 4 allocations more (its mechanisms, their parent
// IDs and its stack one by one), the record's storage one more, and a
// summary of the event for repeat counting (2, with a logger name) was
// built and thrown away with deduplication off.
func TestEventAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	tr := new(countingTransport)
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	policy.Default().Unlimit(client) // every record an event
	hub := sentry.NewHub(client, sentry.NewScope())
	base := testing.AllocsPerRun(200, func() {
		client.CaptureEvent(&sentry.Event{Message: "charge failed", Level: sentry.LevelError}, nil, hub.Scope())
	})
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}}))
	cause := errors.New("connection refused")
	errs := make([]error, 1000)
	for i := range errs {
		errs[i] = fmt.Errorf("charge order %d: %w", i, cause)
	}
	i := 0
	logOnce := func() {
		l.ErrorContext(logcrumbs.NewContext(context.Background()), "charge failed", "err", errs[i%len(errs)], "path", "/users/42", "status", 200, "took", 3*time.Millisecond)
		i++
	}
	for range 100 {
		logOnce()
	}
	before := tr.n.Load()
	got := testing.AllocsPerRun(200, logOnce)
	if sent := tr.n.Load() - before; sent != 201 {
		t.Fatalf("%d records sent %d events, want one each", 201, sent)
	}
	t.Logf("an event allocates %.0f times, sentry-go's client for an event of a message %.0f", got, base)
	if got > base+12 {
		t.Errorf("an event allocates %.0f times, want at most %.0f (sentry-go's client for an event of a message) + 12", got, base)
	}
}
