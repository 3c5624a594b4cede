package logcrumbs

import (
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/policy"
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
// its error was already sent from the same trail (capture once).
//
// EventsSent means handed to the Sentry client, not delivered: sentry-go
// queues the event and sends it later, and drops it without a word when its
// queue is full (100 error events waiting, then 1,000 requests), while
// Sentry's rate limit (a 429) is in force, or when the client was closed;
// Sentry itself may refuse it. Only for clients that send through
// DeliveryTransport does logcrumbs learn what became of each event it sent:
// it is then counted once more, as delivered, undelivered, lost or
// untracked. (sentry-go also reports its own drops to Sentry as client
// reports, "Discarded" in Sentry's stats page.)
type Counters struct {
	BreadcrumbsKept    uint64 // records kept in a trail
	BreadcrumbsDropped uint64 // records a full trail dropped (its oldest)
	EventsSent         uint64 // events handed to a Sentry client (not necessarily delivered)
	EventsDeduplicated uint64 // events suppressed as repeats within Options.DedupeWindow
	EventsRateLimited  uint64 // events dropped by the rate limit (SetRateLimit)
	EventsFailed       uint64 // events the client dropped (BeforeSend, sampling, its own limits) or whose building failed

	// For clients with DeliveryTransport only: what became of the events
	// counted in EventsSent. Each such event is counted in one of these,
	// once its outcome is known; until then (an event in sentry-go's
	// queue) in none.
	EventsDelivered   uint64 // Sentry accepted its request (2xx)
	EventsUndelivered uint64 // its request failed: a network error, or a 4xx (429 included) or 5xx answer
	EventsLost        uint64 // never requested by the time Flush had drained its client: dropped inside sentry-go (queue full, rate limit backoff, client closed)
	EventsUntracked   uint64 // not followed: MaxPendingDeliveries (10,000) events already awaited their outcome

	UserPanics uint64 // panics recovered in the user's String, Error, LogValue, Marshal... methods
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
		EventsDelivered:    stats.EventsDelivered.Load(),
		EventsUndelivered:  stats.EventsUndelivered.Load(),
		EventsLost:         stats.EventsLost.Load(),
		EventsUntracked:    stats.EventsUntracked.Load(),
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
func SetRateLimit(perSecond float64, burst int) { policy.Default().SetRateLimit(perSecond, burst) }

// Flush sends what logcrumbs holds back, then waits, at most timeout in
// all, for the Sentry clients that hold logcrumbs' events or Sentry Logs
// sent since the last Flush, and for sentry.CurrentHub()'s. What it holds back: for each
// fingerprint whose repeats were suppressed (Options.DedupeWindow) since
// its last event, one event that says how many: an event of the same
// issue, without breadcrumbs, with the tag "logcrumbs.summary" set to
// "true" and the count in the context "logcrumbs" ("repeats"); those a
// full dedupe table sends in the background to make room, under way as
// Flush begins, count as its own; so do the events other goroutines are
// handing to their clients as it begins (in BeforeSend, or a synchronous
// transport's request). Called there itself (a BeforeSend or a
// synchronous transport calling Flush while logcrumbs hands it an event),
// it waits for that event too: its whole timeout, and is false. Call it
// before the program exits, after the last log call.
//
// What true means depends on the client's transport:
//
//   - With DeliveryTransport in its ClientOptions: every event logcrumbs
//     handed to the client since the last Flush was delivered (Sentry
//     answered 2xx). Flush returns false as soon as the client's queue is
//     drained if one was refused (network error, 429, 5xx, other 4xx) or
//     dropped inside sentry-go without a request (its queue full, Sentry's
//     rate limit in force, the client closed); Stats counts each.
//   - Without it: every client's queue was drained within timeout
//     (sentry-go's Client.Flush), or, with sentry-go's default transport,
//     the client was closed (its Close drains the queue first, for up to
//     5 s). Sentry may still have refused the events, or sentry-go
//     dropped them: install DeliveryTransport to know.
//
// False also means the timeout was reached first. The summaries count in
// the timeout: past it (a slow BeforeSend, a synchronous transport such as
// sentry-go's HTTPSyncTransport with Sentry unreachable) they go on being
// handed to their clients in the background, and Flush is false. A Flush that begins while
// another is under way (zap's Sync from two goroutines, say) waits for it,
// within its own timeout, and is false if that one was: the earlier Flush
// answers for the events handed over before both began.
//
// A client with nothing of logcrumbs' since the last Flush is not waited
// for (sentry.CurrentHub()'s always is), so an old client closed after sentry.Init was called again
// does not make Flush false with sentry-go's default transport. With
// DisableTelemetryBuffer or a sentry.HTTPTransport, Close drops the queue
// and a closed client looks like a slow one: Flush waits the whole timeout
// for it and is false, unless the client sends through DeliveryTransport
// and every outcome was known already. Flush before closing a client.
func Flush(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	p := policy.Default()
	// The summaries are handed over in a goroutine of their own, waited
	// for until deadline: a client's CaptureEvent runs its BeforeSend, and
	// with a synchronous transport (sentry-go's HTTPSyncTransport) sends
	// the request itself, for as long as Sentry takes to answer, or the
	// transport's own timeout. Past deadline they go on being handed over,
	// and Flush is false.
	send := p.TakePending()
	if send == nil { // nothing held back: no goroutine, whose start a timeout of zero would not wait for
		return p.FlushClients(sentry.CurrentHub().Client(), deadline)
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		send()
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-sent:
	case <-timer.C:
		select {
		case <-sent: // done as the timer fired (a timeout of zero)
		default:
			p.FlushClients(sentry.CurrentHub().Client(), deadline) // takes over what was handed over so far
			return false
		}
	}
	return p.FlushClients(sentry.CurrentHub().Client(), deadline)
}
