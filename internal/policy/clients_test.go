package policy

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"
	"weak"

	"github.com/getsentry/sentry-go"
)

// keep is a transport that keeps the last event.
type keep struct{ last *sentry.Event }

func (k *keep) Configure(sentry.ClientOptions)        {}
func (k *keep) SendEvent(e *sentry.Event)             { k.last = e }
func (k *keep) Flush(time.Duration) bool              { return true }
func (k *keep) FlushWithContext(context.Context) bool { return true }
func (k *keep) Close()                                {}

// sendThrough sends one event through a new client and returns the client.
func sendThrough(t *testing.T) (*sentry.Client, *keep) {
	t.Helper()
	return sendThroughWindow(t, -1)
}

// sendThroughWindow is sendThrough with a dedupe window: the event goes
// through noise control, the client's options and the hand-over, as
// logcrumbs' capture sends it.
func sendThroughWindow(t *testing.T, window time.Duration) (*sentry.Client, *keep) {
	t.Helper()
	tr := &keep{}
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	p := Default()
	id := NewEventID()
	key := string(AppendFingerprintKey(nil, client, "test", nil, "site", nil, "one event"))
	if v := p.Admit(client, key, time.Now(), window, id); !v.Send {
		t.Fatal("noise control dropped the first event of a new client")
	}
	_ = p.Conf(client)
	ev := &sentry.Event{EventID: sentry.EventID(id), Message: "one event", Level: sentry.LevelError}
	h := p.HandingOver(client, ev.EventID)
	sent := client.CaptureEvent(ev, &sentry.EventHint{Data: Ours{}}, nil)
	h.Done(sent)
	p.Sent(key, id, client, ev, sent != nil)
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
	got := Default().clients()
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
		p := Default()
		p.confs.mu.Lock()
		_, inConfs := p.confs.m[gone]
		p.confs.mu.Unlock()
		p.sentThrough.mu.Lock()
		_, inSent := p.sentThrough.m[gone]
		p.sentThrough.mu.Unlock()
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

// TestClientIDs: a client keeps its number, asked again after another
// client (ClientID remembers the last client it numbered), and a client
// made after one was collected, maybe at its address, gets a new number.
func TestClientIDs(t *testing.T) {
	newClient := func() *sentry.Client {
		c, err := sentry.NewClient(sentry.ClientOptions{Transport: &keep{}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := newClient(), newClient()
	idA, idB := ClientID(a), ClientID(b)
	if idA == idB || ClientID(a) != idA || ClientID(b) != idB || ClientID(b) != idB || ClientID(nil) != 0 {
		t.Fatalf("two clients' numbers: %d, %d, then %d, %d", idA, idB, ClientID(a), ClientID(b))
	}
	seen := map[uint64]bool{idA: true, idB: true}
	for range 50 {
		c := newClient()
		id := ClientID(c)
		if seen[id] || ClientID(c) != id {
			t.Fatalf("client number %d given twice", id)
		}
		seen[id] = true
		c.Close()
		runtime.GC() // the next client may take its address
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
}
