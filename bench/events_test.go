package bench

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/getsentry/sentry-go"
	samber "github.com/samber/slog-sentry/v2"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

type noTimer struct{}

func (noTimer) StopTimer()  {}
func (noTimer) StartTimer() {}

// TestEventTrails: every event of an <Logger>Event -trail<n> row carries n
// breadcrumbs like the Breadcrumb rows' info record (zerolog's kept encoded,
// parsed when the event is sent), however many ops ran: not the breadcrumbs
// the row's own earlier events left in its trails, through several rounds
// of refilling its trails. An -empty row's events carry none.
func TestEventTrails(t *testing.T) {
	ops := map[string]func(hub *sentry.Hub, n int) func(int){
		"slog": func(hub *sentry.Hub, n int) func(int) {
			h := slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}})
			return slogEvents(h, n, noTimer{})
		},
		"zap": func(hub *sentry.Hub, n int) func(int) { return zapEvents("json+logcrumbs", zapOpts(hub), n, noTimer{}) },
		"logr": func(hub *sentry.Hub, n int) func(int) {
			return logrEvents("json+logcrumbs", logrOpts(hub), n, noTimer{})
		},
		"logrus": func(hub *sentry.Hub, n int) func(int) {
			return logrusEvents(newLogrus(true, hub, nil), n, noTimer{})
		},
	}
	for _, name := range zerologCases[1:] {
		ops["zerolog-"+name] = func(hub *sentry.Hub, n int) func(int) { return zerologEvents(name, zerologOpts(hub), n, noTimer{}) }
	}
	for logger, op := range ops {
		for _, n := range []int{0, 20, 100} {
			t.Run(fmt.Sprintf("%s/trail%d", logger, n), func(t *testing.T) {
				events, ops := 0, 3*refillBatch(max(n, 1))+5
				var bad error
				client, err := sentry.NewClient(sentry.ClientOptions{
					Transport: new(countingTransport),
					BeforeSend: func(e *sentry.Event, _ *sentry.EventHint) *sentry.Event {
						if bad == nil {
							bad = infoCrumbs(e.Breadcrumbs, n)
							if bad != nil {
								bad = fmt.Errorf("event %d: %w", events, bad)
							}
						}
						events++
						return e
					},
				})
				if err != nil {
					t.Fatal(err)
				}
				do := op(sentry.NewHub(client, sentry.NewScope()), n)
				for i := range ops {
					do(i)
				}
				if events != ops {
					t.Fatalf("%d events, want one per op (%d)", events, ops)
				}
				if bad != nil {
					t.Fatal(bad)
				}
			})
		}
	}
}

// infoCrumbs checks that crumbs are n breadcrumbs of the info record.
func infoCrumbs(crumbs []*sentry.Breadcrumb, n int) error {
	if len(crumbs) != n {
		return fmt.Errorf("%d breadcrumbs, want %d", len(crumbs), n)
	}
	for i, b := range crumbs {
		if b.Message != msg || b.Data["path"] != path {
			return fmt.Errorf("breadcrumb %d: %q %v, want the info record %q", i, b.Message, b.Data, msg)
		}
	}
	return nil
}

// TestSamberEvents: samber's rows, the peers of the -empty and -trail<n>
// rows, send one event per op carrying n breadcrumbs like the info record
// (from the hub's scope), and log with no logcrumbs trail in the context:
// samber has no use for one, and a trail per op would charge samber's row
// what RequestSetup/trail costs (an allocation of 1 KiB), which logcrumbs'
// -empty rows are then compared against.
func TestSamberEvents(t *testing.T) {
	for _, tc := range trails {
		t.Run(tc.name, func(t *testing.T) {
			const ops = 5
			events := 0
			var bad error
			client, err := sentry.NewClient(sentry.ClientOptions{
				Transport: new(countingTransport),
				BeforeSend: func(e *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					if bad == nil {
						if bad = infoCrumbs(e.Breadcrumbs, tc.n); bad != nil {
							bad = fmt.Errorf("event %d: %w", events, bad)
						}
					}
					events++
					return e
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			hub := sentry.NewHub(client, sentry.NewScope())
			spy := &trailSpy{Handler: samber.Option{Hub: hub}.NewSentryHandler()}
			do := samberEvents(spy, hub, tc.n)
			for i := range ops {
				do(i)
			}
			if events != ops {
				t.Fatalf("%d events, want one per op (%d)", events, ops)
			}
			if bad != nil {
				t.Fatal(bad)
			}
			if spy.trails != 0 {
				t.Fatalf("%d of %d records logged with a logcrumbs trail in their context, want none", spy.trails, ops)
			}
		})
	}
}

// trailSpy counts the records h handles whose context carries a trail.
type trailSpy struct {
	slog.Handler
	trails int
}

func (s *trailSpy) Handle(ctx context.Context, r slog.Record) error {
	if logcrumbs.FromContext(ctx) != nil {
		s.trails++
	}
	return s.Handler.Handle(ctx, r)
}
