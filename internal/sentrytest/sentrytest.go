// Package sentrytest gives logcrumbs' own tests a Sentry hub whose client
// sends events to memory instead of the network.
package sentrytest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

// Transport is a sentry.Transport that keeps the events it is given.
type Transport struct {
	mu     sync.Mutex
	events []*sentry.Event
	notify chan struct{}
}

// NewTransport returns an empty Transport.
func NewTransport() *Transport { return &Transport{notify: make(chan struct{}, 1)} }

func (t *Transport) Configure(sentry.ClientOptions)            {}
func (t *Transport) Flush(time.Duration) bool                  { return true }
func (t *Transport) FlushWithContext(ctx context.Context) bool { return true }
func (t *Transport) Close()                                    {}

// SendEvent keeps event.
func (t *Transport) SendEvent(event *sentry.Event) {
	t.mu.Lock()
	t.events = append(t.events, event)
	t.mu.Unlock()
	select {
	case t.notify <- struct{}{}:
	default:
	}
}

// Events returns the events sent so far.
func (t *Transport) Events() []*sentry.Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*sentry.Event(nil), t.events...)
}

// Reset forgets the events sent so far.
func (t *Transport) Reset() {
	t.mu.Lock()
	t.events = nil
	t.mu.Unlock()
}

// NewHub returns a hub with a client that sends to a new Transport. Extra
// options may be set with configure (it may be nil).
func NewHub(tb testing.TB, configure func(*sentry.ClientOptions)) (*sentry.Hub, *Transport) {
	tb.Helper()
	tr := NewTransport()
	opts := sentry.ClientOptions{Transport: tr}
	if configure != nil {
		configure(&opts)
	}
	client, err := sentry.NewClient(opts)
	if err != nil {
		tb.Fatalf("sentry.NewClient: %v", err)
	}
	return sentry.NewHub(client, sentry.NewScope()), tr
}

// One returns the only event sent, failing the test if there is not exactly
// one.
func (t *Transport) One(tb testing.TB) *sentry.Event {
	tb.Helper()
	ev := t.Events()
	if len(ev) != 1 {
		tb.Fatalf("got %d events, want 1: %v", len(ev), messages(ev))
	}
	return ev[0]
}

func messages(ev []*sentry.Event) []string {
	out := make([]string, len(ev))
	for i, e := range ev {
		out[i] = e.Message
	}
	return out
}
