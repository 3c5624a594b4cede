package policy

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// collect is a transport that keeps every event, from any goroutine.
type collect struct {
	mu     sync.Mutex
	events []*sentry.Event
}

func (c *collect) Configure(sentry.ClientOptions) {}
func (c *collect) SendEvent(e *sentry.Event) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
}
func (c *collect) Flush(time.Duration) bool              { return true }
func (c *collect) FlushWithContext(context.Context) bool { return true }
func (c *collect) Close()                                {}

// waitFor waits until c holds n events, or a few seconds, and returns
// them.
func (c *collect) waitFor(n int) []*sentry.Event {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		c.mu.Lock()
		got := len(c.events)
		c.mu.Unlock()
		if got >= n {
			break
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*sentry.Event(nil), c.events...)
}

// newCollected returns a client whose events a collect keeps.
func newCollected(t *testing.T) (*collect, *sentry.Client) {
	t.Helper()
	tr := &collect{}
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	return tr, client
}

// fillTable fills p's dedupe table with maxFingerprints entries sent
// through client, each event one second after the one before from at, and
// each with one repeat pending, with a window of a minute. It returns the
// time the last one was sent.
func fillTable(t *testing.T, p *Process, client *sentry.Client, at time.Time) time.Time {
	t.Helper()
	for i := range maxFingerprints {
		key := fmt.Sprintf("fp %d", i)
		id := fmt.Sprintf("%032x", i)
		if v := p.Admit(client, key, at, time.Minute, id); !v.Send {
			t.Fatalf("event %d not admitted", i)
		}
		p.Sent(key, id, client, &sentry.Event{Message: key, Level: sentry.LevelError}, true)
		if v := p.Admit(client, key, at.Add(time.Second/2), time.Minute, "repeat"); v.Send {
			t.Fatalf("repeat %d sent", i)
		}
		at = at.Add(time.Second)
	}
	return at
}

// TestFullTableMakesRoom: a table full of fingerprints whose repeats wait
// for Flush (a program that never calls it until it exits) makes room for
// new ones once their window has passed, by sending the summaries Flush
// would have sent: new fingerprints are deduplicated again, and no count
// is lost. (Before, they were not deduplicated until Flush: three of one
// error were three events.)
func TestFullTableMakesRoom(t *testing.T) {
	tr, client := newCollected(t)
	p := newProcess()
	p.Unlimit(client)
	at := fillTable(t, p, client, time.Now()).Add(2 * time.Minute)

	if v := p.Admit(client, "new", at, time.Minute, "new1"); !v.Send {
		t.Fatal("a new fingerprint's event was not admitted")
	}
	p.Sent("new", "new1", client, &sentry.Event{Message: "new"}, true)
	for i := range 2 {
		if v := p.Admit(client, "new", at.Add(time.Second), time.Minute, "new2"); v.Send {
			t.Fatalf("repeat %d of a new fingerprint sent, on a table full of expired fingerprints with repeats pending; want it deduplicated", i+1)
		}
	}

	events := tr.waitFor(maxFingerprints)
	repeats := 0
	for _, ev := range events {
		if ev.Tags["logcrumbs.summary"] != "true" {
			t.Fatalf("event %q sent is not a summary", ev.Message)
		}
		repeats += ev.Contexts[RepeatsKey]["repeats"].(int)
	}
	if len(events) != maxFingerprints || repeats != maxFingerprints {
		t.Errorf("%d summaries counting %d repeats sent, want %d of 1 each", len(events), repeats, maxFingerprints)
	}
	if pending := p.noise.pending(); len(pending) != 1 || pending[0].repeats != 2 {
		t.Errorf("Flush has %d summaries to send after the table made room, want the new fingerprint's only, of its 2 repeats", len(pending))
	}
}

// TestFullTableSummariesRateLimited: the summaries sent to make room take
// the rate limit's tokens, from the upper half of the bucket only: the
// events after them are not dropped for them. Those past it are dropped
// and counted.
func TestFullTableSummariesRateLimited(t *testing.T) {
	tr, client := newCollected(t)
	p := newProcess() // 10 a second, a burst of 100
	at := fillTable(t, p, client, time.Now()).Add(2 * time.Minute)
	limited := stats.EventsRateLimited.Load()

	if v := p.Admit(client, "new", at, time.Minute, "new1"); !v.Send {
		t.Fatal("a new fingerprint's event was not admitted")
	}
	tr.waitFor(defaultBurst/2 - 1)
	time.Sleep(10 * time.Millisecond) // any more
	events := tr.waitFor(0)
	if len(events) != defaultBurst/2-1 {
		t.Errorf("%d summaries sent to make room, want %d (the bucket's upper half, less the event's token)", len(events), defaultBurst/2-1)
	}
	if got, want := stats.EventsRateLimited.Load()-limited, uint64(maxFingerprints-len(events)); got != want {
		t.Errorf("%d summaries counted rate limited, want %d", got, want)
	}
	for i := range defaultBurst / 2 {
		key := fmt.Sprintf("next %d", i)
		if v := p.Admit(client, key, at, time.Minute, key); !v.Send {
			t.Fatalf("event %d after the summaries rate limited; want the bucket's lower half left to events", i)
		}
	}
}

// TestFullTableKeepsEventsBeingSent: an entry whose event is still being
// handed to its client when its window passes (a slow BeforeSend, a
// synchronous transport: Sent not called yet) is not evicted to make
// room: it has no summary yet, and its repeats would be lost; once Sent,
// Flush reports them.
func TestFullTableKeepsEventsBeingSent(t *testing.T) {
	tr, client := newCollected(t)
	p := newProcess()
	p.Unlimit(client)
	at := time.Now()
	if v := p.Admit(client, "slow", at, time.Minute, "slow1"); !v.Send {
		t.Fatal("the slow event was not admitted")
	}
	if v := p.Admit(client, "slow", at.Add(time.Second), time.Minute, "repeat"); v.Send {
		t.Fatal("the slow event's repeat was sent")
	}
	for i := range maxFingerprints - 1 { // the rest of the table, repeats pending
		key, id := fmt.Sprintf("fp %d", i), fmt.Sprintf("%032x", i)
		if v := p.Admit(client, key, at, time.Minute, id); !v.Send {
			t.Fatalf("event %d not admitted", i)
		}
		p.Sent(key, id, client, &sentry.Event{Message: key, Level: sentry.LevelError}, true)
		if v := p.Admit(client, key, at.Add(time.Second), time.Minute, "repeat"); v.Send {
			t.Fatalf("repeat %d sent", i)
		}
	}
	at = at.Add(2 * time.Minute)
	if v := p.Admit(client, "new", at, time.Minute, "new1"); !v.Send {
		t.Fatal("a new fingerprint's event was not admitted")
	}
	tr.waitFor(maxFingerprints - 1)
	// The slow event's CaptureEvent returns only now.
	p.Sent("slow", "slow1", client, &sentry.Event{Message: "slow", Level: sentry.LevelError}, true)
	var slow []pendingRepeats
	for _, pr := range p.noise.pending() {
		if pr.summary.message == "slow" {
			slow = append(slow, pr)
		}
	}
	if len(slow) != 1 || slow[0].repeats != 1 {
		t.Errorf("Flush has %d summaries of the slow event, want 1 of its 1 repeat: evicted while its event was being sent, its repeat is lost", len(slow))
	}
}
