package policy

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

// TestHandoverBegunIsWaitedForByEveryLaterFlush: once HandingOver
// returned, a Flush that begins waits for that hand-over until it ends,
// however many Flushes ran since HandingOver began (each flipping the
// epoch), with it or after it, timing out on it. Flushes with no time to
// wait flip the epoch from another goroutine while a hand-over begins, and
// go on until told to stop; then a wait must find that hand-over.
func TestHandoverBegunIsWaitedForByEveryLaterFlush(t *testing.T) {
	p := Default()
	client, err := sentry.NewClient(sentry.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	h := p.HandingOver(client, "")
	h.Done(nil)
	cd := p.sentThrough.lookup(client)
	var flipping, stopped atomic.Int64 // the round the flipper flips in, and the last it stopped in
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		for round := int64(1); ; round++ {
			for r := flipping.Load(); r != round && r != -round; r = flipping.Load() {
				select {
				case <-quit:
					return
				default:
					runtime.Gosched()
				}
			}
			for flipping.Load() == round {
				cd.waitHandovers(time.Time{}) // a Flush whose time is up
			}
			stopped.Store(round)
		}
	}()
	const rounds = 20000
	missed := 0
	for round := int64(1); round <= rounds; round++ {
		flipping.Store(round)
		h := p.HandingOver(client, "")
		flipping.Store(-round)
		for stopped.Load() != round {
			runtime.Gosched()
		}
		if cd.waitHandovers(time.Time{}) {
			missed++
		}
		h.Done(nil)
	}
	if missed > 0 {
		t.Errorf("%d of %d hand-overs begun before a Flush were not waited for by it", missed, rounds)
	}
	if n := cd.handing[0].Load() + cd.handing[1].Load(); n != 0 {
		t.Errorf("%d hand-overs counted once all ended", n)
	}
}
