package escalate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
)

// A chain too long for Sentry's size limit keeps its ends, linked as one
// chain: no exception names a parent that was dropped.
func TestFitSizeRelinksTrimmedChain(t *testing.T) {
	err := errors.New(strings.Repeat("x", 5<<10))
	for i := range 400 {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	event := &sentry.Event{}
	setException(event, []error{err}, 1000)
	if len(event.Exception) != 401 {
		t.Fatalf("%d exceptions before fitting, want 401", len(event.Exception))
	}
	fitSize(event, maxEventBytes+1)

	b, _ := json.Marshal(event)
	if len(b) > maxEventBytes {
		t.Errorf("event is %d bytes, over %d", len(b), maxEventBytes)
	}
	if len(event.Exception) != 10 {
		t.Fatalf("%d exceptions after fitting, want 10", len(event.Exception))
	}
	ids := map[int]bool{}
	for _, ex := range event.Exception {
		ids[ex.Mechanism.ExceptionID] = true
	}
	for i, ex := range event.Exception {
		m := ex.Mechanism
		if p := m.ParentID; p != nil && !ids[*p] {
			t.Errorf("exception %d (id %d) names parent %d, which is not in the event", i, m.ExceptionID, *p)
		}
		if (m.ParentID == nil) != (m.ExceptionID == 0) {
			t.Errorf("exception %d: id %d, parent %v: only the outermost (0) has no parent", i, m.ExceptionID, m.ParentID)
		}
	}
	if got := event.Exception[len(event.Exception)-1].Value; !strings.HasPrefix(got, "layer 399:") {
		t.Errorf("outermost exception is %.20q, want layer 399's", got)
	}
	if got := event.Contexts[RepeatsKey]["dropped_exceptions"]; got != 391 {
		t.Errorf("dropped_exceptions = %v, want 391", got)
	}
}
