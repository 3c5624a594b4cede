package event

import (
	"encoding/json"
	"slices"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// maxEventBytes keeps events under Sentry's 1 MB limit on an event, with
// room for what sentry-go adds (contexts, SDK info, the scope's own data).
const maxEventBytes = 800 << 10

// worstJSONBytes bounds the JSON size of a record's breadcrumb: every byte
// of text might become a six-byte escape (control characters), and every
// attribute adds what is not in its text: a value stored as a number may
// be written as up to 32 bytes (a time, quoted, to the nanosecond; a
// duration; a float), plus the key's quotes, colon and comma, or a
// group's braces. Then the fields of a breadcrumb.
func worstJSONBytes(r *buffer.Record) int { return 6*r.Bytes() + 48*r.Len() + 256 }

// worstStackBytes bounds the JSON size of a stack trace's frames.
func worstStackBytes(st *sentry.Stacktrace) int {
	if st == nil {
		return 0
	}
	return 512 * len(st.Frames)
}

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
		ctx := event.Contexts[policy.RepeatsKey]
		if ctx == nil {
			ctx = sentry.Context{}
			event.Contexts[policy.RepeatsKey] = ctx
		}
		ctx[key] = n
	}
	note("dropped_breadcrumbs", dropped)
	note("dropped_exceptions", droppedExceptions)
}

// keepEnds keeps the n innermost and n outermost exceptions of a long chain
// (the list is innermost first) and mends the links between them: an
// exception whose parent was dropped is linked to its nearest kept
// ancestor, and the IDs are renumbered from 0, the outermost, in their old
// order. A list whose exceptions are not all numbered (other code's) is
// linked as one chain.
func keepEnds(event *sentry.Event, n int) {
	all := event.Exception
	kept := append(all[:n:n], all[len(all)-n:]...)
	numbered := true
	parentOf := make(map[int]*int, len(all))
	for _, ex := range all {
		if ex.Mechanism == nil {
			numbered = false
			break
		}
		parentOf[ex.Mechanism.ExceptionID] = ex.Mechanism.ParentID
	}
	if !numbered {
		for i := range kept {
			id := len(kept) - 1 - i
			m := sentry.Mechanism{Type: sentry.MechanismTypeChained}
			if id == 0 {
				m.Type = sentry.MechanismTypeGeneric
			}
			if kept[i].Mechanism != nil {
				m = *kept[i].Mechanism
			}
			m.ExceptionID, m.ParentID, m.IsExceptionGroup, m.Source = id, nil, false, ""
			if id > 0 {
				parent := id - 1
				m.ParentID = &parent
			}
			kept[i].Mechanism = &m
		}
		event.Exception = kept
		return
	}
	olds := make([]int, len(kept))
	for i, ex := range kept {
		olds[i] = ex.Mechanism.ExceptionID
	}
	slices.Sort(olds)
	newID := make(map[int]int, len(olds))
	for i, old := range olds {
		newID[old] = i
	}
	for i := range kept {
		m := *kept[i].Mechanism
		direct := m.ParentID
		p := direct
		for steps := 0; p != nil && steps < len(all); steps++ { // bounded: a tree has no cycles, but be sure
			if _, ok := newID[*p]; ok {
				break
			}
			p = parentOf[*p]
		}
		if _, ok := newID[deref(p)]; p != nil && !ok {
			p = nil // a cycle: no kept ancestor
		}
		m.ExceptionID = newID[m.ExceptionID]
		m.ParentID = nil
		if p != nil {
			id := newID[*p]
			m.ParentID = &id
		}
		if p != direct { // no longer its parent's own cause: the source is moot
			m.Source = ""
		}
		kept[i].Mechanism = &m
	}
	event.Exception = kept
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
