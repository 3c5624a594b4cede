// Package eventref is the one reference to an event logcrumbs hands to a
// Sentry client that everything naming the event holds: capture-once
// entries (its own trail's and other trails' deduplicated against it),
// noise control's remembered fingerprint, the breadcrumbs of records
// folded into it and a trail's last event. The client decides the event
// (BeforeSend, sampling, event processors) outside every lock, after other
// goroutines may have found it; when it drops the event, the goroutine
// that captured it marks the reference dropped, and every holder, read
// after, names no event: no walk over what named it, no lock held across
// the user's code.
package eventref

import (
	"crypto/rand"
	"encoding/hex"
	"sync/atomic"
	"unsafe"
)

// A Ref is one event: its ID, and whether the client dropped it. The zero
// Ref is not used; a nil *Ref is no reference (an ID known only as text:
// an event captured by hand, a job's handed back), never dropped.
type Ref struct {
	dropped atomic.Bool
	client  uint64   // the number of the client it is handed to (see NewFor)
	id      [32]byte // the ID's text: ID's string points here
}

// New returns a reference to a new event with a random ID: one allocation,
// the ID's string with it (where policy.NewEventID allocated the string).
func New() *Ref { return NewFor(0) }

// NewFor is New for an event handed to the client of number client
// (policy.ClientID; 0: none known): the key of its repeats is that
// client's whichever client the hub holds when they are logged (see
// Client).
func NewFor(client uint64) *Ref {
	r := &Ref{client: client}
	var b [16]byte
	_, _ = rand.Read(b[:])
	hex.Encode(r.id[:], b[:])
	return r
}

// ID returns r's event ID, whether or not it was dropped; "" for nil. The
// string points into r and is never written after New.
func (r *Ref) ID() string {
	if r == nil {
		return ""
	}
	return unsafe.String(&r.id[0], len(r.id))
}

// Client returns the number of the client r's event was handed to (see
// NewFor), or 0: none known, or nil.
func (r *Ref) Client() uint64 {
	if r == nil {
		return 0
	}
	return r.client
}

// Drop marks r's event dropped by its client: from now on, whatever holds
// r names no event.
func (r *Ref) Drop() {
	if r != nil {
		r.dropped.Store(true)
	}
}

// Dropped reports whether r's event was dropped (Drop); false for nil.
func (r *Ref) Dropped() bool { return r != nil && r.dropped.Load() }

// Name returns id, the event r (or none, nil) stands for, as it names it
// now: id, or "" once r is dropped.
func Name(id string, r *Ref) string {
	if r != nil && r.dropped.Load() {
		return ""
	}
	return id
}

// Named is an event as a holder names it: its ID, and its reference when
// it has one (an event logcrumbs handed to a client); without one (an ID
// known only as text), it is named as long as it is held.
type Named struct {
	ID  string
	Ref *Ref
}

// Of returns the Named of r, nil: none.
func Of(r *Ref) Named { return Named{ID: r.ID(), Ref: r} }

// Name returns n's ID, or "" when its event was dropped.
func (n Named) Name() string { return Name(n.ID, n.Ref) }
