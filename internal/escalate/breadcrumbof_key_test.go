package escalate

import (
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// TestBreadcrumbOfKeyOfTheEventID: a record with an attribute of its own
// named as the event ID's entry gives the breadcrumb the copy gives,
// whether it is within the breadcrumb limits or not: in a Data map (and
// in Sentry Logs' attributes) the last entry of a key wins, so the event
// ID noted last would replace the record's own value, which the copy,
// noting it first, keeps.
func TestBreadcrumbOfKeyOfTheEventID(t *testing.T) {
	lim := buffer.DefaultBreadcrumbLimits
	build := func() *buffer.Record {
		rec := buffer.Get(time.Unix(1700000000, 0), buffer.LevelError, buffer.DefaultEventLimits)
		rec.SetMessage("failed")
		rec.AddText(buffer.KindString, eventIDKey, "the user's")
		rec.AddScalar(buffer.KindInt64, "n", 1)
		return rec
	}
	const id = "0123456789abcdef0123456789abcdef"
	want := copyBreadcrumb(build(), lim, id).Breadcrumb().Data
	e := &Escalator{breadcrumbLimits: lim}
	got := e.breadcrumbOf(build(), id).Breadcrumb().Data
	if got[eventIDKey] != want[eventIDKey] || len(got) != len(want) {
		t.Fatalf("breadcrumb data %v, the copy's %v", got, want)
	}
}
