package slogsentry_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// capturingHandler is a wrapped handler that captures an error by hand
// through the unit's hub when it handles a record whose message is "capture".
type capturingHandler struct{ slog.Handler }

func (h capturingHandler) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "capture") {
		sentry.GetHubFromContext(ctx).CaptureException(errors.New("captured by the wrapped handler"))
	}
	return nil
}

func (h capturingHandler) Enabled(context.Context, slog.Level) bool { return true }

// TestPassThroughAtTheLevelWhileNextSends: Options.PassThroughLevel sends
// the records "at or above" the level once the unit has sent an event. A
// breadcrumb whose unit sent one while the wrapped handler ran (between
// the record's decision and its keeping) goes to Sentry Logs when kept,
// at the level itself as above it.
func TestPassThroughAtTheLevelWhileNextSends(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.PassThroughLevel = sentry.LevelInfo
	logger := slog.New(slogsentry.NewHandler(capturingHandler{slog.DiscardHandler}, slogsentry.Options{Options: opts}))
	for _, l := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
		rec.Reset()
		ctx := rec.Context(context.Background())
		logger.Log(ctx, l, "capture at "+l.String())
		var got []string
		for _, lg := range rec.Logs() {
			got = append(got, lg.Body)
		}
		if want := "capture at " + l.String(); strings.Join(got, "|") != want {
			t.Errorf("%v: logs %q, want %q (at or above PassThroughLevel, its unit having sent an event)", l, got, want)
		}
	}
}
