package logcrumbs

import (
	"context"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/unit"
)

// DefaultCapacity is the number of records a trail keeps unless told
// otherwise: Sentry's default MaxBreadcrumbs.
const DefaultCapacity = buffer.DefaultCapacity

// Trail is the breadcrumb trail of one unit of work: a bounded ring of the
// records logged in it below the event level. When the ring is full, the
// oldest record is dropped and counted.
//
// A Trail is safe for concurrent use by any number of goroutines.
type Trail struct {
	t *buffer.Trail
}

// NewTrail returns an empty trail that keeps at most capacity records; zero
// or less means DefaultCapacity.
func NewTrail(capacity int) *Trail {
	return &Trail{t: buffer.NewTrail(capacity)}
}

// NewContext returns a copy of ctx with a new, empty trail of
// DefaultCapacity records. Call it at the start of each unit of work (a
// request, a job, a message) when no Middleware, RunJob or Bind is in
// effect on ctx; records logged with the returned context, or a context
// derived from it, go to that trail. A nil ctx stands for
// context.Background().
//
// On a context that already is a unit of work's (from Middleware, RunJob or
// Bind, and still carrying that unit's trail) it returns ctx unchanged: a
// new trail there would split the unit in two, its hub's events (panics,
// hand captures) on one trail and the records logged after NewContext on
// the other, and capture-once would not hold between them. So inside such
// a unit it does not start a trail per message: run each message with
// RunJob(ctx, ...) instead, which gives it its own trail and hub; else
// the messages share one trail, their breadcrumbs mix, and the same error
// in two messages is one event.
func NewContext(ctx context.Context) context.Context {
	if t := buffer.FromContext(ctx); t != nil && unit.UnitTrail(ctx) == t {
		return ctx
	}
	return buffer.NewContextWithTrail(ctx)
}

// ContextWithTrail returns a copy of ctx that carries t. Use it to choose a
// trail's capacity, or to share one trail between contexts that do not
// derive from each other.
func ContextWithTrail(ctx context.Context, t *Trail) context.Context {
	return buffer.NewContext(ctx, t.t)
}

// FromContext returns the trail ctx carries, or nil if it carries none.
func FromContext(ctx context.Context) *Trail {
	if t := buffer.FromContext(ctx); t != nil {
		return &Trail{t: t}
	}
	return nil
}

// Fallback returns the process-wide trail that keeps records whose context
// carries no trail. Every such record, from any goroutine, shares it, so an
// event built from it may show breadcrumbs of unrelated work.
func Fallback() *Trail { return &Trail{t: buffer.Fallback()} }

// Cap returns the number of records t keeps at most.
func (t *Trail) Cap() int { return t.t.Cap() }

// Len returns the number of records t holds now.
func (t *Trail) Len() int { return t.t.Len() }

// Dropped returns the number of records t dropped because it was full.
func (t *Trail) Dropped() uint64 { return t.t.Dropped() }

// Breadcrumbs returns t's records as Sentry breadcrumbs, oldest first. Each
// call converts the records anew; use it for tests and diagnostics, since
// events already carry the trail. The breadcrumbs share one copy of the
// records' text: keeping any of them keeps all of it (at most the trail's
// byte budget).
func (t *Trail) Breadcrumbs() []*sentry.Breadcrumb {
	recs := t.t.Snapshot(nil)
	defer buffer.PutAll(recs)
	values := buffer.Breadcrumbs(recs, nil)
	out := make([]*sentry.Breadcrumb, len(recs))
	for i := range values {
		out[i] = &values[i]
	}
	return out
}
