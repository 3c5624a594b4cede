package zerologsentry_test

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// swappable is a writer of the program's in front of the Writer, as
// services keep one to change their log output at run time (a reload of
// the log configuration): every record passes through its WriteLevel.
type swappable struct {
	w atomic.Pointer[zerolog.LevelWriter]
}

func (s *swappable) Write(p []byte) (int, error) { return (*s.w.Load()).Write(p) }
func (s *swappable) WriteLevel(l zerolog.Level, p []byte) (int, error) {
	return (*s.w.Load()).WriteLevel(l, p)
}

// TestWriterBehindAProgramsWriter: a writer of the program's between
// zerolog and the Writer is not the call site of every record: two errors
// logged at two places are two events (deduplication keys them by their
// call sites), and each event's stack starts at its log call.
func TestWriterBehindAProgramsWriter(t *testing.T) {
	rec := logcrumbstest.New(t)
	var lw zerolog.LevelWriter = zerologsentry.NewWriter(nil, zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})
	var s swappable
	s.w.Store(&lw)
	log := zerolog.New(&s)
	log.Error().Err(errors.New("disk full")).Msg("save failed")
	log.Error().Err(errors.New("connection refused")).Msg("fetch failed")
	log.Error().Msg("no stock left")
	log.Error().Msg("no carrier left")
	evs := rec.Events()
	if len(evs) != 4 {
		t.Fatalf("four errors logged at four places: %d events %v", len(evs), messagesOf(rec))
	}
	for _, ev := range evs {
		var st *sentry.Stacktrace
		if len(ev.Event.Exception) > 0 {
			st = ev.Event.Exception[len(ev.Event.Exception)-1].Stacktrace
		} else if len(ev.Event.Threads) > 0 {
			st = ev.Event.Threads[0].Stacktrace
		}
		if st == nil || len(st.Frames) == 0 {
			t.Errorf("event %q: no stack", ev.Message)
			continue
		}
		if top := st.Frames[len(st.Frames)-1]; top.Function != "TestWriterBehindAProgramsWriter" {
			t.Errorf("event %q: stack starts at %s.%s:%d", ev.Message, top.Module, top.Function, top.Lineno)
		}
	}
}
