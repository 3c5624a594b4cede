package buffer

import (
	"time"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

// The look-ups by event ID alone, as the tests ask them: the library asks
// the Named forms, which carry the event's reference.

// CaptureByHand is CaptureByHandNoted without noting the earlier event.
func (t *Trail) CaptureByHand(err error, id string, now time.Time) (string, bool) {
	earlier, first := t.captureByHand(err, id, now, false)
	return earlier.ID, first
}

// HandBack is HandBackNamed for an event known by its ID alone.
func (t *Trail) HandBack(owner any, err error, id string, now time.Time) {
	t.HandBackNamed(owner, err, eventref.Named{ID: id}, now)
}

// CapturedAs is CapturedAsNamed answering with the ID alone.
func (t *Trail) CapturedAs(err error) (string, bool) {
	earlier, ok := t.CapturedAsNamed(err)
	return earlier.ID, ok
}
