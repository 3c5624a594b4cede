package slogsentry_test

import (
	"context"
	"log/slog"
	"slices"
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
// the program's) go to Sentry Logs at Sentry's trace level, as sentry-go's
// slog integration sends them; their breadcrumbs are at debug, Sentry's
// lowest for breadcrumbs.
func TestLogsTraceLevel(t *testing.T) {
	rec := logcrumbstest.New(t)
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelDebug - 4, BreadcrumbLevel: slog.LevelDebug - 4}))
	ctx := rec.Context(context.Background())
	l.Log(ctx, slog.LevelDebug-4, "trace")
	l.Log(ctx, slog.LevelDebug-1, "below debug")
	l.Log(ctx, slog.LevelDebug, "debug")
	var levels []sentry.LogLevel
	for _, lg := range rec.Logs() {
		levels = append(levels, lg.Level)
	}
	if want := []sentry.LogLevel{sentry.LogLevelTrace, sentry.LogLevelTrace, sentry.LogLevelDebug}; !slices.Equal(levels, want) {
		t.Errorf("logs at %v, want %v", levels, want)
	}
	l.ErrorContext(ctx, "failed")
	for _, b := range rec.OnlyEvent().Breadcrumbs() {
		if b.Level != sentry.LevelDebug {
			t.Errorf("breadcrumb %q at %q, want debug", b.Message, b.Level)
		}
	}
}
