package policy

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// MaxPendingDeliveries bounds the IDs of events kept while they await their
// outcome, across clients: a burst beyond it is counted (EventsUntracked)
// instead of remembered, so memory stays bounded (about 100 bytes an ID)
// whatever the program logs between two Flushes.
const MaxPendingDeliveries = 10000

// clientDelivery is what logcrumbs knows of the events it handed to one
// client since the last Flush. It must not refer to the client (see perKey).
type clientDelivery struct {
	observed bool // the client sends through a DeliveryTransport (set once)
	builtin  bool // sentry-go's own telemetry transport: Flush fails early only when closed

	handed atomic.Bool // an event was handed over since the last Flush
	logged atomic.Bool // a Sentry Log was handed over since the last Flush (LogMark)

	// Guarded by delivery.mu.
	gen       uint64 // Flushes begun; an awaited event belongs to the gen it was handed in
	awaited   int    // events handed over whose outcome is not known
	failed    int    // events known undelivered since the last Flush
	untracked int    // events handed over past MaxPendingDeliveries since the last Flush

	// handing counts the events being handed to the client (inside its
	// CaptureEvent: BeforeSend, a synchronous transport's request), by the
	// parity of the Flush epoch they began in, so that a Flush waits for
	// those begun before it (see waitHandovers) and not for a stream of
	// later ones.
	epoch   atomic.Uint32
	handing [2]atomic.Int32
}

// waitHandovers waits, until deadline, for the events being handed to
// cd's client when it was called (another goroutine's log call still in
// CaptureEvent: its BeforeSend, a synchronous transport's request), so that
// a Flush answers for them too. It reports false if deadline came first.
//
// A hand-over is counted in the slot of the epoch it read; a Flush flips
// the epoch and waits for the slot of the epoch before, not for the
// hand-overs begun since. That slot holds every earlier one only once the
// other is empty: first it waits for the other slot's, hand-overs a
// Flush that timed out left there (or that read the epoch just before a
// flip), which no new one joins; then it flips, unless another Flush
// flipped meanwhile (FlushClients chains Flushes, so that two seldom run
// at once: one that timed out waiting for another), and starts again.
func (cd *clientDelivery) waitHandovers(deadline time.Time) bool {
	for {
		e := cd.epoch.Load()
		if !waitNone(&cd.handing[(e+1)&1], deadline) {
			return false
		}
		if cd.epoch.CompareAndSwap(e, e+1) {
			return waitNone(&cd.handing[e&1], deadline)
		}
	}
}

// waitNone waits, until deadline, for n to be 0, polling (from 50 µs up to
// 5 ms apart: a Flush with nothing being handed over does not sleep). It
// reports false if deadline came first.
func waitNone(n *atomic.Int32, deadline time.Time) bool {
	for pause := 50 * time.Microsecond; n.Load() > 0; pause = min(2*pause, 5*time.Millisecond) {
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		time.Sleep(min(pause, left))
	}
	return true
}

// awaited is an event, by its ID in delivery.ids, being handed to a
// client that sends through a DeliveryTransport, or handed over and
// awaiting its outcome.
type awaited struct {
	cd      *clientDelivery
	gen     uint64
	handed  bool // CaptureEvent returned it
	outcome int8 // before handed: +1 delivered, -1 undelivered, 0 not known
}

// delivery holds the events, handed to clients that send through a
// DeliveryTransport, whose outcome is not known yet, by event ID.
type delivery struct {
	mu  sync.Mutex
	ids map[string]awaited
	max int // MaxPendingDeliveries, lowered by tests
}

func (d *delivery) reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ids, d.max = nil, MaxPendingDeliveries
}

func (d *delivery) newClientDelivery(c *sentry.Client) *clientDelivery {
	o := c.Options()
	cd := &clientDelivery{builtin: o.Transport == nil && !o.DisableTelemetryBuffer}
	switch o.Transport.(type) {
	case nil, *sentry.HTTPTransport, *sentry.HTTPSyncTransport: // they send through HTTPClient or HTTPTransport
		if o.HTTPClient != nil {
			_, cd.observed = o.HTTPClient.Transport.(*DeliveryTransport)
		} else {
			_, cd.observed = o.HTTPTransport.(*DeliveryTransport)
		}
	}
	if cd.observed {
		runtime.AddCleanup(c, d.forget, cd)
	}
	return cd
}

// forget drops the awaited events of a client that was garbage collected:
// nobody can flush it any more.
func (d *delivery) forget(cd *clientDelivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, a := range d.ids {
		if a.cd == cd {
			delete(d.ids, id)
		}
	}
}

// Closed tells p that c was closed (Client.Close) and will not be used
// again: Flush no longer waits for it. A closed client with a transport of
// the program's own cannot be flushed (sentry-go's Sentry Logs batcher has
// stopped: its Flush waits its whole timeout), so a Flush after a
// logcrumbstest Recorder's test ended would be held up and false. Flush
// does not wait for it even if it is used again (an event logged after the
// test ended), unless it is the current hub's client.
func (p *Process) Closed(c *sentry.Client) {
	p.closed.get(c, func() struct{} { return struct{}{} })
	if cd := p.sentThrough.lookup(c); cd != nil {
		p.sentThrough.remove(c)
		p.delivery.forget(cd)
	}
}

// LogMark notes, for Flush, that Sentry Logs were handed to one client
// (sentry-go holds them in a batch for a few seconds), so that the next
// Flush flushes it, as it does a client logcrumbs handed an event.
type LogMark struct{ cd *clientDelivery }

// LogMarkOf returns c's LogMark. It looks c up in a table under a lock:
// take it once per client (event.Builder keeps it with its logger of c),
// not for every log.
func (p *Process) LogMarkOf(c *sentry.Client) LogMark {
	d := &p.delivery
	return LogMark{p.sentThrough.get(c, func() *clientDelivery { return d.newClientDelivery(c) })}
}

// HandedOver notes that a Sentry Log was handed to the mark's client.
func (m LogMark) HandedOver() {
	if !m.cd.logged.Load() { // read first: one cache line every log writes otherwise
		m.cd.logged.Store(true)
	}
}

// Handover is an event being handed to a client.
type Handover struct {
	d       *delivery
	cd      *clientDelivery
	id      string
	tracked bool // in delivery.ids
	// handing: counted in cd.handing[slot] until Done or Abandon.
	handing bool
	slot    uint8
}

// ended ends the count of h among the events being handed over, and its
// tracking: Abandon after it does nothing.
func (h *Handover) ended() {
	h.tracked = false
	if h.handing {
		h.handing = false
		h.cd.handing[h.slot].Add(-1)
	}
}

// HandingOver notes that event id is about to be handed to c, so that its
// outcome is kept should sentry-go deliver it before CaptureEvent returns;
// Done completes it, Abandon forgets it if CaptureEvent panicked. It also
// remembers c for Flush.
func (p *Process) HandingOver(c *sentry.Client, id sentry.EventID) Handover {
	d := &p.delivery
	cd := p.sentThrough.get(c, func() *clientDelivery { return d.newClientDelivery(c) })
	h := Handover{d: d, cd: cd, id: string(id), handing: true, slot: uint8(cd.epoch.Load() & 1)}
	cd.handing[h.slot].Add(1)
	if !cd.observed || id == "" {
		return h
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.ids) < d.max {
		if d.ids == nil {
			d.ids = make(map[string]awaited)
		}
		d.ids[h.id] = awaited{cd: cd, gen: cd.gen}
		h.tracked = true
	}
	return h
}

// Abandon forgets a hand-over whose CaptureEvent did not return: it
// panicked (the user's BeforeSend or event processor), or ended its
// goroutine (runtime.Goexit: a test's t.FailNow in a BeforeSend or a
// synchronous transport). It is no longer counted as being handed over
// (Flush would wait for it), nor waits for an outcome or holds a place
// under MaxPendingDeliveries. It does nothing for a hand-over that was not
// begun, or was Done: a capture defers it whatever happens.
func (h *Handover) Abandon() {
	if h.handing || h.tracked {
		h.abandon()
	}
}

func (h *Handover) abandon() {
	tracked := h.tracked
	h.ended()
	if !tracked {
		return
	}
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	if a, ok := h.d.ids[h.id]; ok && a.cd == h.cd && !a.handed {
		delete(h.d.ids, h.id)
	}
}

// Done completes the hand-over with what CaptureEvent returned, and
// reports whether the client took the event (sentID not nil).
func (h *Handover) Done(sentID *sentry.EventID) bool {
	defer h.ended() // after its outcome is noted: a Flush waiting for it reads that; Abandon then does nothing
	if sentID != nil {
		h.cd.handed.Store(true)
	}
	if !h.cd.observed {
		return sentID != nil // nothing more to note: no lock on the event path
	}
	deliveries := h.d
	deliveries.mu.Lock()
	defer deliveries.mu.Unlock()
	a, ok := deliveries.ids[h.id]
	if ok && (sentID == nil || string(*sentID) != h.id) {
		delete(deliveries.ids, h.id)
	}
	if sentID == nil {
		return false // dropped before the transport: BeforeSend, sampling
	}
	if !h.tracked {
		h.cd.untracked++
		stats.EventsUntracked.Add(1)
		return true
	}
	id := string(*sentID)
	if !ok || id != h.id { // BeforeSend's own event, or forgotten by a Flush meanwhile
		a = awaited{cd: h.cd, gen: h.cd.gen}
	}
	switch a.outcome {
	case +1:
		stats.EventsDelivered.Add(1)
		delete(deliveries.ids, id)
	case -1:
		h.cd.failed++
		stats.EventsUndelivered.Add(1)
		delete(deliveries.ids, id)
	default:
		a.handed = true
		deliveries.ids[id] = a
		h.cd.awaited++
	}
	return true
}

// resolve records the outcome of the request that carried event id. Events
// logcrumbs did not hand over (or no longer awaits) are ignored.
func (deliveries *delivery) resolve(id string, delivered bool) {
	deliveries.mu.Lock()
	defer deliveries.mu.Unlock()
	a, ok := deliveries.ids[id]
	if !ok {
		return
	}
	if !a.handed { // sent before CaptureEvent returned: done counts it
		a.outcome = -1
		if delivered {
			a.outcome = +1
		}
		deliveries.ids[id] = a
		return
	}
	delete(deliveries.ids, id)
	a.cd.awaited--
	if delivered {
		stats.EventsDelivered.Add(1)
		return
	}
	a.cd.failed++
	stats.EventsUndelivered.Add(1)
}

// flushMark is what a Flush found when it began on one client.
type flushMark struct {
	gen     uint64
	handed  bool
	logged  bool // Sentry Logs were handed over: the client is flushed
	awaited int
}

// begin starts a Flush of cd's client: the events handed over so far are
// the ones this Flush answers for.
func (deliveries *delivery) begin(cd *clientDelivery) flushMark {
	deliveries.mu.Lock()
	defer deliveries.mu.Unlock()
	m := flushMark{gen: cd.gen, handed: cd.handed.Swap(false), logged: cd.logged.Swap(false), awaited: cd.awaited}
	cd.gen++
	return m
}

// unfinished undoes begin's reset of handed when the client's Flush timed
// out, so that the next Flush waits for the client again.
func (cd *clientDelivery) unfinished(m flushMark) {
	cd.handed.Store(true)
	if m.logged {
		cd.logged.Store(true)
	}
}

// finish ends a Flush of cd's client whose queue was drained (or that was
// closed, or had nothing awaited): the events handed over up to m that are
// still awaited count as lost, and are forgotten, since sentry-go dropped
// them without a request (its queue full, Sentry's rate limit in force, the
// client closed). It reports whether every event is accounted for: none
// lost, none known undelivered since the last finish (an event handed over
// during this Flush included) and none untracked.
func (deliveries *delivery) finish(cd *clientDelivery, m flushMark) bool {
	deliveries.mu.Lock()
	defer deliveries.mu.Unlock()
	lost := 0
	if m.awaited > 0 {
		for id, a := range deliveries.ids {
			switch {
			case a.cd != cd:
			case a.handed && a.gen <= m.gen:
				delete(deliveries.ids, id)
				lost++
			case !a.handed && a.gen < m.gen: // its capture panicked, a Flush ago
				delete(deliveries.ids, id)
			}
		}
	}
	cd.awaited -= lost
	stats.EventsLost.Add(uint64(lost))
	ok := lost == 0 && cd.failed == 0 && cd.untracked == 0
	cd.failed, cd.untracked = 0, 0
	return ok
}

// FlushClients waits, until deadline, for the clients logcrumbs handed
// events to since the last FlushClients, and for current (the current
// hub's client, which may hold events captured by hand). It reports whether
// all of them are accounted for: for a client that sends through a
// DeliveryTransport, every event logcrumbs handed it was delivered (2xx);
// for another, its queue was drained (sentry-go's Client.Flush), or the
// client was closed (sentry-go's Close drains the queue first, for up to 5
// s).
//
// A client with nothing of logcrumbs' since the last FlushClients is not
// waited for (but current is), nor is a DeliveryTransport client whose
// events all have their outcome already.
//
// Flushes that overlap are chained: one that begins while another is under
// way waits for it (until deadline) and is true only if it was too, since
// the earlier Flush took over, and answers for, events handed over before
// this one began.
func (p *Process) FlushClients(current *sentry.Client, deadline time.Time) bool {
	flushes := &p.flushes
	flushes.mu.Lock()
	prev := flushes.running
	mine := &flushRun{done: make(chan struct{})}
	flushes.running = mine
	flushes.mu.Unlock()
	defer func() {
		flushes.mu.Lock()
		if flushes.running == mine {
			flushes.running = nil
		}
		flushes.mu.Unlock()
		close(mine.done)
	}()
	if prev != nil {
		timer := time.NewTimer(max(time.Until(deadline), 0))
		defer timer.Stop()
		select {
		case <-prev.done:
		case <-timer.C:
			return false // mine.ok stays false: a later Flush is false too
		}
		if !prev.ok {
			p.flushClients(current, deadline) // still take this Flush's own events over
			return false
		}
	}
	mine.ok = p.flushClients(current, deadline)
	return mine.ok
}

// flushRun is one FlushClients; ok is set before done is closed.
type flushRun struct {
	done chan struct{}
	ok   bool
}

// flushes holds the latest FlushClients under way, if any.
type flushes struct {
	mu      sync.Mutex
	running *flushRun
}

// flushClients is FlushClients' own work, once the Flush it overlapped
// (if any) is over.
func (p *Process) flushClients(current *sentry.Client, deadline time.Time) bool {
	type target struct {
		c  *sentry.Client
		cd *clientDelivery
	}
	var targets []target
	p.sentThrough.each(func(c *sentry.Client, cd *clientDelivery) {
		if c != current {
			targets = append(targets, target{c, cd})
		}
	})
	if current.IsEnabled() {
		targets = append(targets, target{current, p.sentThrough.lookup(current)})
	}
	ok := true
	for _, t := range targets {
		if !t.c.IsEnabled() || t.c != current && p.closed.has(t.c) {
			continue
		}
		var m flushMark
		if t.cd != nil {
			if !t.cd.waitHandovers(deadline) {
				ok = false // still being handed over: not flushed
			}
			m = p.delivery.begin(t.cd)
			if t.c != current && !m.handed && !m.logged {
				continue // nothing of logcrumbs' to wait for
			}
			if t.cd.observed && t.c != current && m.awaited == 0 && !m.logged {
				ok = p.delivery.finish(t.cd, m) && ok
				continue // every outcome is known already
			}
		}
		flushed := t.c.Flush(max(time.Until(deadline), 0))
		// sentry-go's own transport fails a Flush before its timeout only
		// when it was closed (Client.Close drained its queue first).
		closed := !flushed && t.cd != nil && t.cd.builtin && time.Now().Before(deadline)
		if !flushed && !closed {
			ok = false
			if t.cd != nil {
				t.cd.unfinished(m)
			}
			continue
		}
		if t.cd != nil && t.cd.observed {
			ok = p.delivery.finish(t.cd, m) && ok
		}
	}
	return ok
}

// DeliveryTransport is the http.RoundTripper of logcrumbs.DeliveryTransport:
// it passes each request on unchanged and reports, for the event named in
// an envelope's header, whether Sentry accepted it.
type DeliveryTransport struct {
	next http.RoundTripper
	d    *delivery
}

// NewDeliveryTransport returns a DeliveryTransport sending through next
// (http.DefaultTransport if nil) that reports to p.
func (p *Process) NewDeliveryTransport(next http.RoundTripper) *DeliveryTransport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &DeliveryTransport{next: next, d: &p.delivery}
}

// RoundTrip sends req through the wrapped RoundTripper and records the
// outcome of the event it carries: a 2xx answer is delivered; an error, a
// 4xx or a 5xx answer is not. A 3xx answer records nothing: http.Client
// follows the redirect with a new request, and one it does not follow
// leaves the event unaccounted (lost at Flush).
func (d *DeliveryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	id := envelopeEventID(req)
	resp, err := d.next.RoundTrip(req)
	if id != "" {
		switch {
		case err != nil || resp == nil:
			d.d.resolve(id, false)
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
		default:
			d.d.resolve(id, resp.StatusCode >= 200 && resp.StatusCode < 300)
		}
	}
	return resp, err
}

// maxEnvelopeHeader is how much of a body is read for the envelope header.
const maxEnvelopeHeader = 16 << 10

// envelopeEventID returns the event_id of the envelope header, the first
// line of req's body, read from a copy (GetBody) so that the body sent is
// untouched. sentry-go's requests always have GetBody (their bodies are
// bytes.Buffers); a request without one is passed on unobserved.
func envelopeEventID(req *http.Request) string {
	if req.GetBody == nil || req.Method != http.MethodPost {
		return ""
	}
	body, err := req.GetBody()
	if err != nil {
		return ""
	}
	defer body.Close()
	head, err := io.ReadAll(io.LimitReader(body, maxEnvelopeHeader))
	if err != nil {
		return ""
	}
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	var h struct {
		EventID string `json:"event_id"`
	}
	if json.Unmarshal(head, &h) != nil {
		return ""
	}
	return h.EventID
}
