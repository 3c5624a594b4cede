package crosstest_test

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// escalateOn5xxOrNotExist is the predicate of the tests below: a status of
// 500 and up, or an fs.ErrNotExist among the errors.
func escalateOn5xxOrNotExist(r logcrumbs.Record) bool {
	if s, ok := r.Lookup("http.status"); ok {
		if n, ok := s.(int64); ok && n >= 500 {
			return true
		}
	}
	for _, err := range r.Errors() {
		if errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// TestEscalateIf: with a predicate, info records it picks are events too,
// with every logger; the others stay breadcrumbs.
func TestEscalateIf(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	opts := logcrumbs.Options{Hub: hub, EscalateIf: escalateOn5xxOrNotExist, DedupeWindow: -1}
	ctx := logcrumbs.NewContext(context.Background())
	missing := &fs.PathError{Op: "open", Path: "/etc/app.conf", Err: fs.ErrNotExist}

	sl := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	sl.InfoContext(ctx, "served", slog.Group("http", "status", 200))
	sl.InfoContext(ctx, "served", slog.Group("http", "status", 503))
	sl.With("err", missing).InfoContext(ctx, "config fallback")

	_, zl := zapsentry.WithContext(ctx, zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts})))
	zl.Info("served", zap.Namespace("http"), zap.Int("status", 502))
	zl.Info("served", zap.Namespace("http"), zap.Int("status", 204))
	zl.Info("config fallback", zap.Error(&fs.PathError{Op: "stat", Path: "/var/app", Err: fs.ErrNotExist})) // another value: capture-once would keep the first one's

	zero := zerolog.New(nil).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts})).With().Ctx(ctx).Logger()
	zero.Info().Dict("http", zerolog.Dict().Int("status", 500)).Msg("served")
	zero.Info().Dict("http", zerolog.Dict().Int("status", 404)).Msg("served")

	events := rec.Events()
	if len(events) != 5 {
		for _, ev := range events {
			t.Logf("event %q %v", ev.Message, ev.Contexts["log"])
		}
		t.Fatalf("%d events, want 5 (three 5xx, two missing files)", len(events))
	}
	for _, ev := range events {
		if ev.Level != "info" {
			t.Errorf("%q: level %q, want the record's own", ev.Message, ev.Level)
		}
	}
	if ex := events[1].Exception; len(ex) == 0 || ex[len(ex)-1].Type != "*fs.PathError" {
		t.Errorf("the slog WithAttrs error is not the exception: %+v", ex)
	}
	if n := logcrumbs.FromContext(ctx).Len(); n != 8 {
		t.Errorf("the trail has %d records, want all 8", n)
	}
}

// TestPassThroughLevel: once a request has sent an event, its later records
// at or above the pass-through level also go to Sentry Logs, with their
// attributes; before the event, and below the level, they do not.
func TestPassThroughLevel(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, PassThroughLevel: sentry.LevelInfo},
	}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "before the error")
	logger.ErrorContext(ctx, "failed", "err", errors.New("boom"))
	logger.InfoContext(ctx, "retrying", slog.Group("job", "attempt", 2))
	logger.DebugContext(ctx, "below the level")
	logger.InfoContext(logcrumbs.NewContext(context.Background()), "another request")
	hub.Flush(time.Second)

	var logs []sentry.Log
	for _, ev := range rec.Sent() {
		logs = append(logs, ev.Logs...)
	}
	if len(logs) != 1 {
		for _, l := range logs {
			t.Logf("log %q", l.Body)
		}
		t.Fatalf("%d logs, want 1", len(logs))
	}
	l := logs[0]
	if l.Body != "retrying" || l.Level != sentry.LogLevelInfo || l.Attributes["job.attempt"].AsInterface() != int64(2) {
		t.Errorf("log = %q %q %v", l.Body, l.Level, l.Attributes)
	}
}

// TestScrubOptions: SecretKeys replaces the default list; Scrub sees every
// other attribute, inside groups too; a panicking Scrub filters the value.
func TestScrubOptions(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.SecretKeys = append(logcrumbs.DefaultSecretKeys(), "ssn")
	opts.Scrub = func(key string, v any) any {
		if s, ok := v.(string); ok && strings.Contains(s, "@") {
			return "[email]"
		}
		if key == "explode" {
			panic("scrubber bug")
		}
		return v
	}
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := rec.Context(context.Background())
	logger.InfoContext(ctx, "signup", "SSN", "123-45-6789", slog.Group("contact", "mail", "a@example.com"), "explode", 1)
	logger.ErrorContext(ctx, "signup failed", "password", "pw")
	ev := rec.WaitEvents(1, time.Second)[0]
	d := ev.Breadcrumbs()[0].Data
	if d["SSN"] != "[Filtered]" || d["contact"].(map[string]any)["mail"] != "[email]" || d["explode"] != "[Filtered]" {
		t.Errorf("breadcrumb data = %v", d)
	}
	if ev.LogContext()["password"] != "[Filtered]" {
		t.Errorf("log context = %v", ev.LogContext())
	}

	only := rec.Options()
	only.SecretKeys = []string{"ssn"} // replaces the defaults
	rec.Reset()
	slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: only})).ErrorContext(ctx, "x", "password", "visible")
	if got := rec.WaitEvents(1, time.Second)[0].LogContext()["password"]; got != "visible" {
		t.Errorf("password = %v, want it sent when SecretKeys leaves it out", got)
	}
}
