package logcrumbs

import (
	"context"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/escalate"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/unit"
)

// Bind makes ctx a unit of work that reports through hub, for programs that
// manage their hubs themselves (Middleware and RunJob do this for theirs):
// it attaches a new trail to ctx if it carries none, puts hub on it, and
// binds the two, so that every event captured through hub carries the
// trail, whoever captures it (hub.CaptureException, sentryhttp, another
// integration), and capture-once holds between logged and hand-captured
// errors. Bind a hub to one unit of work only: a clone per request or job.
// A Middleware or RunJob begun in a bound ctx (a server's BaseContext)
// clones its hub and starts a trace of its own, as it does elsewhere.
// A nil hub (sentry.GetHubFromContext of a context that has none) binds
// nothing: ctx only gets a new trail, if it carries none.
func Bind(ctx context.Context, hub *sentry.Hub) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if hub == nil {
		if buffer.FromContext(ctx) != nil {
			return ctx
		}
		return NewContext(ctx)
	}
	// nil: a new trail, if ctx carries none. The unit's context carries
	// the trail and hub with it.
	ctx, _ = unit.Bind(ctx, hub, buffer.FromContext(ctx), nil, true)
	return ctx
}

// begin starts a unit of work on ctx with trail t (a new one if t is nil)
// and a hub: the one ctx has when reuse is set and that hub is the
// request's own (not sentry.CurrentHub(), not base, not one another unit is
// bound to), else a clone of the one ctx has, else of base, else of
// sentry.CurrentHub(); the hub is bound to a new unit.Unit. It returns the
// unit's context and its trail, which the caller releases (empties) when
// the unit of work ends.
//
// A clone starts a trace of its own (newTrace, or a new propagation context
// when newTrace is nil), so that the events of one unit share a trace ID
// and those of two units do not: a clone would otherwise keep the trace of
// the hub it was cloned from, which every unit cloned from one base hub
// shares. Only a clone of the hub of ctx's own unit of work (a job a
// request starts, a Middleware inside another) keeps its trace: it is part
// of that unit's work. A unit a program bound with Bind is not one request's
// or one job's (a server's BaseContext is every request's): a unit begun
// in it starts a trace of its own.
func begin(ctx context.Context, esc *escalate.Escalator, base *sentry.Hub, reuse bool, t *buffer.Trail, newTrace func(*sentry.Hub)) (context.Context, *buffer.Trail) {
	hub := sentry.GetHubFromContext(ctx)
	ownUnit := hub != nil && unit.HubOf(ctx) == hub && unit.UnitTrail(ctx).Adopts()
	// A hub on the context is reused only when it is the request's own (as
	// sentryhttp makes): never a hub every request shares, and never one
	// another unit of work was bound to.
	shared := hub == sentry.CurrentHub() || (base != nil && hub == base) || unit.Bound(ctx, hub)
	cloned := hub == nil || !reuse || shared
	if cloned {
		switch {
		case hub != nil:
			base = hub
		case base == nil:
			base = sentry.CurrentHub()
		}
		hub = base.Clone()
		switch {
		case ownUnit:
		case newTrace != nil:
			newTrace(hub)
		default:
			hub.Scope().SetPropagationContext(sentry.NewPropagationContext())
		}
	}
	// The unit's context carries the hub, as sentry.SetHubOnContext would.
	ctx, u := unit.Bind(ctx, hub, t, esc.Builder(), !cloned)
	return ctx, u.Trail()
}

// newEscalator builds the escalator of a unit-of-work integration
// (Middleware, RunJob) and registers its Options.UserKey with the process,
// as internal/core does for the logger integrations.
func newEscalator(opts Options, name string) *escalate.Escalator {
	policy.Default().RegisterUserKey(opts.UserKey)
	return escalate.New(escalate.Options(opts), name)
}
