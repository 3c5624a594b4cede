package policy

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

// TestSummaryAllocs: the summary of a sent event's repeats costs two
// allocations, itself and one copy of the event's message and logger
// (which are pieces of the record's whole text, which it must not keep):
// it cost three, a copy of each. The copies are the event's texts.
func TestSummaryAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	text := strings.Repeat("x", 64) + "charge failed" + "slog"
	ev := &sentry.Event{Message: text[64:77], Logger: text[77:], Level: sentry.LevelError}
	var s *summary
	if a := testing.AllocsPerRun(100, func() { s = summaryOf(ev) }); a != 2 {
		t.Errorf("summaryOf allocates %.1f times, want 2", a)
	}
	if s.message != "charge failed" || s.logger != "slog" {
		t.Errorf("summary's message %q and logger %q, want %q and %q", s.message, s.logger, "charge failed", "slog")
	}
	if unsafe.StringData(s.message) == unsafe.StringData(ev.Message) || unsafe.StringData(s.logger) == unsafe.StringData(ev.Logger) {
		t.Error("the summary keeps the event's texts, not copies")
	}
	for _, ev := range []*sentry.Event{{Message: text[64:77]}, {Logger: text[77:]}, {}} {
		s := summaryOf(ev)
		if s.message != ev.Message || s.logger != ev.Logger {
			t.Errorf("summary's message %q and logger %q, want %q and %q", s.message, s.logger, ev.Message, ev.Logger)
		}
		if (s.message != "" && unsafe.StringData(s.message) == unsafe.StringData(ev.Message)) ||
			(s.logger != "" && unsafe.StringData(s.logger) == unsafe.StringData(ev.Logger)) {
			t.Error("the summary keeps the event's texts, not copies")
		}
	}
}
