package logcrumbs

import (
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/escalate"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// Counters are logcrumbs' process-wide counters since the process started,
// for export as metrics. Every one only grows. A trail adds its breadcrumbs
// to the counters in batches of 32, so that requests do not contend for
// them: the counts are exact once a unit of work ends (Middleware, RunJob)
// and at most 31 behind for each trail still in use.
//
// An event-level record is counted once, as sent, deduplicated, rate
// limited or failed; not at all when no Sentry client is enabled or when
// its error was already sent from the same trail (capture once). "Sent" means handed to the Sentry client; what the
// client's transport drops after that (its queue full while Sentry is down,
// or Sentry's own rate limits) is not seen here: sentry-go reports it to
// Sentry as client reports ("Discarded" in Sentry's stats page).
type Counters struct {
	BreadcrumbsKept    uint64 // records kept in a trail
	BreadcrumbsDropped uint64 // records a full trail dropped (its oldest)
	EventsSent         uint64 // events handed to a Sentry client
	EventsDeduplicated uint64 // events suppressed as repeats within Options.DedupeWindow
	EventsRateLimited  uint64 // events dropped by the rate limit (SetRateLimit)
	EventsFailed       uint64 // events the client dropped (BeforeSend, sampling, its own limits) or whose building failed
	UserPanics         uint64 // panics recovered in the user's String, Error, LogValue, Marshal... methods
}

// Stats returns the counters.
func Stats() Counters {
	return Counters{
		BreadcrumbsKept:    stats.BreadcrumbsKept.Load(),
		BreadcrumbsDropped: stats.BreadcrumbsDropped.Load(),
		EventsSent:         stats.EventsSent.Load(),
		EventsDeduplicated: stats.EventsDeduplicated.Load(),
		EventsRateLimited:  stats.EventsRateLimited.Load(),
		EventsFailed:       stats.EventsFailed.Load(),
		UserPanics:         stats.UserPanics.Load(),
	}
}

// SetRateLimit sets the limit on events per second, and the burst allowed
// above it, for each Sentry client, shared by every integration (a program
// has one client, so this is the whole process's limit; tests with a client
// each do not share one): an error in a hot loop, or a storm of distinct
// errors, cannot flood Sentry or the transport's queue. Events over the
// limit are dropped (the record stays a breadcrumb) and counted in Stats.
// The default is 10 per second with a burst of 100; a rate of zero or less
// removes the limit. Setting it refills every bucket.
func SetRateLimit(perSecond float64, burst int) { escalate.SetRateLimit(perSecond, burst) }

// Flush sends what logcrumbs holds back, then waits for Sentry to confirm
// every event sent so far, at most timeout in all. What it holds back: for
// each fingerprint whose repeats were suppressed (Options.DedupeWindow)
// since its last event, one event that says how many. It waits on every
// client logcrumbs has sent through, and on sentry.CurrentHub()'s. It
// returns false if the timeout was reached first. Call it before the program
// exits, after the last log call.
func Flush(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	escalate.SendPending()
	ok := true
	for _, client := range append(escalate.Clients(), sentry.CurrentHub().Client()) {
		if client.IsEnabled() {
			ok = client.Flush(max(time.Until(deadline), 0)) && ok
		}
	}
	return ok
}
