package unit

import (
	"context"
	"errors"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// TestMarkerStaysInProcess: the tag that marks a hub's unit is removed from
// its events, which BeforeSend sees as they would be without it (a
// logcrumbs event with no tags: nil), on the unit's hub and on the clone a
// second unit binds; the second unit, not the first, remembers the clone's
// hand captures.
func TestMarkerStaysInProcess(t *testing.T) {
	var sent []*sentry.Event
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:       "https://key@example.com/1",
		Transport: &sentry.MockTransport{},
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			sent = append(sent, ev)
			return ev
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	_, first := Bind(context.Background(), hub, nil, nil, false)
	clone := hub.Clone()
	_, second := Bind(context.Background(), clone, nil, nil, false)
	hub.CaptureException(errors.New("first's"))
	shared := errors.New("second's")
	clone.CaptureException(shared)
	own := &sentry.Event{Message: "own", Level: sentry.LevelError}
	clone.Client().CaptureEvent(own, &sentry.EventHint{Data: policy.Ours{}}, clone.Scope())
	if len(sent) != 3 {
		t.Fatalf("%d events, want 3", len(sent))
	}
	if own := sent[2]; own.Tags != nil {
		t.Errorf("logcrumbs' own event has tags %#v, want nil", own.Tags)
	}
	sent = sent[:2]
	for _, ev := range sent {
		if len(ev.Tags) != 0 {
			t.Errorf("event %q has tags %v, want none", ev.Exception[0].Value, ev.Tags)
		}
	}
	if _, isNew := second.Trail().CaptureByHand(shared, "x", sent[1].Timestamp); isNew {
		t.Error("the clone's unit did not remember the clone's hand capture")
	}
	if _, isNew := first.Trail().CaptureByHand(shared, "x", sent[1].Timestamp); !isNew {
		t.Error("the first unit remembered the clone's hand capture")
	}
}
