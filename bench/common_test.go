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
// events/op, and the event benchmarks crumbs/event, so that a row named for
// 100 breadcrumbs shows that its events carried 100.
type countingTransport struct{ n, crumbs atomic.Int64 }

func (t *countingTransport) Configure(sentry.ClientOptions) {}
func (t *countingTransport) SendEvent(e *sentry.Event) {
	t.n.Add(1)
	t.crumbs.Add(int64(len(e.Breadcrumbs)))
}
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

// reportEvents reports what reached the transport per op, and how many
// breadcrumbs the events carried on average.
func reportEvents(b *testing.B, tr *countingTransport) {
	n := tr.n.Load()
	b.ReportMetric(float64(n)/float64(b.N), "events/op")
	if n > 0 {
		b.ReportMetric(float64(tr.crumbs.Load())/float64(n), "crumbs/event")
	}
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

// trailOf returns a context with an empty trail that keeps n records, so
// that every event of a benchmark carries at most n breadcrumbs.
func trailOf(n int) context.Context {
	return logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(n))
}

// eventOp returns the op of a <Logger>Event row, the same for every logger:
// it logs the i-th error record (fail) with a logger bound (bind) to a new
// trail each time (n == 0: the cost of the trail and of binding the logger
// to it, as a request pays, included), or to one of refillBatch(n) trails
// of n info records (info), used in turn and refilled, all at once with tm
// stopped, before each is used again (see refill).
func eventOp[L any](n int, tm timer, bind func(context.Context) L, info func(L), fail func(L, int)) func(i int) {
	if n == 0 {
		return func(i int) { fail(bind(logcrumbs.NewContext(context.Background())), i) }
	}
	ls := make([]L, refillBatch(n))
	for k := range ls {
		ls[k] = bind(trailOf(n))
	}
	return func(i int) {
		k := i % len(ls)
		if k == 0 {
			refill(tm, n, func() {
				for _, l := range ls {
					info(l)
				}
			})
		}
		fail(ls[k], i)
	}
}

// refillBatch returns how many trails an event row of n breadcrumbs
// refills per stop of its timer: enough that the row's trails hold
// refillRecords records in all, and at least 4.
//
// Stopping and starting a benchmark's timer reads the runtime's memory
// statistics twice, each a stop-the-world: once per op it cost about 30 us
// of CPU (futex wake-ups of the stopped threads) and added about 4 us to
// the timed event after it (SlogEvent/json+logcrumbs-empty, 10 -> 14 us),
// a fixed cost of the -trail rows alone, so that trail20 - empty and
// (trail100 - trail20) / 80 disagreed on what a breadcrumb costs. Once per
// batch it is amortised. The batch holds as many records whatever n, so
// that the records an event reads are as recently logged (as warm in the
// CPU's caches) in every -trail row: 16 trails of 100 records made the
// trail100 row's breadcrumbs a third dearer than trail20's.
func refillBatch(n int) int { return max(4, refillRecords/n) }

// refillRecords is how many records an event row's trails hold in all.
const refillRecords = 400

// runEvents runs an event row's op and reports what reached the transport.
func runEvents(b *testing.B, tr *countingTransport, op func(i int)) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		op(i)
		i++
	}
	reportEvents(b, tr)
}

// refill calls info n times before an event row's ops, with tm stopped,
// so that every event carries n info breadcrumbs: each event leaves its own
// breadcrumb in its trail, so a trail filled once would hold only the
// row's earlier events' breadcrumbs after n ops, and the row would not
// measure the breadcrumbs it is named for. The records pushed out go back
// to the pool, as at a unit of work's end.
func refill(tm timer, n int, info func()) {
	if n == 0 {
		return
	}
	tm.StopTimer()
	for range n {
		info()
	}
	tm.StartTimer()
}

// timer is what refill needs of a *testing.B.
type timer interface {
	StopTimer()
	StartTimer()
}

// trails are the event benchmarks' variants: "empty" gives each record a
// new trail, the others a trail of that many breadcrumbs (see eventOp).
var trails = []struct {
	name string
	n    int
}{{"empty", 0}, {"trail20", 20}, {"trail100", 100}}

// scopeBreadcrumbs adds n breadcrumbs like the benchmarks' info record (its
// message and 4 data values) to hub's scope, for the bridges that send the
// scope's breadcrumbs with an event (samber/slog-sentry).
func scopeBreadcrumbs(hub *sentry.Hub, n int) {
	for range n {
		hub.AddBreadcrumb(&sentry.Breadcrumb{
			Type: "default", Category: "log", Level: sentry.LevelInfo, Message: msg,
			Data: map[string]any{"path": path, "status": status, "took": took, "cached": cached},
		}, nil)
	}
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
