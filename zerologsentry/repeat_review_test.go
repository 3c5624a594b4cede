package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestSkippedRepeatBreadcrumbPastMaxAttrs: a skipped repeat whose fields
// stay deferred in its breadcrumb reads as the breadcrumb of a repeat
// parsed at once, also when the breadcrumb's MaxAttrs binds and an empty
// object (a group that parses to nothing) comes after the limit: parsed
// within the event's limits, the empty group leaves no trace, and the
// copy counts no attribute for it as dropped.
func TestSkippedRepeatBreadcrumbPastMaxAttrs(t *testing.T) {
	for _, writer := range []bool{false, true} {
		t.Run(map[bool]string{false: "hook", true: "writer"}[writer], func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			errDeclined, errStock := errors.New("card declined"), errors.New("out of stock")
			fail := func(err error) {
				e := log.Error().Err(err)
				for i := range 70 {
					e = e.Int(fmt.Sprintf("k%d", i), i)
				}
				e.Dict("empty", zerolog.Dict()).Dict("nested", zerolog.Dict().Dict("inner", zerolog.Dict())).
					Str("after", "x").Msg("checkout failed")
			}
			fail(errDeclined)
			fail(errDeclined) // skipped: capture-once, parsed at once
			fail(errDeclined) // skipped, its fields kept deferred
			fail(errStock)
			events := rec.Events()
			if len(events) != 2 {
				t.Fatalf("%d events, want 2", len(events))
			}
			crumbs := events[1].Breadcrumbs()
			if len(crumbs) != 3 {
				t.Fatalf("%d breadcrumbs, want 3", len(crumbs))
			}
			if !reflect.DeepEqual(crumbs[2].Data, crumbs[1].Data) {
				t.Errorf("the deferred repeat's breadcrumb:\n%v\nthe one parsed at once:\n%v", crumbs[2].Data, crumbs[1].Data)
			}
		})
	}
}
