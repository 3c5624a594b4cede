package conformance

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// WrappedTwiceFeedsOnce: a logger fed to logcrumbs twice, the way its users
// do without meaning to (a shared package wraps the default logger and a
// service wraps it again, as the README says), feeds it once: the
// request's error is one event carrying the request's trail with each
// breadcrumb once (none from the fallback trail), LastEventID names it,
// each record at the Logs level is one Sentry Log, and the user's output
// is the bare logger's, written once.
func testWrappedTwiceFeedsOnce(t *testing.T, d Driver) {
	write := func(bare bool) (string, *logcrumbstest.Recorder, context.Context) {
		rec := logcrumbstest.New(t)
		var out syncBuffer
		logger := d.New(t, Config{Options: rec.Options(), Out: &out, Logs: true, LogsLevel: Info, Bare: bare, WrapTwice: !bare})
		ctx := rec.Context(context.Background())
		logger.Log(Info, "elsewhere", Field{"n", 0}) // unbound: the fallback trail
		log := logger.Bind(ctx)
		log.Log(Debug, "step one", Field{"n", 1})
		log.Log(Info, "step two", Field{"n", 2})
		log.Log(Error, "failed", Field{"err", errors.New("quota exceeded " + t.Name())})
		return out.String(), rec, ctx
	}
	without, _, _ := write(true)
	with, rec, ctx := write(false)
	ev := one(t, rec)
	if got := strings.Join(ev.BreadcrumbMessages(), ","); got != "step one,step two" {
		t.Errorf("event's breadcrumbs %q, want the request's own, once: \"step one,step two\"", got)
	}
	if n := len(logcrumbs.FromContext(ctx).Breadcrumbs()); n != 3 {
		t.Errorf("%d breadcrumbs in the request's trail, want 3 (two records and the error)", n)
	}
	if id := logcrumbs.LastEventID(ctx); id != ev.EventID {
		t.Errorf("LastEventID %q, want the event's %q", id, ev.EventID)
	}
	if got := strings.Join(bodies(rec.Logs()), "|"); got != "elsewhere|step two|failed" {
		t.Errorf("Sentry Logs %q, want each record at Info and above once: \"elsewhere|step two|failed\"", got)
	}
	if without != with {
		t.Errorf("output differs:\nbare:         %s\nwrapped twice: %s", without, with)
	}
	if strings.Count(without, "step two") != 1 {
		t.Errorf("unexpected output (the driver's output is not what the suite asked): %s", without)
	}
}
