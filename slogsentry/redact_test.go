package slogsentry_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// cardNumber redacts itself the way slog intends: through LogValue.
type cardNumber string

func (c cardNumber) LogValue() slog.Value {
	return slog.StringValue("****" + string(c[len(c)-4:]))
}

// account redacts a field of a struct by returning a group without it.
type account struct {
	ID       string
	Password string
}

func (a account) LogValue() slog.Value { return slog.GroupValue(slog.String("id", a.ID)) }

// A slog.LogValuer's redaction is what reaches Sentry, in breadcrumbs and in
// the event's context, under keys no scrubber would catch, as it is what
// the user's own log output shows.
func TestLogValuerRedactionReachesSentry(t *testing.T) {
	t.Parallel()
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())

	const card, pass = "4111111111111111", "hunter2-pw"
	logger.InfoContext(ctx, "charge", "card", cardNumber(card), "who", account{ID: "u1", Password: pass})
	logger.ErrorContext(ctx, "charge failed", "card", cardNumber(card), "who", account{ID: "u1", Password: pass},
		"err", errors.New("declined"))

	events := rec.WaitEvents(1, 0)
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	raw, err := json.Marshal(events[0].Event)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{card, pass} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("%q reached Sentry: %s", secret, raw)
		}
	}
	if got := events[0].LogContext()["card"]; got != "****1111" {
		t.Errorf("event context card = %v, want the LogValue ****1111", got)
	}
	bcs := events[0].Breadcrumbs()
	if len(bcs) != 1 || bcs[0].Data["card"] != "****1111" {
		t.Fatalf("breadcrumbs %+v, want one with card ****1111", bcs)
	}
	if who, _ := bcs[0].Data["who"].(map[string]any); who["id"] != "u1" || len(who) != 1 {
		t.Errorf("breadcrumb who = %v, want only the id the LogValue kept", bcs[0].Data["who"])
	}
}
