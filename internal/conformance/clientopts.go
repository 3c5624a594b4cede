package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
)

// RunClientSetup runs the cases of a program that had its sentry.Init and
// its hubs and scopes before logcrumbs: what its client options and its
// scopes do to the events and breadcrumbs logcrumbs sends, as they do to
// the events sentry-go's own API sends.
func RunClientSetup(t *testing.T, d Driver) {
	t.Helper()
	for _, c := range []struct {
		name string
		run  func(*testing.T, Driver)
	}{
		{"ClientOptionsOnLoggedEvents", testClientOptionsOnLoggedEvents},
		{"ClientMaxBreadcrumbs", testClientMaxBreadcrumbs},
		{"ClientSampleRateCounted", testClientSampleRateCounted},
		{"ScopeOfTheContextsHub", testScopeOfTheContextsHub},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, d) })
	}
}

// ClientOptionsOnLoggedEvents: the client's BeforeBreadcrumb sees the
// trail's breadcrumbs (dropping one, changing another) as it sees those
// added through the hub, once for each event built with them; IgnoreErrors drops a logged error's event (counted
// in Stats as failed, LastEventID unchanged); BeforeSend gets the error
// and the record's context in its hint and changes what is sent;
// Release, Environment, Dist and ServerName are the client's.
func testClientOptionsOnLoggedEvents(t *testing.T, d Driver) {
	var seen []string // BeforeBreadcrumb's calls, in order
	logger, rec := newLogger(t, d, nil, func(o *sentry.ClientOptions) {
		o.BeforeBreadcrumb = func(b *sentry.Breadcrumb, _ *sentry.BreadcrumbHint) *sentry.Breadcrumb {
			seen = append(seen, b.Message)
			if strings.HasPrefix(b.Message, "noisy") {
				return nil
			}
			b.Message = "[" + b.Message + "]"
			return b
		}
		o.IgnoreErrors = []string{"context canceled"}
		o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			if ev.Tags == nil {
				ev.Tags = map[string]string{}
			}
			ev.Tags["original"] = fmt.Sprint(hint.OriginalException)
			if hint.Context != nil {
				ev.Tags["hint_context"] = fmt.Sprint(hint.Context.Value(hintKey{}))
			}
			return ev
		}
		o.Release, o.Environment, o.Dist, o.ServerName = "shop@1.2.3", "staging", "arm64", "web-7"
	})
	ctx := rec.Context(context.WithValue(context.Background(), hintKey{}, "checkout"))
	log := logger.Bind(ctx)
	log.Log(Info, "noisy poll")
	log.Log(Info, "cart loaded")
	sentry.GetHubFromContext(ctx).AddBreadcrumb(&sentry.Breadcrumb{Message: "by hand"}, nil)
	before := logcrumbs.Stats()
	log.Log(Error, "client went away", Field{"err", fmt.Errorf("read body: %w", context.Canceled)})
	after := logcrumbs.Stats()
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("an error IgnoreErrors matches sent %d events", n)
	}
	if after.EventsFailed == before.EventsFailed {
		t.Errorf("the event IgnoreErrors dropped is not counted in Stats().EventsFailed")
	}
	if id := logcrumbs.LastEventID(ctx); id != "" {
		t.Errorf("LastEventID %q after an event IgnoreErrors dropped, want empty", id)
	}
	err := errors.New("card declined " + t.Name())
	log.Log(Error, "charge failed", Field{"err", err})
	ev := one(t, rec)
	if got := ev.Tags["original"]; got != err.Error() {
		t.Errorf("BeforeSend's hint.OriginalException %q, want the logged error %q", got, err.Error())
	}
	if got := ev.Tags["hint_context"]; got != "checkout" {
		t.Errorf("BeforeSend's hint.Context holds %q, want the record's context, with %q", got, "checkout")
	}
	want := []string{"[cart loaded]", "[by hand]", "[client went away]"}
	if got := ev.BreadcrumbMessages(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("breadcrumbs %q, want %q (BeforeBreadcrumb drops noisy ones, changes the rest)", got, want)
	}
	// The hub's once, when added; the trail's for each event built with
	// them, as documented (logcrumbs' package doc): the event IgnoreErrors
	// dropped, then the one sent.
	if got, want := fmt.Sprint(seen), "[by hand noisy poll cart loaded noisy poll cart loaded client went away]"; got != want {
		t.Errorf("BeforeBreadcrumb saw %s, want %s", got, want)
	}
	if ev.Release != "shop@1.2.3" || ev.Environment != "staging" || ev.Dist != "arm64" || ev.ServerName != "web-7" {
		t.Errorf("release %q, environment %q, dist %q, server %q: want the client's", ev.Release, ev.Environment, ev.Dist, ev.ServerName)
	}
	if id := logcrumbs.LastEventID(ctx); id != ev.EventID {
		t.Errorf("LastEventID %q, want the event %q", id, ev.EventID)
	}
}

// hintKey is a key of the record's context, which BeforeSend reads from
// its hint.
type hintKey struct{}

// ClientMaxBreadcrumbs: the client's MaxBreadcrumbs bounds the event's
// breadcrumbs, the trail's and the scope's together, keeping the newest in
// the order they came; negative sends none, zero means sentry-go's 100.
func testClientMaxBreadcrumbs(t *testing.T, d Driver) {
	for _, c := range []struct {
		max  int
		want int
	}{{5, 5}, {-1, 0}, {0, 100}} {
		t.Run(fmt.Sprint(c.max), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil, func(o *sentry.ClientOptions) { o.MaxBreadcrumbs = c.max })
			ctx := rec.Context(context.Background())
			log := logger.Bind(ctx)
			for i := range 150 {
				if i == 148 {
					time.Sleep(time.Millisecond) // the hand breadcrumb's time is after the record's before
					sentry.GetHubFromContext(ctx).AddBreadcrumb(&sentry.Breadcrumb{Message: "by hand", Timestamp: time.Now()}, nil)
					time.Sleep(time.Millisecond)
				}
				log.Log(Info, fmt.Sprint("step ", i))
			}
			log.Log(Error, "boom")
			got := one(t, rec).BreadcrumbMessages()
			if len(got) != c.want {
				t.Fatalf("%d breadcrumbs, want %d", len(got), c.want)
			}
			if c.want >= 3 {
				if tail := strings.Join(got[len(got)-3:], "|"); tail != "by hand|step 148|step 149" {
					t.Errorf("newest breadcrumbs %q, want %q", tail, "by hand|step 148|step 149")
				}
			}
		})
	}
}

// ClientSampleRateCounted: with SampleRate 0.5 some events are sent and
// some dropped by sampling; every one dropped is counted in Stats as
// failed, and a unit whose event was dropped has no LastEventID.
func testClientSampleRateCounted(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil, func(o *sentry.ClientOptions) { o.SampleRate = 0.5 })
	const n = 200
	before := logcrumbs.Stats()
	withID := 0
	for i := range n {
		ctx := rec.Context(context.Background())
		logger.Bind(ctx).Log(Error, "charge failed", Field{"err", fmt.Errorf("card %d declined %s", i, t.Name())})
		if logcrumbs.LastEventID(ctx) != "" {
			withID++
		}
	}
	after := logcrumbs.Stats()
	sent := len(rec.Events())
	if sent == 0 || sent == n {
		t.Fatalf("SampleRate 0.5 sent %d events of %d", sent, n)
	}
	if withID != sent {
		t.Errorf("%d units have a LastEventID, want the %d whose event was sent", withID, sent)
	}
	if failed := after.EventsFailed - before.EventsFailed; failed < uint64(n-sent) {
		t.Errorf("Stats().EventsFailed grew by %d, want at least the %d events sampling dropped", failed, n-sent)
	}
}

// ScopeOfTheContextsHub: the scope of the hub on the record's context
// (sentry.GetHubFromContext) shapes the event as it shapes one captured
// through that hub: its tags, user, contexts, level and fingerprint; a
// scope pushed by hub.WithScope for the records logged inside it; a clone
// of the hub put on a context with sentry.SetHubOnContext (one per
// goroutine) for that context's records, which stay the unit's
// (LastEventID of the unit names their event).
func testScopeOfTheContextsHub(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	ctx := rec.Context(context.Background())
	log := logger.Bind(ctx)
	hub := sentry.GetHubFromContext(ctx)
	hub.ConfigureScope(func(s *sentry.Scope) {
		s.SetTag("tenant", "acme")
		s.SetUser(sentry.User{ID: "42"})
		s.SetContext("order", sentry.Context{"id": "o-1"})
	})
	log.Log(Error, "first", Field{"err", errors.New("first " + t.Name())})
	hub.WithScope(func(s *sentry.Scope) {
		s.SetTag("step", "payment")
		s.SetLevel(sentry.LevelWarning)
		s.SetFingerprint([]string{"payment-failures"})
		log.Log(Error, "second", Field{"err", errors.New("second " + t.Name())})
	})
	clone := hub.Clone()
	clone.Scope().SetTag("worker", "3")
	gctx := sentry.SetHubOnContext(ctx, clone)
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger.Bind(gctx).Log(Error, "third", Field{"err", errors.New("third " + t.Name())})
	}()
	<-done
	evs := rec.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events %q, want 3", len(evs), messages(evs))
	}
	for i, ev := range evs {
		if ev.Tags["tenant"] != "acme" || ev.User.ID != "42" || fmt.Sprint(ev.Contexts["order"]) != "map[id:o-1]" {
			t.Errorf("event %d (%s): tags %v, user %+v, order %v: want the scope's", i, ev.Message, ev.Tags, ev.User, ev.Contexts["order"])
		}
		inScope := i == 1
		if (ev.Tags["step"] == "payment") != inScope || (ev.Level == sentry.LevelWarning) != inScope || (len(ev.Fingerprint) == 1) != inScope {
			t.Errorf("event %d (%s): tag step %q, level %q, fingerprint %q: WithScope's only inside it", i, ev.Message, ev.Tags["step"], ev.Level, ev.Fingerprint)
		}
		if (ev.Tags["worker"] == "3") != (i == 2) {
			t.Errorf("event %d (%s): tag worker %q: the clone's only on its context's", i, ev.Message, ev.Tags["worker"])
		}
	}
	if id := logcrumbs.LastEventID(ctx); id != evs[2].EventID {
		t.Errorf("LastEventID %q, want the clone's event %q: it is the unit's", id, evs[2].EventID)
	}
	if crumbs := evs[2].BreadcrumbMessages(); strings.Join(crumbs, "|") != "first|second" {
		t.Errorf("the clone's event has breadcrumbs %q, want the unit's trail %q", crumbs, "first|second")
	}
}
