// Package policy is logcrumbs' process-wide policy and the state it keeps:
// noise control (the dedupe table of recent fingerprints, the summaries
// Flush sends for their repeats, and the rate limit), the set of Sentry
// clients logcrumbs sent through and what it knows of the delivery of its
// events (for Flush), what it reads once of each client's options, the
// hubs units of work were bound to, and the user keys that gate user data.
//
// All of it lives in one value, the [Process] that [Default] returns, so
// that tests can see it whole and reset it. Sentry's quota is per process,
// and one trail serves every integration of a unit of work, so this state
// is shared by every integration; it is kept per client where a client's
// events must not disturb another's (tests with a client each).
//
// What stays outside: the counters of internal/stats (they only grow, and
// the breadcrumb path adds to one without a lookup), the client numbers
// (unique for the life of the process, see ClientID), the bounded
// memoization caches of call sites and frames in internal/event, the
// fallback trail of internal/buffer, and zerologsentry's table of recent
// errors (an adapter's own).
package policy

import "github.com/getsentry/sentry-go"

// Process is the process-wide policy and state. Its zero value is not
// ready: use Default.
type Process struct {
	noise       noise
	evicting    inFlight            // the summaries a full dedupe table is handing over (see sendEvicted)
	unlimited   perClient[struct{}] // clients exempt from the rate limit (see Unlimit)
	confs       perClient[ClientConf]
	boundHubs   perKey[sentry.Hub, struct{}] // hubs units of work were bound to without a clone
	users       userKeys
	delivery    delivery
	flushes     flushes
	sentThrough perClient[*clientDelivery] // the clients logcrumbs has sent events through, for Flush
	closed      perClient[struct{}]        // clients Flush does not wait for (see Closed)
}

var process = newProcess()

func newProcess() *Process {
	p := &Process{}
	p.noise.recent = map[string]*seen{}
	p.noise.rate, p.noise.burst = defaultRate, defaultBurst
	p.delivery.max = MaxPendingDeliveries
	p.users.register(defaultUserKey)
	return p
}

// Default returns the one Process of the program, which every integration
// uses.
func Default() *Process { return process }

// Reset returns p to its state at start: an empty dedupe table, the default
// rate limit (10 events a second, a burst of 100) with full buckets, no
// client exempt from it, no client remembered for Flush, no delivery
// awaited, no hub bound, and only the default user key ("user"). It is for
// tests, between tests that do not run in parallel with others: events in
// flight meanwhile are neither deduplicated against earlier ones nor
// awaited by Flush. A Flush under way is left to finish.
func (p *Process) Reset() {
	p.noise.reset()
	p.unlimited.reset()
	p.confs.reset()
	p.boundHubs.reset()
	p.users.reset()
	p.delivery.reset()
	p.sentThrough.reset()
	p.closed.reset()
}

// BindHub remembers hub as bound to a unit of work (while it lives).
func (p *Process) BindHub(hub *sentry.Hub) {
	p.boundHubs.get(hub, func() struct{} { return struct{}{} })
}

// HubBound reports whether BindHub was called with hub.
func (p *Process) HubBound(hub *sentry.Hub) bool { return p.boundHubs.has(hub) }

// Ours marks, in sentry.EventHint.Data, the events logcrumbs built, which
// carry their trail already: units of work leave them alone.
type Ours struct{}
