package logcrumbs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestPrintTransportShowsRepeats: the same error logged three times within
// the dedupe window is one event, and Flush sends a summary of the two
// repeats (tagged logcrumbs.summary). Printed, the summary must say how
// many repeats it stands for: without the count it reads as the first
// event sent again, as if deduplication did not work.
func TestPrintTransportShowsRepeats(t *testing.T) {
	var out bytes.Buffer
	client, err := sentry.NewClient(sentry.ClientOptions{
		Transport: logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true, Frames: 1}),
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
	}))
	for range 3 {
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), "db down", "err", errors.New("conn refused"))
	}
	logcrumbs.Flush(time.Second)
	got := out.String()
	if n := strings.Count(got, "sentry event: error [slog] db down"); n != 2 {
		t.Fatalf("printed %d events, want the first and the summary of its repeats:\n%s", n, got)
	}
	summary := got[strings.LastIndex(got, "sentry event:"):]
	if !strings.Contains(summary, "  logcrumbs: repeats=2\n") {
		t.Errorf("the summary does not show its count of repeats (want a line %q):\n%s", "  logcrumbs: repeats=2", summary)
	}
}
