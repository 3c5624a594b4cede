package event

import (
	"net/url"
	"strings"
)

// URLs in text values.
//
// A URL carries secrets where no key names them: the password of its
// userinfo ("https://bob:hunter2@host/") and the values of its query and
// fragment parameters ("?token=...", "#access_token=..." in OAuth
// redirects). The scrubber rewrites, in every text value it sees, each
// password to Filtered and each value of a parameter whose name is a secret
// key to Filtered, and leaves the rest of the text as it was written
// ("https://bob:[Filtered]@host/path?token=[Filtered]&page=2"), as Sentry's
// own scrubbing of query strings writes it (sentry-go's
// DataCollection.FilterURL also filters the values of secret-named query
// parameters to "[Filtered]"; it hides a password as Go's URL.Redacted does,
// with "xxxxx", where logcrumbs writes "[Filtered]" everywhere).
//
// This runs when an event, its breadcrumbs or a Sentry log is built, never
// when a breadcrumb is kept. A text without "://" followed by '@', '?' or
// '#' is returned as it is after one scan, and a text that needs no change
// is not copied.

// span is a range of a text to replace with Filtered.
type span struct{ from, to int }

// textURLs returns text with the secrets of the URLs in it filtered, and
// whether it changed. A URL runs from its "://" to the first space, quote or
// angle bracket (see urlEnd); it may be the whole value or a part of a
// longer text.
//
// A text without ':' has no URL: that test, inlined where textURLs is
// called, costs a fraction of the search for "://" (run on every text
// value of every breadcrumb an event carries).
func (s *scrubber) textURLs(text string) (string, bool) {
	if strings.IndexByte(text, ':') < 0 {
		return text, false
	}
	return s.urls(text)
}

// urls is textURLs for a text with a ':'.
func (s *scrubber) urls(text string) (string, bool) {
	i := strings.Index(text, "://")
	if i < 0 || !strings.ContainsAny(text[i:], "@?#") {
		return text, false
	}
	var cut []span
	for i >= 0 {
		start := i + len("://")
		end := start + urlEnd(text[start:])
		cut = s.urlSecrets(text, start, end, cut)
		next := strings.Index(text[end:], "://")
		if next < 0 {
			break
		}
		i = end + next
	}
	return replaceSpans(text, cut)
}

// urlEnd returns the length of the URL that starts u, after its "://": up
// to a space, a quote or an angle bracket, without the punctuation that
// ends a sentence or closes a parenthesis around it.
func urlEnd(u string) int {
	n := len(u)
	for i := 0; i < len(u); i++ {
		switch u[i] {
		case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>':
			n = i
		}
		if n == i {
			break
		}
	}
	for n > 0 && strings.IndexByte(".,;:!)", u[n-1]) >= 0 {
		n--
	}
	return n
}

// urlSecrets appends to cut the secrets of the URL text[start:end] (what
// follows its "://"): the password of its userinfo, and the values of its
// secret-named query and fragment parameters.
func (s *scrubber) urlSecrets(text string, start, end int, cut []span) []span {
	u := text[start:end]
	auth := strings.IndexAny(u, "/?#")
	if auth < 0 {
		auth = len(u)
	}
	// The last '@' ends the userinfo, as url.Parse reads it; its first ':'
	// starts the password.
	if at := strings.LastIndexByte(u[:auth], '@'); at >= 0 {
		if colon := strings.IndexByte(u[:at], ':'); colon >= 0 && colon+1 < at && u[colon+1:at] != Filtered {
			cut = append(cut, span{start + colon + 1, start + at})
		}
	}
	rest := u[auth:]
	hash := strings.IndexByte(rest, '#')
	if hash < 0 {
		hash = len(rest)
	}
	if q := strings.IndexByte(rest[:hash], '?'); q >= 0 {
		cut = s.paramSecrets(text, start+auth+q+1, start+auth+hash, cut)
	}
	if hash < len(rest) {
		cut = s.paramSecrets(text, start+auth+hash+1, end, cut)
	}
	return cut
}

// paramSecrets appends to cut the values of the secret-named parameters of
// text[start:end], a query ("a=1&token=x"). Parameters are separated by '&'
// or by jsonAmp, as encoding/json writes '&' in a text of JSON that holds
// the URL.
func (s *scrubber) paramSecrets(text string, start, end int, cut []span) []span {
	for start < end {
		pair := text[start:end]
		sep := 1
		if amp := strings.IndexByte(pair, '&'); amp >= 0 {
			pair = pair[:amp]
		}
		// Only within the pair, so that the scan stays linear.
		if amp := strings.Index(pair, jsonAmp); amp >= 0 {
			pair, sep = pair[:amp], len(jsonAmp)
		}
		if eq := strings.IndexByte(pair, '='); eq > 0 && eq+1 < len(pair) && pair[eq+1:] != Filtered && s.secretParam(pair[:eq]) {
			cut = append(cut, span{start + eq + 1, start + len(pair)})
		}
		start += len(pair) + sep
	}
	return cut
}

// jsonAmp is '&' as encoding/json escapes it inside a JSON string.
const jsonAmp = `\u0026`

// secretParam reports whether the query parameter named key (as written,
// percent-encoded) is a secret: its name matches a secret key, or one of
// sentryQueryTerms, as sentry-go filters the query string of a request (a
// Middleware event's), so that a URL logged as an attribute, the same
// request's or an outgoing call's (Google's "?key="), sends no more than
// that request. Unlike attribute keys, parameter names come from outside
// the program: they are matched without filling the cache of known keys,
// and without allocating unless encoded or long.
func (s *secretKeys) secretParam(key string) bool {
	if strings.ContainsAny(key, "%+") {
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
	}
	if v, ok := s.lookup(key); ok && v {
		return true
	}
	var buf [64]byte
	if len(key) > len(buf) {
		if s.match(key) {
			return true
		}
		l := strings.ToLower(key)
		for _, k := range sentryQueryTerms {
			if strings.Contains(l, k) {
				return true
			}
		}
		return false
	}
	// l is key lowercased, as sentry-go matches its terms (separators
	// kept: "status_id" holds no "sid"); n is key normalized, as
	// SecretKeys are matched.
	var lbuf [64]byte
	n, l := buf[:0], lbuf[:0]
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l = append(l, c)
		if c == '_' || c == '-' || c == '.' || c == ' ' {
			continue
		}
		n = append(n, c)
	}
	for _, k := range s.keys {
		if containsString(n, k) {
			return true
		}
	}
	for _, k := range sentryQueryTerms {
		if containsString(l, k) {
			return true
		}
	}
	return false
}

// sentryQueryTerms are the terms of Sentry's sensitive denylist
// (develop.sentry.dev, data collection), which sentry-go matches in the
// names of a request's query parameters, whatever its options
// (DataCollection.FilterQueryString; the extended terms it adds without
// SendDefaultPII, "-ip", "via", name headers), lowercased: a query
// parameter whose name, lowercased as written, holds one is filtered
// whatever SecretKeys say, as sentry-go filters it from a request; not
// normalized as SecretKeys are, which would find "sid" in "status_id". Attribute keys are not
// matched against them: "key" and "sid" would filter "cache_key" and
// "inside" (TestSentryQueryTermsAsSentryGo checks them against sentry-go).
var sentryQueryTerms = []string{
	"auth", "bearer", "credentials", "csrf", "identity", "jwt", "key", "passwd", "password",
	"pwd", "saml", "secret", "session", "sid", "sso", "token", "xsrf",
}

// containsString is strings.Contains(string(b), sub) without the copy.
func containsString(b []byte, sub string) bool {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == sub {
			return true
		}
	}
	return false
}

// rawQuery returns q, the query or fragment of a url.URL encoded as JSON
// (its RawQuery, Fragment or RawFragment field), with the values of its
// secret-named parameters filtered.
func (s *scrubber) rawQuery(q string) (string, bool) {
	return replaceSpans(q, s.paramSecrets(q, 0, len(q), nil))
}

// replaceSpans returns text with each span of cut, in order and apart,
// replaced by Filtered.
func replaceSpans(text string, cut []span) (string, bool) {
	if len(cut) == 0 {
		return text, false
	}
	var b strings.Builder
	b.Grow(len(text) + len(cut)*len(Filtered))
	last := 0
	for _, c := range cut {
		b.WriteString(text[last:c.from])
		b.WriteString(Filtered)
		last = c.to
	}
	b.WriteString(text[last:])
	return b.String(), true
}
