package event

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
)

// TestTextURLs: the cases of textURLs beside the loggers' tests, and that a
// text that needs no change costs no allocation.
func TestTextURLs(t *testing.T) {
	s := newScrubber(nil, nil)
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"https://host/path?page=2", "https://host/path?page=2"},
		{"https://host/@someone?q=1", "https://host/@someone?q=1"},   // '@' in the path: no userinfo
		{"https://bob@host/", "https://bob@host/"},                   // a user, no password
		{"https://bob:@host/", "https://bob:@host/"},                 // an empty password
		{"https://bob:p@ss@host/x", "https://bob:[Filtered]@host/x"}, // the last '@' ends the userinfo
		{"postgres://u:pw@db:5432/app?sslmode=off", "postgres://u:[Filtered]@db:5432/app?sslmode=off"},
		{"https://h/?token=&page=1", "https://h/?token=&page=1"}, // nothing to hide
		{"https://h/?api%5Fkey=k&Access-Token=t", "https://h/?api%5Fkey=[Filtered]&Access-Token=[Filtered]"},
		{"https://h/?a=1#frag?token=x", "https://h/?a=1#frag?token=[Filtered]"}, // '?' in the fragment is not a query
		{"a https://x:1@h/ and http://h/?secret=2, done", "a https://x:[Filtered]@h/ and http://h/?secret=[Filtered], done"},
		{`{"u":"https://h/?token=abc"}`, `{"u":"https://h/?token=[Filtered]"}`}, // a quote ends the URL
		{"https://h/?token=[Filtered]", "https://h/?token=[Filtered]"},
		{"://@?", "://@?"},
		{`{"u":"https://h/?a=1\u0026token=t\u0026b=2"}`, `{"u":"https://h/?a=1\u0026token=[Filtered]\u0026b=2"}`}, // '&' as encoding/json writes it
		{`https://h/?a=\u00&token=t`, `https://h/?a=\u00&token=[Filtered]`},
	} {
		got, changed := s.textURLs(c.in)
		if got != c.want || changed != (c.in != c.want) {
			t.Errorf("textURLs(%q) = %q, %v; want %q", c.in, got, changed, c.want)
		}
	}
	for _, in := range []string{"plain text", "https://host/path?page=2&X-Amz-Date=1&" + string(make([]byte, 100)) + "=1"} {
		if n := testing.AllocsPerRun(100, func() { s.textURLs(in) }); n != 0 {
			t.Errorf("textURLs(%.30q) allocates %v times, want 0", in, n)
		}
	}
}

// TestSentryQueryTermsAsSentryGo: a query parameter named after each of
// sentryQueryTerms is one sentry-go filters from a request's query string,
// and one secretParam filters with no secret keys at all; a parameter
// named after none of them is kept by both.
func TestSentryQueryTermsAsSentryGo(t *testing.T) {
	none := newSecretKeys(nil)
	for _, term := range append(slices.Clone(sentryQueryTerms), "page", "q", "state") {
		secret := slices.Contains(sentryQueryTerms, term)
		if got := (sentry.DataCollection{}).FilterQueryString(term + "=v"); (got == term+"=[Filtered]") != secret {
			t.Errorf("sentry-go filters %q to %q: the term list is not sentry-go's", term+"=v", got)
		}
		if got := none.secretParam(term); got != secret {
			t.Errorf("secretParam(%q) = %v, want %v", term, got, secret)
		}
	}
	// sentry-go matches the terms in the name lowercased, as written: not
	// across a separator ("status_id" is no "sid"), and inside a word
	// ("sidebar", "monkey") as it does.
	for _, name := range []string{
		"status_id", "process_id", "address_id", "class-id", "pass_wd", "x.sso", "mon_key",
		"sidebar", "monkey", "keyword", "session_id", "Auth", "X-CSRF-Token",
		"status_id" + strings.Repeat("x", 70), "sidebar" + strings.Repeat("x", 70),
	} {
		got := (sentry.DataCollection{}).FilterQueryString(url.Values{name: {"v"}}.Encode())
		secret := strings.HasSuffix(got, "=[Filtered]")
		if p := none.secretParam(url.QueryEscape(name)); p != secret {
			t.Errorf("secretParam(%q) = %v; sentry-go filters it to %q", name, p, got)
		}
	}
}
