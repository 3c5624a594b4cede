package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// fitted returns the event of errs after fitSize, checked to fit.
func fitted(t *testing.T, errs []error) *sentry.Event {
	t.Helper()
	event := &sentry.Event{}
	setException(event, errs, 1000, 0, false)
	fitSize(event, maxEventBytes+1)
	b, _ := json.Marshal(event)
	if len(b) > maxEventBytes {
		t.Errorf("event is %d bytes, over %d", len(b), maxEventBytes)
	}
	if len(event.Exception) != 10 {
		t.Fatalf("%d exceptions after fitting, want 10", len(event.Exception))
	}
	return event
}

// links returns each exception's id -> parent id (-1 for none).
func links(event *sentry.Event) map[int]int {
	out := map[int]int{}
	for _, ex := range event.Exception {
		out[ex.Mechanism.ExceptionID] = deref(ex.Mechanism.ParentID)
	}
	return out
}

// A chain too long for Sentry's size limit keeps its 5 innermost and 5
// outermost exceptions, each linked to its nearest kept ancestor.
func TestFitSizeRelinksTrimmedChain(t *testing.T) {
	err := errors.New(strings.Repeat("x", 5<<10))
	for i := range 400 {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	event := fitted(t, []error{err})
	want := map[int]int{0: -1, 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7, 9: 8}
	if got := links(event); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("links (id: parent) = %v, want %v", got, want)
	}
	if got := event.Exception[len(event.Exception)-1]; !strings.HasPrefix(got.Value, "layer 399:") || got.Mechanism.ExceptionID != 0 {
		t.Errorf("last exception is %.20q (id %d), want layer 399's, id 0", got.Value, got.Mechanism.ExceptionID)
	}
	if got := event.Exception[0]; got.Value != strings.Repeat("x", 5<<10)[:len(got.Value)-len("…")]+"…" || got.Mechanism.ExceptionID != 9 {
		t.Errorf("first exception is %.20q (id %d), want the innermost error, id 9", got.Value, got.Mechanism.ExceptionID)
	}
	if got := event.Contexts[policy.RepeatsKey]["dropped_exceptions"]; got != 391 {
		t.Errorf("dropped_exceptions = %v, want 391", got)
	}
}

// The errors of a long errors.Join stay the join's own: siblings, not a
// made-up chain of causes.
func TestFitSizeKeepsJoinSiblings(t *testing.T) {
	var errs []error
	for i := range 300 {
		errs = append(errs, fmt.Errorf("leaf %d: %s", i, strings.Repeat("y", 5<<10)))
	}
	event := fitted(t, []error{errors.Join(errs...)})
	for _, ex := range event.Exception {
		m := ex.Mechanism
		switch {
		case m.ExceptionID == 0:
			if m.ParentID != nil || !m.IsExceptionGroup {
				t.Errorf("the join: parent %v, group %v; want no parent, a group", m.ParentID, m.IsExceptionGroup)
			}
		case deref(m.ParentID) != 0:
			t.Errorf("%.10q: parent %d, want the join (0)", ex.Value, deref(m.ParentID))
		case !strings.HasPrefix(m.Source, "errors["):
			t.Errorf("%.10q: source %q, want errors[i]", ex.Value, m.Source)
		}
	}
}

// Exceptions other code built without mechanisms are linked as one chain,
// the outermost generic.
func TestKeepEndsWithoutMechanisms(t *testing.T) {
	event := &sentry.Event{}
	for i := range 20 {
		event.Exception = append(event.Exception, sentry.Exception{Value: fmt.Sprint(i)})
	}
	keepEnds(event, 5)
	want := map[int]int{0: -1, 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7, 9: 8}
	if got := links(event); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("links (id: parent) = %v, want %v", got, want)
	}
	for _, ex := range event.Exception {
		wantType := sentry.MechanismTypeChained
		if ex.Mechanism.ExceptionID == 0 {
			wantType = sentry.MechanismTypeGeneric
		}
		if ex.Mechanism.Type != wantType {
			t.Errorf("exception %s (id %d): type %q, want %q", ex.Value, ex.Mechanism.ExceptionID, ex.Mechanism.Type, wantType)
		}
	}
}
