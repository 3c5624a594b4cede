// Package logcrumbs turns structured logs into Sentry breadcrumbs and events.
//
// Records below the event level are kept, cheaply, as breadcrumbs in a
// bounded trail that belongs to the current [context.Context]: one request,
// one job, one message. Records at or above the event level become Sentry
// events that carry that trail, oldest first, together with the exception
// chain of the errors they carry and their attributes.
//
// This package holds what every logger shares: attaching a trail to a
// context ([NewContext]), reading it ([FromContext]), and the options
// ([Options]). The logger integrations live in sub-packages:
//
//   - [github.com/logcrumbs/logcrumbs/slogsentry] for log/slog
//
// A record whose context carries no trail goes to a single process-wide
// fallback trail ([Fallback]). Attach a trail per unit of work so that one
// request's breadcrumbs never appear in another's events.
//
// One request that logs through several loggers gets one trail: every
// integration looks the trail up in the same context.
package logcrumbs
