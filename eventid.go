package logcrumbs

import (
	"context"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// LastEventID returns the ID of the last event sent for the unit of work of
// ctx (the trail it carries: a Middleware request, a RunJob job, a Bind or
// NewContext unit), so that an error page can show "reference: <id>" or
// link a user's feedback to the event. It counts an event sent by any
// logcrumbs integration, one captured by hand through the unit's hub
// (hub.CaptureException, sentryhttp), and a panic Middleware or RunJob
// recovered. A Middleware's unit nested in ctx's (a sub-router's, in a
// router's request) that returned counts as ctx's: its last event is ctx's
// if it came later, as the outer Middleware's EventIDHeader names it.
//
// A record that capture-once folded into an earlier event of the unit (the
// same error logged again by an upper layer), or that deduplication folded
// into an earlier event of the same fingerprint, counts as that earlier
// event: LastEventID returns its ID. A record that sent nothing (no client,
// the rate limit, RequireError, a BeforeSend that dropped it) leaves the
// ID as it was: the empty ID when the unit sent no event at all. So does a
// record folded into an event the client dropped: that event is no
// reference. A record folded into an event while the client was still
// deciding it (another goroutine of the unit logged the same error, or
// another unit's equal error was deduplicated against it) names it until
// the client drops it, and from then on names no event, as if it had come
// after the drop, but for one thing: LastEventID is then the empty ID,
// not the event before.
//
// An event captured by hand counts once it has passed the unit's hub
// scope; a client-level BeforeSend that drops it afterwards is not seen.
// A context without a trail (records on the fallback trail) returns the
// empty ID: that trail mixes every unit of work.
//
// It returns sentry.EventID, the type of sentry.Event.EventID and of
// hub.LastEventID, which converts to a string with string(id). Use it
// rather than the unit's hub.LastEventID, which logged events do not set
// (see "A program's own Sentry setup" in the package doc). It costs a
// context lookup and a mutex, and nothing on the breadcrumb path.
func LastEventID(ctx context.Context) sentry.EventID {
	if ctx == nil {
		return ""
	}
	return sentry.EventID(buffer.FromContext(ctx).LastEvent())
}
