package escalate

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"
	"weak"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// sendThrough sends one event through a new client and returns the client.
func sendThrough(t *testing.T) (*sentry.Client, *keep) {
	t.Helper()
	return sendThroughWindow(t, -1)
}

// sendThroughWindow is sendThrough with a dedupe window.
func sendThroughWindow(t *testing.T, window time.Duration) (*sentry.Client, *keep) {
	t.Helper()
	tr := &keep{}
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	e := New(Options{Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: window}, "test")
	rec := buffer.Get(time.Now(), buffer.LevelError, e.EventLimits())
	rec.SetMessage("one event")
	e.Capture(context.Background(), rec, nil)
	if tr.last == nil {
		t.Fatal("no event reached the transport")
	}
	return client, tr
}

// Flush must reach every client logcrumbs sent through, however many a
// program made (it once remembered only the first 64).
func TestClientsRemembersEveryLiveClient(t *testing.T) {
	var made []*sentry.Client
	for range 100 {
		c, _ := sendThrough(t)
		made = append(made, c)
		t.Cleanup(c.Close)
	}
	got := Clients()
	for i, c := range made {
		if !slices.Contains(got, c) {
			t.Fatalf("client %d of %d is not among the clients Flush waits on", i+1, len(made))
		}
	}
}

// Remembering a client (for Flush, its options, its rate limit, the hub of
// its last event for dedupe) must not keep it alive once the program closed
// and dropped it (sentry-go's own goroutines keep a client alive until
// Close), with dedupe off or once the dedupe window has passed.
func TestClientsAreNotKeptAlive(t *testing.T) {
	t.Run("no dedupe", func(t *testing.T) {
		c, _ := sendThroughWindow(t, -1)
		waitCollected(t, c)
	})
	t.Run("window passed", func(t *testing.T) {
		const window = 10 * time.Millisecond
		c, _ := sendThroughWindow(t, window)
		time.Sleep(2 * window)
		other, _ := sendThroughWindow(t, window) // an event later: the table is swept
		t.Cleanup(other.Close)
		waitCollected(t, c)
	})
}

// waitCollected closes c, drops it and waits until the garbage collector
// took it and logcrumbs' entries for it are gone.
func waitCollected(t *testing.T, c *sentry.Client) {
	t.Helper()
	gone := weak.Make(c)
	c.Close()
	c = nil
	deadline := time.Now().Add(5 * time.Second)
	for gone.Value() != nil {
		if time.Now().After(deadline) {
			t.Fatal("a client logcrumbs sent through is still reachable after the program dropped it")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	// Its entries go too, once the runtime has run the cleanups (a weak
	// pointer still compares equal to the key made from the same client).
	for {
		confs.mu.Lock()
		_, inConfs := confs.m[gone]
		confs.mu.Unlock()
		sentThrough.mu.Lock()
		_, inSent := sentThrough.m[gone]
		sentThrough.mu.Unlock()
		if !inConfs && !inSent {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the collected client's entries are left: options %v, Flush %v", inConfs, inSent)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
