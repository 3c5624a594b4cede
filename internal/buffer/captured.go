package buffer

import (
	"reflect"
	"time"
)

// capturedSize is how many captured errors a trail remembers for
// capture-once. A unit of work that reports more distinct errors than this
// may see an old one reported again.
const capturedSize = 32

// maxChain bounds how many errors of one chain are compared, so that a very
// deep or cyclic Unwrap chain cannot stall logging.
const maxChain = 64

type capturedEntry struct {
	err   error
	id    string
	at    time.Time
	owner any // see CaptureOnceFor
}

// captured remembers the errors a trail has sent as events. It is guarded by
// its trail's lock.
type captured struct {
	entries [capturedSize]capturedEntry
	next    int
}

// CaptureOnce decides whether errs, logged at now, deserve a new event with
// the given id. It returns ("", true) and remembers errs under id when at
// least one of them is new; it returns (earlierID, false) when every error in
// errs is one already captured, or wraps one (through Unwrap() error or
// Unwrap() []error). Entries older than window are ignored; a window of zero
// never expires them. Errors that are not comparable are always new.
func (t *Trail) CaptureOnce(errs []error, id string, now time.Time, window time.Duration) (string, bool) {
	return t.CaptureOnceFor(nil, errs, id, now, window)
}

// CaptureOnceFor is CaptureOnce among the errors captured for owner only:
// on the process-wide fallback trail, which every Sentry client shares, the
// client the event goes through, so that one client's capture (a test's)
// does not silence another's.
func (t *Trail) CaptureOnceFor(owner any, errs []error, id string, now time.Time, window time.Duration) (string, bool) {
	chains := make([][]error, len(errs))
	for i, err := range errs {
		chains[i] = Chain(err, nil)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var earlier string
	for _, chain := range chains {
		prev, ok := t.once.find(owner, chain, now, window)
		if !ok {
			earlier = ""
			break
		}
		earlier = prev
	}
	if earlier != "" {
		return earlier, false
	}
	for _, err := range errs {
		t.once.add(capturedEntry{err: err, id: id, at: now, owner: owner})
	}
	return "", true
}

// add remembers e, unless its error is not comparable (never found again),
// in place of the oldest entry.
func (c *captured) add(e capturedEntry) {
	if comparable(e.err) {
		c.entries[c.next] = e
		c.next = (c.next + 1) % capturedSize
	}
}

func (c *captured) find(owner any, chain []error, now time.Time, window time.Duration) (string, bool) {
	for _, err := range chain {
		if !comparable(err) {
			continue
		}
		for i := range c.entries {
			e := &c.entries[i]
			if e.err == nil || e.owner != owner || (window > 0 && now.Sub(e.at) > window) {
				continue
			}
			if equal(e.err, err) {
				return e.id, true
			}
		}
	}
	return "", false
}

func comparable(err error) bool {
	return err != nil && reflect.TypeOf(err).Comparable()
}

// equal compares two errors without panicking on a comparable type that holds
// an incomparable value in an interface field.
func equal(a, b error) (eq bool) {
	defer func() {
		if recover() != nil {
			eq = false
		}
	}()
	return a == b
}

// Chain appends err and every error it wraps to dst, depth first, at most
// maxChain of them, stopping at cycles and recovering from Unwrap methods
// that panic.
func Chain(err error, dst []error) (chain []error) {
	defer func() {
		_ = recover() // an Unwrap that panics ends the chain there
		chain = dst
	}()
	var walk func(error)
	walk = func(e error) {
		if e == nil || len(dst) >= maxChain {
			return
		}
		for _, seen := range dst {
			if comparable(seen) && comparable(e) && equal(seen, e) {
				return
			}
		}
		dst = append(dst, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				walk(c)
			}
		}
	}
	walk(err)
	return dst
}

// Recaptured replaces id, which CaptureOnce remembered for errors whose
// event was then not sent, by earlier, the event that stands for it (a
// deduplicated repeat's), or forgets those errors when earlier is empty (a
// rate-limited event): a breadcrumb never names an event that was not sent.
func (t *Trail) Recaptured(id, earlier string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.once.entries {
		if e := &t.once.entries[i]; e.err != nil && e.id == id {
			if earlier == "" {
				*e = capturedEntry{}
			} else {
				e.id = earlier
			}
		}
	}
}

// CaptureByHand decides whether err, captured by other code as event id at
// now, is new to t: it returns ("", true) and remembers err under id, or
// the earlier event and false when err, or an error it wraps, is one t
// captured or is wrapped by one of them (logcrumbs sent an error wrapping
// it). The check and the record are one step, so that logging the same
// error at the same time sends one event, not two. (Logged errors use
// CaptureOnce, which does not look inside captured errors: a sentinel such
// as context.Canceled inside one captured error must not silence every
// later error that wraps it.)
func (t *Trail) CaptureByHand(err error, id string, now time.Time) (string, bool) {
	chain := Chain(err, nil)
	t.mu.Lock()
	defer t.mu.Unlock()
	if earlier, ok := t.containsLocked(chain); ok {
		return earlier, false
	}
	t.once.add(capturedEntry{err: err, id: id, at: now})
	return "", true
}

// containsLocked reports whether an error of chain is one of the errors t
// captured or is wrapped by one of them, and under which event; t.mu must
// be held.
func (t *Trail) containsLocked(chain []error) (string, bool) {
	for i := range t.once.entries {
		e := &t.once.entries[i]
		if e.err == nil {
			continue
		}
		for _, captured := range Chain(e.err, nil) {
			for _, c := range chain {
				if comparable(c) && comparable(captured) && equal(c, captured) {
					return e.id, true
				}
			}
		}
	}
	return "", false
}
