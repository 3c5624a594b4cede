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
	if n > maxEventBytes && len(event.Exception) > 10 {
		// Keep the innermost and the outermost exceptions of a long chain.
		event.Exception = append(event.Exception[:5:5], event.Exception[len(event.Exception)-5:]...)
	}
	if dropped > 0 {
		if event.Contexts == nil {
			event.Contexts = map[string]sentry.Context{}
		}
		ctx := event.Contexts[RepeatsKey]
		if ctx == nil {
			ctx = sentry.Context{}
			event.Contexts[RepeatsKey] = ctx
		}
		ctx["dropped_breadcrumbs"] = dropped
	}
}
