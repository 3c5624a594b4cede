package bench

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// countingTransport counts what a client hands it, so that an event path
// that drops events cannot look fast: every event benchmark reports
// events/op.
type countingTransport struct{ n atomic.Int64 }

func (t *countingTransport) Configure(sentry.ClientOptions)        {}
func (t *countingTransport) SendEvent(*sentry.Event)               { t.n.Add(1) }
func (t *countingTransport) Flush(time.Duration) bool              { return true }
func (t *countingTransport) FlushWithContext(context.Context) bool { return true }
func (t *countingTransport) Close()                                {}

// newHub returns a hub whose client sends to a new counting transport.
// (sentry-go v0.50 batches Sentry Logs through the same transport.)
func newHub(b *testing.B) (*sentry.Hub, *countingTransport) {
	b.Helper()
	tr := new(countingTransport)
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
	if err != nil {
		b.Fatal(err)
	}
	return sentry.NewHub(client, sentry.NewScope()), tr
}

// reportEvents reports what reached the transport per op.
func reportEvents(b *testing.B, tr *countingTransport) {
	b.ReportMetric(float64(tr.n.Load())/float64(b.N), "events/op")
}

// The record every breadcrumb benchmark logs: a message and 4 typed
// attributes (string, int, duration, bool).
const (
	msg    = "request served"
	path   = "/users/42"
	status = 200
	took   = 3 * time.Millisecond
	cached = false
)

var errBase = errors.New("connection refused")

// newError returns a new %w-wrapped error each time, as a new failure would
// be: capture-once must not turn the event path into a no-op.
func newError(i int) error { return fmt.Errorf("charge order %d: %w", i, errBase) }

// trailOf20 returns a context whose trail holds 20 records and keeps 20, so
// that every event of a benchmark carries exactly 20 breadcrumbs.
func trailOf20(fill func(ctx context.Context)) context.Context {
	ctx := logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(20))
	for range 20 {
		fill(ctx)
	}
	return ctx
}

// warm logs enough records to fill a trail twice before a benchmark
// measures, so that it measures the steady state: a full ring recycling its
// records, not the first fill's allocations.
func warm(log func()) {
	for range 2 * logcrumbs.DefaultCapacity {
		log()
	}
}

// noDedupe turns deduplication off: every event benchmark logs the same
// line over and over, which logcrumbs would otherwise send once and count
// as repeats (a real hot loop wants that; a benchmark of the event path
// does not).
const noDedupe = -1
