package conformance

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// OwnKeysNotOverwritten: the keys logcrumbs writes are logcrumbs' own. A
// user's field of the same name is kept, under the key prefixed with
// "attr.", and cannot overwrite them: an error record's breadcrumb names
// the event it was sent as, or was folded into, under "sentry.event_id"
// whatever the record's own "sentry.event_id" field says; a Sentry Log
// names its logger under "logcrumbs.logger", and a record sent after the
// fact its time under "logcrumbs.time", whatever the record's fields of
// those names (or a group's, flattened to them) say. An error record's
// breadcrumb that names no event (BeforeSend dropped it) keeps the user's
// field under "attr." too: "sentry.event_id" there is only ever logcrumbs'
// link. (A breadcrumb of a record below the event level, where logcrumbs
// names nothing, keeps the user's field under its own key.) The event's own log
// context, where logcrumbs writes no such key, keeps the user's field as
// it is.
func testOwnKeysNotOverwritten(t *testing.T, d Driver) {
	t.Run("breadcrumb's event", func(t *testing.T) {
		logger, rec := newLogger(t, d, nil)
		ctx := rec.Context(context.Background())
		log := logger.Bind(ctx)
		err := errors.New("disk full " + t.Name())
		log.Log(Error, "save failed", Field{"err", err}, Field{"sentry.event_id", "user-1"})
		log.Log(Error, "retry failed", Field{"err", fmt.Errorf("retry: %w", err)}, Field{"sentry.event_id", "user-2"})
		log.Log(Error, "render failed", Field{"err", errors.New("template missing " + t.Name())})
		evs := rec.Events()
		if len(evs) != 2 {
			t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
		}
		if got := evs[0].LogContext()["sentry.event_id"]; got != "user-1" {
			t.Errorf("the event's log context has sentry.event_id %v, want the user's field user-1", got)
		}
		check := func(where string, crumbs []*sentry.Breadcrumb) {
			t.Helper()
			want := map[string]string{"save failed": "user-1", "retry failed": "user-2"}
			for _, b := range crumbs {
				user, ok := want[b.Message]
				if !ok {
					continue
				}
				delete(want, b.Message)
				if got := b.Data["sentry.event_id"]; got != string(evs[0].EventID) {
					t.Errorf("%s: breadcrumb %q names %v, want the event %s", where, b.Message, got, evs[0].EventID)
				}
				if got := b.Data["attr.sentry.event_id"]; got != user {
					t.Errorf("%s: breadcrumb %q keeps the user's sentry.event_id as %v, want attr.sentry.event_id %s (data %s)", where, b.Message, got, user, js(b.Data))
				}
			}
			if len(want) > 0 {
				t.Errorf("%s: no breadcrumb of %v", where, want)
			}
		}
		check("the next event", evs[1].Event.Breadcrumbs)
		check("the trail", logcrumbs.FromContext(ctx).Breadcrumbs())
	})
	t.Run("repeats", func(t *testing.T) {
		// One call site: a logger that skips a repeat's record (zerolog's
		// writer) names the event before the fields it keeps encoded.
		logger, rec := newLogger(t, d, nil)
		ctx := rec.Context(context.Background())
		log := logger.Bind(ctx)
		err := errors.New("disk full " + t.Name())
		for i := range 3 {
			log.Log(Error, "save failed", Field{"err", err}, Field{"sentry.event_id", fmt.Sprint("user-", i)})
		}
		ev := one(t, rec)
		i := 0
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			if got := b.Data["sentry.event_id"]; got != string(ev.EventID) {
				t.Errorf("breadcrumb %d names %v, want the event %s", i, got, ev.EventID)
			}
			if got, want := b.Data["attr.sentry.event_id"], fmt.Sprint("user-", i); got != want {
				t.Errorf("breadcrumb %d keeps the user's sentry.event_id as %v, want attr.sentry.event_id %s (data %s)", i, got, want, js(b.Data))
			}
			i++
		}
		if i != 3 {
			t.Errorf("%d breadcrumbs, want 3", i)
		}
	})
	t.Run("prefixed", func(t *testing.T) {
		// The user's field of the prefixed key is not lost to the
		// renamed one: it is prefixed once more.
		logger, rec := newLogger(t, d, nil)
		ctx := rec.Context(context.Background())
		log := logger.Bind(ctx)
		err := errors.New("disk full " + t.Name())
		for i := range 2 {
			log.Log(Error, "save failed", Field{"err", err}, Field{"sentry.event_id", fmt.Sprint("user-", i)},
				Field{"attr.sentry.event_id", fmt.Sprint("attr-", i)})
		}
		ev := one(t, rec)
		i := 0
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			want := map[string]any{
				"sentry.event_id":           string(ev.EventID),
				"attr.sentry.event_id":      fmt.Sprint("user-", i),
				"attr.attr.sentry.event_id": fmt.Sprint("attr-", i),
			}
			for k, v := range want {
				if got := b.Data[k]; got != v {
					t.Errorf("breadcrumb %d: %s %v, want %v (data %s)", i, k, got, v, js(b.Data))
				}
			}
			i++
		}
		if i != 2 {
			t.Errorf("%d breadcrumbs, want 2", i)
		}
		logger, rec = newLogsLogger(t, d, true, Info, nil)
		log = logger.Bind(rec.Context(context.Background()))
		log.Log(Info, "flat", Field{"logcrumbs.logger", "mine"}, Field{"attr.logcrumbs.logger", "theirs"})
		log.Log(Info, "grouped", Field{"logcrumbs", Group{{"logger", "mine"}}}, Field{"attr", Group{{"logcrumbs.logger", "theirs"}}})
		logs := rec.Logs()
		if len(logs) != 2 {
			t.Fatalf("logs %q, want 2", bodies(logs))
		}
		for _, l := range logs {
			want := map[string]any{"logcrumbs.logger": d.Category, "attr.logcrumbs.logger": "mine", "attr.attr.logcrumbs.logger": "theirs"}
			for k, v := range want {
				if got := l.Attributes[k].AsInterface(); got != v {
					t.Errorf("log %q: %s %v, want %v (attributes %s)", l.Body, k, got, v, js(l.Attributes))
				}
			}
		}
	})
	t.Run("dropped event", func(t *testing.T) {
		logger, rec := newLogger(t, d, nil, func(o *sentry.ClientOptions) {
			o.BeforeSend = func(*sentry.Event, *sentry.EventHint) *sentry.Event { return nil }
		})
		ctx := rec.Context(context.Background())
		log := logger.Bind(ctx)
		err := errors.New("disk full " + t.Name())
		for i := range 2 {
			log.Log(Error, "save failed", Field{"err", err}, Field{"sentry.event_id", fmt.Sprint("user-", i)})
		}
		i := 0
		for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			if got, ok := b.Data["sentry.event_id"]; ok {
				t.Errorf("breadcrumb %d names %v, want no event (data %s)", i, got, js(b.Data))
			}
			if got, want := b.Data["attr.sentry.event_id"], fmt.Sprint("user-", i); got != want {
				t.Errorf("breadcrumb %d keeps the user's sentry.event_id as %v, want attr.sentry.event_id %s (data %s)", i, got, want, js(b.Data))
			}
			i++
		}
		if i != 2 {
			t.Errorf("%d breadcrumbs, want 2", i)
		}
	})
	t.Run("Logs logger", func(t *testing.T) {
		logger, rec := newLogsLogger(t, d, true, Info, nil)
		log := logger.Bind(rec.Context(context.Background()))
		log.Log(Info, "flat", Field{"logcrumbs.logger", "mine"}, Field{"n", 1})
		log.Log(Info, "grouped", Field{"logcrumbs", Group{{"logger", "mine"}}}, Field{"n", 1})
		logs := rec.Logs()
		if len(logs) != 2 {
			t.Fatalf("logs %q, want 2", bodies(logs))
		}
		for _, l := range logs {
			if got := l.Attributes["logcrumbs.logger"].AsInterface(); got != d.Category {
				t.Errorf("log %q: logcrumbs.logger %v, want %s (attributes %s)", l.Body, got, d.Category, js(l.Attributes))
			}
			if got := l.Attributes["attr.logcrumbs.logger"].AsInterface(); got != "mine" {
				t.Errorf("log %q: the user's logcrumbs.logger kept as %v, want attr.logcrumbs.logger mine (attributes %s)", l.Body, got, js(l.Attributes))
			}
		}
	})
	t.Run("Logs event link", func(t *testing.T) {
		// An error record folded into an earlier event, sent to Sentry
		// Logs after the fact (LogsOnEvent, with the unit's next event),
		// names that event under "sentry.event_id" as its breadcrumb
		// does, and an event's own record its event; the record's own
		// field of that name is kept under "attr.sentry.event_id" (see
		// LogsEventLink for every path to Sentry Logs).
		logger, rec := newLogsLogger(t, d, false, Debug, func(o *logcrumbs.Options) { o.LogsOnEvent = true })
		log := logger.Bind(rec.Context(context.Background()))
		err := errors.New("disk full " + t.Name())
		log.Log(Error, "save failed", Field{"err", err}, Field{"sentry.event_id", "user-1"})
		log.Log(Error, "retry failed", Field{"err", fmt.Errorf("retry: %w", err)}, Field{"sentry.event_id", "user-2"})
		log.Log(Error, "render failed", Field{"err", errors.New("template missing " + t.Name())})
		evs := rec.Events()
		if len(evs) != 2 {
			t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
		}
		want := map[string]map[string]any{
			"save failed":   {"sentry.event_id": string(evs[0].EventID), "attr.sentry.event_id": "user-1"},
			"retry failed":  {"sentry.event_id": string(evs[0].EventID), "attr.sentry.event_id": "user-2"},
			"render failed": {"sentry.event_id": string(evs[1].EventID), "attr.sentry.event_id": nil},
		}
		logs := rec.Logs()
		if got := bodies(logs); len(got) != 3 {
			t.Fatalf("logs %q, want 3", got)
		}
		for _, l := range logs {
			for k, v := range want[l.Body] {
				got, ok := l.Attributes[k]
				if v == nil && ok || v != nil && got.AsInterface() != v {
					t.Errorf("log %q: %s = %s, want %v (attributes %s)", l.Body, k, js(got), v, js(l.Attributes))
				}
			}
		}
	})
	t.Run("Logs time", func(t *testing.T) {
		logger, rec := newLogsLogger(t, d, false, Debug, func(o *logcrumbs.Options) { o.LogsOnEvent = true })
		log := logger.Bind(rec.Context(context.Background()))
		before := time.Now()
		log.Log(Info, "step", Field{"logcrumbs.time", "yesterday"})
		log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
		var step *sentry.Log
		for i, l := range rec.Logs() {
			if l.Body == "step" {
				step = &rec.Logs()[i]
			}
		}
		if step == nil {
			t.Fatalf("logs %q, want the step sent on the event", bodies(rec.Logs()))
		}
		s, _ := step.Attributes["logcrumbs.time"].AsInterface().(string)
		if at, err := time.Parse(time.RFC3339Nano, s); err != nil || at.Before(before.Add(-time.Second)) {
			t.Errorf("logcrumbs.time %q, want the record's time (attributes %s)", s, js(step.Attributes))
		}
		if got := step.Attributes["attr.logcrumbs.time"].AsInterface(); got != "yesterday" {
			t.Errorf("the user's logcrumbs.time kept as %v, want attr.logcrumbs.time yesterday (attributes %s)", got, js(step.Attributes))
		}
	})
}
