package escalate

import (
	"sync"

	"github.com/getsentry/sentry-go"
)

// maxClients bounds the clients remembered for Flush; a program has one or
// a few.
const maxClients = 64

// clients are the Sentry clients logcrumbs has sent events through, so
// that logcrumbs.Flush can wait for all of them, not only the current hub's.
var clients struct {
	mu  sync.Mutex
	set map[*sentry.Client]struct{}
}

func rememberClient(c *sentry.Client) {
	clients.mu.Lock()
	defer clients.mu.Unlock()
	if clients.set == nil {
		clients.set = map[*sentry.Client]struct{}{}
	}
	if len(clients.set) < maxClients {
		clients.set[c] = struct{}{}
	}
}

// Clients returns the clients logcrumbs has sent events through.
func Clients() []*sentry.Client {
	clients.mu.Lock()
	defer clients.mu.Unlock()
	out := make([]*sentry.Client, 0, len(clients.set))
	for c := range clients.set {
		out = append(out, c)
	}
	return out
}
