package bench

import (
	"fmt"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

type noTimer struct{}

func (noTimer) StopTimer()  {}
func (noTimer) StartTimer() {}

// TestEventTrails: every event of an <Logger>Event -trail<n> row carries n
// breadcrumbs like the Breadcrumb rows' info record (zerolog's kept encoded,
// parsed when the event is sent), however many ops ran: not the breadcrumbs
// the row's own earlier events left in the trail. An -empty row's events
// carry none.
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
		for _, n := range []int{0, 20} {
			t.Run(fmt.Sprintf("%s/trail%d", logger, n), func(t *testing.T) {
				var last []*sentry.Breadcrumb
				events := 0
				client, err := sentry.NewClient(sentry.ClientOptions{
					Transport: new(countingTransport),
					BeforeSend: func(e *sentry.Event, _ *sentry.EventHint) *sentry.Event {
						last, events = e.Breadcrumbs, events+1
						return e
					},
				})
				if err != nil {
					t.Fatal(err)
				}
				do := op(sentry.NewHub(client, sentry.NewScope()), n)
				for i := range 3 * max(n, 1) {
					do(i)
				}
				if events != 3*max(n, 1) {
					t.Fatalf("%d events, want one per op (%d)", events, 3*max(n, 1))
				}
				if len(last) != n {
					t.Fatalf("%d breadcrumbs, want %d", len(last), n)
				}
				for i, b := range last {
					if b.Message != msg || b.Data["path"] != path {
						t.Fatalf("breadcrumb %d of the last event: %q %v, want the info record %q", i, b.Message, b.Data, msg)
					}
				}
			})
		}
	}
}
