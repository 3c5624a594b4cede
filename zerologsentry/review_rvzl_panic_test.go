package zerologsentry_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestPanicWithInvalidUTF8IsOneEvent: log.Panic() inside Middleware is one
// event through the Hook and through the Writer alike, also when its
// message holds invalid UTF-8 (bytes a program read from outside), which
// zerolog writes as \ufffd, one for each invalid byte: the panic noted for
// the unit must be the value zerolog panics with, so that Middleware, which
// recovers it, knows it was sent. So is log.Panic() with no message and a
// last field named "message", the record's message with either binding
// (zerolog writes it as it writes a message) while zerolog panics with "".
func TestPanicWithInvalidUTF8IsOneEvent(t *testing.T) {
	for _, msg := range []string{
		"bad input \xff\xfe from peer",
		"cut rune \xe2\x82 here",
		"say \"hi\"\n\xc3\x28 twice",
		"", // Str("message", "boom").Send()
	} {
		for _, writer := range []bool{false, true} {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			zopts := zerologsentry.Options{Options: opts}
			var base zerolog.Logger
			var w *zerologsentry.Writer
			if writer {
				w = zerologsentry.NewWriter(new(syncBuffer), zopts)
				base = zerolog.New(w)
			} else {
				base = zerolog.New(new(syncBuffer)).Hook(zerologsentry.NewHook(zopts))
			}
			h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: opts, Recover: true})(
				http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
					var log zerolog.Logger
					if writer {
						_, log = w.WithContext(r.Context(), base)
					} else {
						_, log = zerologsentry.WithContext(r.Context(), base)
					}
					if msg == "" {
						log.Panic().Str(zerolog.MessageFieldName, "boom").Send()
					}
					log.Panic().Msg(msg)
				}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
			if evs := rec.Events(); len(evs) != 1 {
				for _, e := range evs {
					t.Logf("event: %q level %s", e.Message, e.Level)
				}
				t.Errorf("writer %v: %d events for one log.Panic of %q, want 1", writer, len(evs), msg)
			}
		}
	}
}
