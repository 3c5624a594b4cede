package conformance

import (
	"context"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// LogsWithoutClientThenBound: with the Logs level on, a hub without a
// client, or with sentry-go's no-op client, sends nothing and logging goes
// on; once the program binds a client to that hub, the next records reach
// Sentry Logs through it (the logger logcrumbs keeps is the client's, not
// the hub's first: the shared core's cache of Logs loggers is keyed by
// client), marked as logcrumbs'; a client bound in its place takes the
// next ones, and none is sent once the hub has no client.
func testLogsWithoutClientThenBound(t *testing.T, d Driver) {
	for _, first := range []*sentry.Client{nil, sentry.NewNoopClient()} {
		rec := logcrumbstest.New(t)
		hub := sentry.NewHub(first, sentry.NewScope())
		logger := d.New(t, Config{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, Logs: true, LogsLevel: Info})
		log := logger.Bind(logcrumbs.NewContext(context.Background()))
		log.Log(Info, "before")
		log.Log(Error, "failed before")
		hub.BindClient(rec.Hub().Client())
		log.Log(Info, "after")
		logger.Log(Info, "after, no unit")
		var got []string
		for _, lg := range rec.Logs() {
			got = append(got, lg.Body)
			if o := lg.Attributes["sentry.origin"].AsString(); o != "auto.log.logcrumbs" {
				t.Errorf("%q: sentry.origin %q", lg.Body, o)
			}
		}
		if s := strings.Join(got, "|"); s != "after|after, no unit" {
			t.Errorf("first client %v: logs %q, want the records logged after the bind", first, s)
		}
		// Another client bound: the next records go through it only.
		rec2 := logcrumbstest.New(t)
		hub.BindClient(rec2.Hub().Client())
		log.Log(Info, "rebound")
		if logs := rec2.Logs(); len(logs) != 1 || logs[0].Body != "rebound" {
			t.Errorf("the client bound second: logs %q, want rebound", bodies(logs))
		}
		if logs := rec.Logs(); len(logs) != 2 {
			t.Errorf("the client bound first: logs %q, want the 2 before the rebind", bodies(logs))
		}
		hub.BindClient(nil)
		log.Log(Info, "unbound")
		if n1, n2 := len(rec.Logs()), len(rec2.Logs()); n1 != 2 || n2 != 1 {
			t.Errorf("after the client was unbound: %d and %d logs, want 2 and 1", n1, n2)
		}
	}
}
