package slogsentry_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// Judgment calls of the Sentry Logs review (s36): what a team switching
// from sentry-go's own slog integration (sentry-go/slog) to LogsLevel
// would observe differently. Each is skipped with its reason; un-skipped,
// each fails on the current code.

// TestLogsValuesNotCutAtBreadcrumbLimits: a record below the event level
// goes to Sentry Logs as the trail keeps it, within BreadcrumbLimits (1
// KiB a value, 4 KiB and 64 attributes a record); sentry-go's slog
// integration sends it whole. Building Logs records with EventLimits would
// keep them whole, at the cost of bigger breadcrumbs for the records kept
// too; documenting it on LogsLevel and BreadcrumbLimits is the least.
func TestLogsValuesNotCutAtBreadcrumbLimits(t *testing.T) {
	t.Skip("judgment call: Logs records below the event level are cut at BreadcrumbLimits; see the comment")
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelInfo}))
	query := strings.Repeat("x", 2000)
	l.InfoContext(rec.Context(context.Background()), "slow query", "sql", query)
	logs := rec.Logs()
	if len(logs) != 1 || logs[0].Attributes["sql"].AsString() != query {
		t.Errorf("the query was cut in Sentry Logs")
	}
}

// TestLogsTraceLevel: slog records below LevelDebug (a "trace" level of
// the program's) go to Sentry Logs at level debug; sentry-go's slog
// integration sends them at Sentry's own trace level. logcrumbs' levels
// (buffer.Level) have no trace, which breadcrumbs and events lack too.
func TestLogsTraceLevel(t *testing.T) {
	t.Skip("judgment call: no trace level in logcrumbs' levels; see the comment")
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelDebug - 4, BreadcrumbLevel: slog.LevelDebug - 4}))
	l.Log(rec.Context(context.Background()), slog.LevelDebug-4, "trace")
	if logs := rec.Logs(); len(logs) != 1 || logs[0].Level != sentry.LogLevelTrace {
		t.Errorf("logs %v, want one at level trace", logs)
	}
}

// TestLogsOrigin: sentry-go's integrations mark their logs with
// "sentry.origin" ("auto.log.slog"); logcrumbs' logs carry none (Sentry
// reads a missing origin as "manual"), and name their logger under
// "logcrumbs.logger". Adding it costs a map entry a log.
func TestLogsOrigin(t *testing.T) {
	t.Skip("judgment call: no sentry.origin on logcrumbs' logs; see the comment")
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelInfo}))
	l.InfoContext(rec.Context(context.Background()), "hello")
	if logs := rec.Logs(); len(logs) != 1 || !strings.HasPrefix(logs[0].Attributes["sentry.origin"].AsString(), "auto.log.") {
		t.Errorf("no sentry.origin of an integration")
	}
}
