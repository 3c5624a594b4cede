package logcrumbs_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestFlushSendsLogsOfAClientWithoutEvents: Flush, "before the program
// exits, after the last log call", also takes over the Sentry Logs that an
// integration's Logs level sent through a client of its own
// (Options.Hub), when that client has sent no event: sentry-go holds Logs
// in a batch for up to 5 s, and a program that exits after Flush must not
// lose them.
func TestFlushSendsLogsOfAClientWithoutEvents(t *testing.T) {
	rec := logcrumbstest.New(t) // a client of its own, not sentry.CurrentHub()'s
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelInfo}))
	logger.InfoContext(rec.Context(context.Background()), "order shipped", "order", 42)
	if !logcrumbs.Flush(2 * time.Second) {
		t.Log("Flush returned false")
	}
	n := 0
	for _, ev := range rec.Sent() { // what reached the transport, without a flush of the Recorder's own
		if ev.Type == "log" {
			n += len(ev.Logs)
		}
	}
	if n != 1 {
		t.Errorf("%d Sentry Logs entries reached the transport after logcrumbs.Flush, want 1 (they wait in sentry-go's batch)", n)
	}
	if n := len(rec.Logs()); n != 1 { // the control: the Recorder's own flush
		t.Errorf("%d Sentry Logs entries after the client's own flush, want 1", n)
	}
}
