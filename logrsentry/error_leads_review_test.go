package logrsentry_test

import (
	"context"
	"errors"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// TestErrorOfErrorLeads: the err given to Error is the event's error even
// when the logger carries another error from WithValues: it leads the
// exception chain and is the hint's OriginalException that BeforeSend
// sees, as logrus' WithError error leads the entry's other error fields.
func TestErrorOfErrorLeads(t *testing.T) {
	var original error
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			original = hint.OriginalException
			return ev
		}
	})
	base := logrsentry.Wrap(logr.Discard(), logrsentry.Options{Options: rec.Options()})
	_, log := logrsentry.WithContext(rec.Context(context.Background()), base)
	earlier := errors.New("earlier")
	log = log.WithValues("lastErr", earlier)
	for _, text := range []string{"quota exceeded", "timeout"} { // the second: the WithValues errors are as they were
		rec.Reset()
		err := errors.New(text)
		log.Error(err, "reconcile failed")
		ev := rec.OnlyEvent()
		if original != err {
			t.Errorf("BeforeSend's OriginalException is %v, want Error's err %v", original, err)
		}
		if ex := ev.Exceptions(); len(ex) != 3 || ex[1].Value != text || ex[2].Value != "earlier" {
			t.Errorf("exceptions %+v, want the join of Error's err, then the WithValues error", ex)
		}
	}
}
