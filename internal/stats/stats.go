// Package stats holds logcrumbs' process-wide counters, read by
// logcrumbs.Stats. Every counter only grows.
package stats

import "sync/atomic"

// The counters.
var (
	BreadcrumbsKept    atomic.Uint64 // records appended to a trail (trails add them in batches)
	BreadcrumbsDropped atomic.Uint64 // records a full trail dropped
	EventsSent         atomic.Uint64 // events handed to a Sentry client
	EventsDeduplicated atomic.Uint64 // events suppressed as repeats of a recent one
	EventsRateLimited  atomic.Uint64 // events dropped by the process-wide rate limit
	EventsFailed       atomic.Uint64 // events the client refused or that failed to build
	EventsDelivered    atomic.Uint64 // events a DeliveryTransport saw Sentry accept (2xx)
	EventsUndelivered  atomic.Uint64 // events whose request a DeliveryTransport saw fail (error, 4xx, 5xx)
	EventsLost         atomic.Uint64 // events for a DeliveryTransport never requested by the time their client flushed
	EventsUntracked    atomic.Uint64 // events for a DeliveryTransport not followed: too many awaited their outcome
	UserPanics         atomic.Uint64 // panics recovered in the user's methods (String, LogValue, ...)
)
