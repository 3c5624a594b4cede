package zerologsentry_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestSkippedRepeatBreadcrumb: an error record that capture-once skips, on
// a trail that skipped one already, keeps its fields encoded in its
// breadcrumb (its errors found by a scan that copies nothing), which reads
// as the breadcrumbs of the event it repeats and of the first repeat,
// whose fields were parsed at once: the same level, message and data, the
// same event named. Fields of every kind are logged, and a member that
// would hide the error if the scan read it wrong.
func TestSkippedRepeatBreadcrumb(t *testing.T) {
	for _, writer := range []bool{false, true} {
		t.Run(map[bool]string{false: "hook", true: "writer"}[writer], func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			errDeclined, errStock := errors.New("card declined"), errors.New("out of stock")
			fail := func(err error) {
				log.Error().Err(err).Str("path", "/cart\t\"x\"").Int("status", 402).Bool("retry", false).
					Dict("user", zerolog.Dict().Str("id", "u1").Ints("roles", []int{1, 2})).
					Str("note", `{"error":"not this"}`).Msg("checkout failed")
			}
			fail(errDeclined)
			fail(errDeclined) // skipped: capture-once
			fail(errDeclined) // skipped, its fields unparsed
			fail(errStock)
			events := rec.Events()
			if len(events) != 2 {
				t.Fatalf("%d events, want 2", len(events))
			}
			if ex := events[1].Exceptions(); len(ex) != 1 || ex[0].Value != "out of stock" {
				t.Fatalf("second event's exceptions: %+v", ex)
			}
			crumbs := events[1].Breadcrumbs()
			if len(crumbs) != 3 {
				t.Fatalf("%d breadcrumbs, want 3", len(crumbs))
			}
			last := crumbs[2]
			if last.Data["sentry.event_id"] != string(events[0].EventID) || last.Data["status"] != int64(402) {
				t.Errorf("the last repeat's breadcrumb: %v, want its fields and the first event's id", last.Data)
			}
			for i, c := range crumbs[:2] {
				if !reflect.DeepEqual(c, last) {
					t.Errorf("the last repeat's breadcrumb:\n%+v\nbreadcrumb %d, parsed at once:\n%+v", last, i, c)
				}
			}
		})
	}
}
