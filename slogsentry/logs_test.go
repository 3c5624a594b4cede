package slogsentry_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/golden"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestReviewSlogLogsDump logs records of many shapes through a handler
// with a Logs level, PII off and on, and compares the Sentry Logs sent
// (level, severity, body, attributes with types; not times or IDs) with
// testdata/logs_review_main.golden, what main sent; LOGS_REVIEW_DUMP
// writes the dump instead.
func TestReviewSlogLogsDump(t *testing.T) {
	var out strings.Builder
	for _, pii := range []bool{false, true} {
		rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
			//lint:ignore SA1019 the golden dump was made with the deprecated option, which is still honoured
			o.SendDefaultPII = pii
			o.ServerName = "host"
		})
		opts := rec.Options()
		l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts, LogsLevel: slog.LevelDebug - 4}))
		ctx := rec.Context(context.Background())
		lw := l.With("pre", "bound", "password", "p", slog.Group("user", "id", 1, "email", "e@x")).WithGroup("g")
		for i, msg := range []string{"plain", "100% done", "%d %s %% %v %!", "", "bad \xff", "%!(EXTRA)"} {
			l.Log(ctx, slog.Level(i*4-8), msg, "i", i, "k\xffey", "v\xe2", "token", "t", "url", "https://u:p@h/?sig=1",
				slog.Group("http", "status", 200, "user", "x"), "err", errors.New("e %s"), "dur", time.Second,
				"f", 1.5, "u64", uint64(1<<63), "b", true, "user", "bob", "user.email", "a@x", "a.b", 1)
			lw.InfoContext(ctx, msg, "x", i, slog.Group("h", "token", "s"), "user", slog.GroupValue(slog.String("id", "2"), slog.String("name", "n")))
		}
		time.Sleep(10 * time.Millisecond)
		for _, lg := range rec.Logs() {
			fmt.Fprintf(&out, "pii %v level=%s severity=%d body=%q\n", pii, lg.Level, lg.Severity, lg.Body)
			keys := make([]string, 0, len(lg.Attributes))
			for k := range lg.Attributes {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if k == "sentry.server.address" || k == "sentry.sdk.version" || k == "sentry.release" {
					continue
				}
				v := lg.Attributes[k]
				fmt.Fprintf(&out, "  %q=%s:%#v\n", k, v.Type(), v.AsInterface())
			}
		}
	}
	if p := os.Getenv("LOGS_REVIEW_DUMP"); p != "" {
		if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	golden.Check(t, out.String(), "testdata/logs_review_main.golden")
}
