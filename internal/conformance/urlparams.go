package conformance

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
)

// sentryGoParams are query parameter names, of secrets and not, that the
// URLs of a record carry in URLParamsFilteredAsSentryGo: Google's API key
// (?key=), a session id, CSRF, SSO and SAML tokens, and innocent ones,
// among them "status_id" and "process_id", which hold a term ("sid") only
// across a separator, where sentry-go does not look.
var sentryGoParams = []string{
	"key", "sid", "csrf", "_xsrf", "sso_ticket", "SAMLResponse", "identity", "credentials",
	"page", "q", "sort", "state", "status_id", "process_id",
}

// URLParamsFilteredAsSentryGo: a URL logged as an attribute loses the
// values of the query parameters that sentry-go filters from a request's
// query string (DataCollection.FilterQueryString, the same URL's in a
// Middleware event's request), whatever SecretKeys say, in the event's log
// context, its breadcrumbs and Sentry Logs; the others are sent as logged.
func testURLParamsFilteredAsSentryGo(t *testing.T, d Driver) {
	q := url.Values{}
	for i, p := range sentryGoParams {
		q.Set(p, "v"+string(rune('a'+i))+"x9")
	}
	raw := "https://api.example.com/v1/find?" + q.Encode()
	want := map[string]bool{} // filtered, as sentry-go filters it
	filtered, _ := url.ParseQuery(sentry.DataCollection{}.FilterQueryString(q.Encode()))
	for _, p := range sentryGoParams {
		want[p] = filtered.Get(p) == "[Filtered]"
	}
	if !want["key"] || want["page"] {
		t.Fatalf("sentry-go filters %v: the case expects it to filter key and not page", want)
	}
	logger, rec := newLogsLogger(t, d, true, Info, nil)
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "calling", Field{"target", raw})
	log.Log(Error, "call failed", Field{"target", raw}, Field{"err", errors.New("failed " + t.Name())})
	ev := one(t, rec)
	logs := rec.Logs()
	if len(logs) != 2 || len(ev.Breadcrumbs()) != 1 {
		t.Fatalf("%d logs, %d breadcrumbs: want 2 and 1", len(logs), len(ev.Breadcrumbs()))
	}
	sent := map[string]any{
		"log context": ev.LogContext()["target"], "breadcrumb": ev.Breadcrumbs()[0].Data["target"],
		"info log": logs[0].Attributes["target"].AsInterface(), "error log": logs[1].Attributes["target"].AsInterface(),
	}
	for where, v := range sent {
		s, _ := v.(string)
		u, err := url.Parse(s)
		if err != nil {
			t.Errorf("%s: %q is no URL: %v", where, s, err)
			continue
		}
		got, _ := url.ParseQuery(strings.ReplaceAll(u.RawQuery, "[Filtered]", "%5BFiltered%5D"))
		var wrong []string
		for i, p := range sentryGoParams {
			isFiltered := got.Get(p) == "[Filtered]"
			if isFiltered != want[p] || (!isFiltered && got.Get(p) != "v"+string(rune('a'+i))+"x9") {
				wrong = append(wrong, p+"="+got.Get(p))
			}
		}
		if wrong != nil {
			t.Errorf("%s: %s, want filtered as sentry-go filters (%v): %s", where, strings.Join(wrong, " "), want, s)
		}
	}
}
