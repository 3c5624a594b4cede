package event

import (
	"slices"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// MergeScope applies the hub's scope to an event, then orders the event's
// breadcrumbs (the trail's and the scope's) by time and keeps the newest
// MaxBreadcrumbs of them. sentry-go's own scope would append its breadcrumbs
// after the trail's, out of order and past the cap. When the record's
// context carries a span, the event joins that span's trace, which the
// scope would otherwise replace with its own.
type MergeScope struct {
	Scope *sentry.Scope
	Span  *sentry.Span
	Conf  policy.ClientConf
}

// ApplyToEvent is sentry.EventModifier's.
func (m MergeScope) ApplyToEvent(event *sentry.Event, hint *sentry.EventHint, client *sentry.Client) *sentry.Event {
	if m.Scope != nil {
		if event = m.Scope.ApplyToEvent(event, hint, client); event == nil {
			return nil
		}
	}
	if m.Span != nil {
		if event.Contexts == nil {
			event.Contexts = map[string]sentry.Context{}
		}
		// The IDs and op are set when a span starts and never change, so
		// they are read without the span's lock.
		event.Contexts["trace"] = sentry.TraceContext{
			TraceID:      m.Span.TraceID,
			SpanID:       m.Span.SpanID,
			ParentSpanID: m.Span.ParentSpanID,
			Op:           m.Span.Op,
		}.Map()
	}
	sortAndCap(event, m.Conf.MaxBreadcrumbs)
	return event
}

// sortAndCap orders the event's breadcrumbs by time and keeps the newest
// max of them.
func sortAndCap(event *sentry.Event, max int) {
	// A breadcrumb without a time (a record logged with a zero time) sorts
	// with the one before it, so that it stays where it was logged.
	type keyed struct {
		at time.Time
		b  *sentry.Breadcrumb
	}
	if !inOrder(event.Breadcrumbs) { // the trail alone always is
		ks := make([]keyed, len(event.Breadcrumbs))
		var last time.Time
		for i, b := range event.Breadcrumbs {
			if !b.Timestamp.IsZero() {
				last = b.Timestamp
			}
			ks[i] = keyed{last, b}
		}
		slices.SortStableFunc(ks, func(x, y keyed) int { return x.at.Compare(y.at) })
		for i := range ks {
			event.Breadcrumbs[i] = ks[i].b
		}
	}
	if len(event.Breadcrumbs) > max {
		event.Breadcrumbs = event.Breadcrumbs[len(event.Breadcrumbs)-max:]
	}
}

// inOrder reports whether bs are in time order, a zero time counting as the
// time before it.
func inOrder(bs []*sentry.Breadcrumb) bool {
	var last time.Time
	for _, b := range bs {
		if b.Timestamp.IsZero() {
			continue
		}
		if b.Timestamp.Before(last) {
			return false
		}
		last = b.Timestamp
	}
	return true
}
