package zerologsentry_test

import (
	"errors"
	"io"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// alerting is a hook of the program's that logs every error record again,
// as an error, to another logger (the alerts' one, which holds the
// Writer): zerolog calls it, so it is a callback, and the call site of
// what it logs is where the program logged, not the hook.
type alerting struct{ to zerolog.Logger }

func (h alerting) Run(e *zerolog.Event, l zerolog.Level, msg string) {
	if l >= zerolog.ErrorLevel {
		h.to.Error().Err(errors.New(msg)).Msg("alert")
	}
}

// TestHookThatLogsToAnotherLogger: errors logged at two places through a
// logger whose hook of the program's logs them to a logger holding the
// Writer are two events, each with its stack starting at its log call
// (before the hook was told apart as a callback, both had the hook's call
// for their site: one event).
func TestHookThatLogsToAnotherLogger(t *testing.T) {
	rec := logcrumbstest.New(t)
	alerts := zerolog.New(zerologsentry.NewWriter(nil, zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}))
	log := zerolog.New(io.Discard).Hook(alerting{alerts})
	log.Error().Msg("save failed")
	log.Error().Msg("fetch failed")
	if n := len(rec.Events()); n != 2 {
		t.Errorf("two errors logged at two places: %d events %v", n, messagesOf(rec))
	}
	conformance.StacksStartAt(t, rec, "TestHookThatLogsToAnotherLogger")
}
