package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// EscalateIfReadsGroups: Options.EscalateIf's r.Lookup follows a dotted
// path into a group, as TagKeys and FingerprintKey do, whatever form the
// logger gives the group (slog.Group, zap.Dict, zerolog's Dict, nested
// logrus.Fields, a map or other JSON value under logr, a map logged as any
// value), in the record's own fields and in a With field: a record whose "http.status" is 503 is
// sent as an event, one whose status is 200 is not, and the event's tag
// reads what Lookup read.
func testEscalateIfReadsGroups(t *testing.T, d Driver) {
	var looked []string
	logger, rec := newLogger(t, d, func(o *logcrumbs.Options) {
		o.TagKeys = []string{"http.status"}
		o.EscalateIf = func(r logcrumbs.Record) bool {
			v, ok := r.Lookup("http.status")
			looked = append(looked, fmt.Sprintf("%s: %v %s", r.Message(), ok, js(v)))
			return ok && js(v) == "503"
		}
	})
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "own ok", Field{"http", Group{{"status", 200}}})
	log.Log(Info, "own 503", Field{"http", Group{{"status", 503}, {"method", "GET"}}})
	log.With(Field{"http", Group{{"status", 503}}}).Log(Info, "with 503")
	// A map, logged with the logger's generic field (slog.Any, zap.Any,
	// zerolog's Interface), as a logrus field, as a logr value.
	log.Log(Info, "map 503", Field{"http", map[string]any{"status": 503}})
	evs := rec.Events()
	if got := strings.Join(messages(evs), ","); got != "own 503,with 503,map 503" {
		t.Fatalf("events %q, want own 503, with 503 and map 503; EscalateIf looked up %q", got, looked)
	}
	for _, ev := range evs {
		if ev.Tags["http.status"] != "503" {
			t.Errorf("%s: tags %v, want http.status 503", ev.Message, ev.Tags)
		}
	}
}
