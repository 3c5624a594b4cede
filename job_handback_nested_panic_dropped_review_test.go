package logcrumbs_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestNestedJobDroppedPanicNotNamedByCaller: a job (Recover) runs a job
// that panics; the inner job's panic event is dropped by BeforeSend (by
// its "job" tag). The outer job recovers the panic going on and returns it
// as an error, which its caller logs: no event was sent, so the caller's
// LastEventID, and the breadcrumb of its log, name none. The outer job
// took the panic for reported as the inner job's event (the units'
// processors note a panic's event before the client's BeforeSend runs)
// and handed that unsent event back to its caller. Nor is the panic
// offered again, by the outer job or by the caller's log.
func TestNestedJobDroppedPanicNotNamedByCaller(t *testing.T) {
	rec, offered := offeredRecorder(t, "inner")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	err := logcrumbs.RunJob(ctx, "outer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
		return logcrumbs.RunJob(ctx, "inner", logcrumbs.JobOptions{Options: rec.Options()}, func(context.Context) error {
			panic("boom " + t.Name())
		})
	})
	if err == nil {
		t.Fatal("RunJob returned nil")
	}
	logger.ErrorContext(ctx, "outer failed", "err", err)
	sent := rec.Events()
	if got := string(logcrumbs.LastEventID(ctx)); got != "" {
		t.Errorf("caller's LastEventID %q, an event never sent (%d sent: %v)", got, len(sent), evMessages(sent))
	}
	if o := offered(); len(o) != 1 || len(sent) != 0 {
		t.Errorf("BeforeSend offered %q, %d sent: want the inner job's panic event alone, dropped, not offered again", o, len(sent))
	}
}
