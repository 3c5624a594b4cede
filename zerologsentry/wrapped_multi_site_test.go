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

// TestWriterBehindAProgramsWriterAndAMultiLevelWriter: a writer of the
// program's in front of a zerolog.MultiLevelWriter holding the Writer (the
// console and Sentry, swapped together at a reload): the program's writer
// calls a logger's function (the MultiLevelWriter's WriteLevel), but a
// logger called it: it is a callback, not the log call, whatever it
// calls. Two errors logged at two places are two events, each with its
// stack starting at its log call.
func TestWriterBehindAProgramsWriterAndAMultiLevelWriter(t *testing.T) {
	rec := logcrumbstest.New(t)
	sw := zerologsentry.NewWriter(nil, zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})
	lw := zerolog.MultiLevelWriter(io.Discard, sw)
	var s swappable
	s.w.Store(&lw)
	log := zerolog.New(&s)
	log.Error().Err(errors.New("disk full")).Msg("save failed")
	log.Error().Err(errors.New("connection refused")).Msg("fetch failed")
	if n := len(rec.Events()); n != 2 {
		t.Errorf("two errors logged at two places: %d events %v", n, messagesOf(rec))
	}
	conformance.StacksStartAt(t, rec, "TestWriterBehindAProgramsWriterAndAMultiLevelWriter")
}
