package zerologsentry_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestWriterPanicLongerThanEventLimitIsOneEvent: log.Panic() through the
// Writer inside Middleware is one event even when the message is longer
// than the event limits keep (and needs unescaping): the panic noted for
// the unit is zerolog's whole message, the value it panics with, not the
// record's cut copy.
func TestWriterPanicLongerThanEventLimitIsOneEvent(t *testing.T) {
	for _, msg := range []string{
		strings.Repeat("invariant broken ", 8),         // over MaxValueBytes below
		"say \"hi\"\n" + strings.Repeat("é", 60) + "!", // escaped, over it too
	} {
		rec := logcrumbstest.New(t)
		opts := rec.Options()
		opts.EventLimits = logcrumbs.Limits{MaxValueBytes: 64}
		w := zerologsentry.NewWriter(new(syncBuffer), zerologsentry.Options{Options: opts})
		base := zerolog.New(w)
		h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})(
			http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				_, log := w.WithContext(r.Context(), base)
				log.Panic().Msg(msg)
			}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
		if evs := rec.Events(); len(evs) != 1 {
			for _, e := range evs {
				t.Logf("event: %q level %s", e.Message, e.Level)
			}
			t.Errorf("%d events for one log.Panic of %d bytes through the Writer, want 1", len(evs), len(msg))
		}
	}
}
