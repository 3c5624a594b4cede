package render

import (
	"fmt"

	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// LogValuePanic is what logcrumbs keeps of a slog LogValuer whose LogValue
// method panicked, or kept returning LogValuers: Note says so, as text
// rather than as an error that would become the event's exception. The
// slog handlers resolve a record's LogValuers once, for the program's own
// handler and for logcrumbs; where one panicked, they give the program's
// handler Orig, the value as logged (a log/slog or x/exp/slog Value), so
// that it writes the panic as slog does, stack and all.
type LogValuePanic struct {
	Note string
	Orig any
}

// LogValuePanicked returns what is kept of orig, a LogValuer value, when
// the LogValue method of lv (orig or a LogValuer it returned) panicked
// with p.
func LogValuePanicked(orig, lv, p any) *LogValuePanic {
	stats.UserPanics.Add(1)
	return &LogValuePanic{Note: fmt.Sprintf("!PANIC in %T.LogValue: %v", lv, p), Orig: orig}
}

// LogValueLoop returns what is kept of orig, a LogValuer value whose
// LogValue methods returned LogValuers 100 times (slog's own limit), last
// the last of them.
func LogValueLoop(orig, last any) *LogValuePanic {
	return &LogValuePanic{Note: fmt.Sprintf("!LOOP: LogValue called 100 times on %T", last), Orig: orig}
}
