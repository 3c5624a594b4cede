package escalate

import (
	"sort"

	"github.com/getsentry/sentry-go"
)

// mergeScope applies the hub's scope to an event, then orders the event's
// breadcrumbs (the trail's and the scope's) by time and keeps the newest
// MaxBreadcrumbs of them. sentry-go's own scope would append its breadcrumbs
// after the trail's, out of order and past the cap.
type mergeScope struct{ scope *sentry.Scope }

func (m mergeScope) ApplyToEvent(event *sentry.Event, hint *sentry.EventHint, client *sentry.Client) *sentry.Event {
	if m.scope != nil {
		if event = m.scope.ApplyToEvent(event, hint, client); event == nil {
			return nil
		}
	}
	sort.SliceStable(event.Breadcrumbs, func(i, j int) bool {
		return event.Breadcrumbs[i].Timestamp.Before(event.Breadcrumbs[j].Timestamp)
	})
	if max := maxBreadcrumbs(client); len(event.Breadcrumbs) > max {
		event.Breadcrumbs = event.Breadcrumbs[len(event.Breadcrumbs)-max:]
	}
	return event
}

// maxBreadcrumbs reads the client's MaxBreadcrumbs as sentry-go does: zero
// means 100, negative means none.
func maxBreadcrumbs(client *sentry.Client) int {
	max := client.Options().MaxBreadcrumbs
	switch {
	case max < 0:
		return 0
	case max == 0:
		return 100
	}
	return max
}
