package escalate

import (
	"encoding/json"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// maxEventBytes keeps events under Sentry's 1 MB limit on an event, with
// room for what sentry-go adds (contexts, SDK info, the scope's own data).
const maxEventBytes = 800 << 10

// worstJSONBytes bounds the JSON size of a record's breadcrumb: every byte
// of text might become a six-byte escape (control characters), plus the
// keys' quotes and the fields of a breadcrumb.
func worstJSONBytes(r *buffer.Record) int { return 6*r.Bytes() + 16*r.Len() + 256 }

// fitSize drops the oldest breadcrumbs, then the "log" context, until the
// event encodes within maxEventBytes, and says so in the event. worst is an
// upper bound of its size: when it is under the limit, nothing is encoded.
func fitSize(event *sentry.Event, worst int) {
	if worst <= maxEventBytes {
		return
	}
	size := func() int {
		b, err := json.Marshal(event)
		if err != nil {
			return 0
		}
		return len(b)
	}
	n := size()
	dropped := 0
	for n > maxEventBytes && len(event.Breadcrumbs) > 0 {
		cut := max(1, len(event.Breadcrumbs)/4)
		event.Breadcrumbs = event.Breadcrumbs[cut:]
		dropped += cut
		n = size()
	}
	if n > maxEventBytes && event.Contexts[LogContext] != nil {
		event.Contexts[LogContext] = sentry.Context{"logcrumbs.truncated": "the record's attributes did not fit Sentry's event size"}
		n = size()
	}
	droppedExceptions := 0
	if n > maxEventBytes && len(event.Exception) > 10 {
		droppedExceptions = len(event.Exception) - 10
		keepEnds(event, 5)
	}
	note := func(key string, n int) {
		if n == 0 {
			return
		}
		if event.Contexts == nil {
			event.Contexts = map[string]sentry.Context{}
		}
		ctx := event.Contexts[RepeatsKey]
		if ctx == nil {
			ctx = sentry.Context{}
			event.Contexts[RepeatsKey] = ctx
		}
		ctx[key] = n
	}
	note("dropped_breadcrumbs", dropped)
	note("dropped_exceptions", droppedExceptions)
}

// keepEnds keeps the n innermost and n outermost exceptions of a long chain
// and links what is left as one chain, outermost first, so that no
// exception names a parent that was dropped. (The exceptions are listed
// innermost first; sentry-go numbers them from the outermost, 0.)
func keepEnds(event *sentry.Event, n int) {
	ex := append(event.Exception[:n:n], event.Exception[len(event.Exception)-n:]...)
	for i := range ex {
		id := len(ex) - 1 - i
		m := sentry.Mechanism{Type: sentry.MechanismTypeChained}
		if ex[i].Mechanism != nil {
			m = *ex[i].Mechanism
		}
		m.ExceptionID = id
		m.ParentID = nil
		m.IsExceptionGroup = false
		if id > 0 {
			parent := id - 1
			m.ParentID = &parent
		}
		ex[i].Mechanism = &m
	}
	event.Exception = ex
}
