// Package logcrumbs turns structured logs into Sentry breadcrumbs and events.
//
// Records below the event level are kept, cheaply, as breadcrumbs in a
// bounded trail that belongs to the current [context.Context]: one request,
// one job, one message. Records at or above the event level become Sentry
// events that carry that trail, oldest first, together with the exception
// chain of the errors they carry and their attributes.
//
// This package holds what every logger shares:
//
//   - units of work: [Middleware] for net/http requests and [RunJob] for
//     everything else give each unit a trail and a Sentry hub of its own,
//     and report a panic once; [NewContext], [NewChildContext] and
//     [ContextWithTrail] attach trails by hand, [FromContext] reads them;
//   - the options every integration shares ([Options]);
//   - noise control, for the whole process: repeats of one event within
//     Options.DedupeWindow are counted rather than sent, a rate limit
//     ([SetRateLimit]) bounds events per second, and [Stats] returns the
//     counters;
//   - [Flush], before the program exits.
//
// The logger integrations live in sub-packages:
//
//   - [github.com/logcrumbs/logcrumbs/slogsentry] for log/slog (and
//     [github.com/logcrumbs/logcrumbs/slogsentry/expslog] for
//     golang.org/x/exp/slog)
//   - [github.com/logcrumbs/logcrumbs/zapsentry] for go.uber.org/zap
//   - [github.com/logcrumbs/logcrumbs/zerologsentry] for github.com/rs/zerolog
//   - [github.com/logcrumbs/logcrumbs/logrussentry] for
//     github.com/sirupsen/logrus
//   - [github.com/logcrumbs/logcrumbs/logrsentry] for github.com/go-logr/logr
//     (Kubernetes, controller-runtime, klog)
//
// A record whose context carries no trail goes to a single process-wide
// fallback trail ([Fallback]). Attach a trail per unit of work so that one
// request's breadcrumbs never appear in another's events.
//
// One request that logs through several loggers gets one trail: every
// integration looks the trail up in the same context.
//
// The keys logcrumbs writes are its own: "sentry.event_id" in an error
// record's breadcrumb and in its Sentry Log, whichever option sends it
// there (the event it was sent as, or folded into), and in a Sentry Log
// "logcrumbs.logger", "logcrumbs.time" and
// "logcrumbs.dropped_attrs" (and "logcrumbs.truncated",
// "logcrumbs.dropped_attrs" in an event's log context); in a Sentry Log,
// every key under "sentry." is Sentry's (sentry-go writes the client's
// release and environment there; logcrumbs "sentry.origin",
// "auto.log.logcrumbs", as sentry-go's integrations mark theirs). A
// record's own field of such a name is kept under the name prefixed with
// "attr."; it never replaces logcrumbs' or Sentry's entry. A field whose name is such a name
// already prefixed ("attr.sentry.event_id") is prefixed once more in turn,
// so that no field of the record is lost to another.
//
// # A program's own Sentry setup
//
// An event goes to the client of the hub of the record's context
// (sentry.GetHubFromContext; else Options.Hub, else sentry.CurrentHub())
// with that hub's scope as it is then, as hub.CaptureEvent would send it:
// the scope's tags, user, contexts, level and fingerprint (a scope
// hub.WithScope pushed, for the records logged inside it), the client's
// Release, Environment, Dist, ServerName, integrations and event
// processors (IgnoreErrors), SampleRate and BeforeSend, whose hint holds
// the record's first error (OriginalException) and its context (Context;
// Middleware's panic event carries the request there, under
// sentry.RequestContextKey, as sentryhttp's does). An event they drop is
// counted in [Stats] as failed and is no [LastEventID]. sentry-go's
// hub.LastEventID is not set by logged events, which reach the client
// with a scope of logcrumbs' (it merges the trail into the scope's
// breadcrumbs): use [LastEventID], which counts hand captures too. A
// message event always carries the log call's stack, whatever
// AttachStacktrace says.
//
// A trail's records become breadcrumbs when an event is built: the
// client's BeforeBreadcrumb sees them then, once for each event built
// with them (not when they are logged, and never for a unit that sends
// no event), so that one with side effects (counting, sampling at
// random) may see a record more than once. MaxBreadcrumbs bounds the
// trail's and the scope's together (hub.AddBreadcrumb), the newest kept,
// in time order; a negative one sends none. A trail keeps at most its
// capacity ([DefaultCapacity], the trails of Middleware, RunJob and
// NewContext): above it, MaxBreadcrumbs gets no more of the trail's; a
// unit made with [Bind] on [ContextWithTrail] of a larger [NewTrail]
// keeps more. Sentry Logs go through sentry.NewLogger and the client's
// BeforeSendLog; sentry-go (v0.50) has no client option that turns Logs
// off: the integrations' Logs levels and Options.LogsOnEvent are off
// unless set.
//
// The process-wide state is the fallback trail, the dedupe table and rate
// limit, the counters, and the set of Sentry clients [Flush] waits on.
package logcrumbs
