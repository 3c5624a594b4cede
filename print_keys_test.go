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

// TestPrintTransportKeysOnOneLine: TestPrintTransportOneLine for what the
// summary prints besides messages and values: attribute keys (of the
// breadcrumbs, of the "log" context, of Sentry Logs), which a program may
// take from its input (a header's or a query parameter's name), and the
// fingerprint, the value of an attribute. A control character in them
// stays on its line, quoted, and no escape sequence reaches the terminal.
func TestPrintTransportKeysOnOneLine(t *testing.T) {
	var out bytes.Buffer
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true, Frames: 1})})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options:   logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope()), FingerprintKey: "code", DedupeWindow: -1},
		LogsLevel: slog.LevelInfo,
	}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "header seen", "X-Evil\x1b[2J", "v1", "line\nkey", "v2")
	logger.ErrorContext(ctx, "sync failed", "err", errors.New("x"), "code", "E1\nfake line", "cr\rkey", 1)
	client.Flush(time.Second)
	got := out.String()
	if strings.ContainsAny(got, "\x1b\r") {
		t.Errorf("summary holds a raw control character:\n%q", got)
	}
	for _, bad := range []string{"line\nkey", "E1\nfake line"} {
		if strings.Contains(got, bad) {
			t.Errorf("summary breaks a line inside %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{`"X-Evil\x1b[2J"=v1`, `"line\nkey"=v2`, `"cr\rkey"=1`} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %s:\n%q", want, got)
		}
	}
}
