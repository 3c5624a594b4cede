package logcrumbs

import (
	"net/http"

	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// MaxPendingDeliveries is how many events, across clients, DeliveryTransport
// follows while they await their outcome; events handed over beyond it are
// counted in Stats as EventsUntracked and make Flush false. It bounds the
// memory of a burst between two Flushes (about 100 bytes an event).
const MaxPendingDeliveries = policy.MaxPendingDeliveries

// DeliveryTransport returns an http.RoundTripper for
// sentry.ClientOptions.HTTPTransport that sends every request through next
// (http.DefaultTransport when nil), unchanged, and tells logcrumbs what
// became of the events it sent: a 2xx answer is delivered; a network error,
// a 429, a 5xx or another 4xx is not. It reads the event ID from the
// envelope's header line, from a copy of the body.
//
// With it, Flush returns true only when every event logcrumbs handed to the
// client since the last Flush was delivered, and Stats counts each event
// as delivered, undelivered or lost (dropped inside sentry-go: its queue
// full, Sentry's rate limit in force). Without it, logcrumbs knows only that
// an event was handed to the client. It is opt-in: it reads each envelope's
// first line once more, on sentry-go's sending goroutine; logging itself
// costs nothing more.
//
// sentry-go uses HTTPTransport whichever of its transports is active (the
// default telemetry buffer, HTTPTransport, HTTPSyncTransport) unless
// ClientOptions.HTTPClient is set: then put DeliveryTransport in that
// client's Transport instead. sentry-go applies HTTPProxy, HTTPSProxy and
// CaCerts only to the transport it builds itself: give next a configured
// *http.Transport if you need them. Events captured by hand
// (hub.CaptureException) are sent as usual but not followed.
func DeliveryTransport(next http.RoundTripper) http.RoundTripper {
	return policy.Default().NewDeliveryTransport(next)
}
