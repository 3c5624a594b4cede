package bench

import (
	"testing"

	"github.com/getsentry/sentry-go"
)

type noTimer struct{}

func (noTimer) StopTimer()  {}
func (noTimer) StartTimer() {}

// TestZerologEventTrails: every event of a -trail<n> row carries n
// breadcrumbs like the Breadcrumb rows' info record (kept encoded, parsed
// when the event is sent), however many ops ran: not the breadcrumbs the
// row's own earlier events left in the trail.
func TestZerologEventTrails(t *testing.T) {
	for _, name := range zerologCases[1:] {
		t.Run(name, func(t *testing.T) {
			var last []*sentry.Breadcrumb
			client, err := sentry.NewClient(sentry.ClientOptions{
				Transport: new(countingTransport),
				BeforeSend: func(e *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					last = e.Breadcrumbs
					return e
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			const n = 20
			op := zerologEvents(name, zerologOpts(sentry.NewHub(client, sentry.NewScope())), n, noTimer{})
			for i := range 3 * n {
				op(i)
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
