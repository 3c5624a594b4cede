package logcrumbs

import (
	"slices"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/event"
)

// Options are the settings every logger integration shares. The zero value
// is ready to use: events go to the hub of the record's context or to
// sentry.CurrentHub(), no attribute becomes a tag, the group "user" fills the
// event's user, and the limits are the defaults documented on [Limits].
//
// Each integration embeds Options in its own options, beside the levels,
// which it expresses in its logger's own level type.
type Options struct {
	// Hub sends the events of records whose context carries no hub of its own
	// (see sentry.GetHubFromContext). Nil means sentry.CurrentHub() at the
	// time of each event. When the hub has no client, nothing is sent: the
	// record is kept in the trail as a breadcrumb of its level (error or
	// fatal) instead.
	Hub *sentry.Hub

	// LoggerName names the logger in each breadcrumb's category and in the
	// event's logger field. Empty means the integration's own name for it
	// ("slog", the zap logger's name or "zap", "zerolog", "logrus", the logr
	// logger's name or "logr"; "http" and "job" for the panic events of
	// Middleware and RunJob).
	LoggerName string

	// TagKeys lists the attributes whose values become event tags, as dotted
	// paths through groups ("http.route" is the attribute route in the group
	// http). Tags are indexed and searchable in Sentry; every attribute also
	// appears, untouched, in the event's "log" context, which is not. Tag
	// values are cut to Sentry's 200 characters, their line breaks made
	// spaces (Sentry drops a tag value with a newline, and a tag whose key
	// is not letters, digits and "_.:-"). Tags, and FingerprintKey,
	// read the attributes as scrubbing and the user gate (see UserKey) leave
	// them: "app.user.email" makes no tag unless the client collects user
	// info. Nil means no tags.
	TagKeys []string

	// FingerprintKey names an attribute (dotted path) whose value, a string
	// or a list of strings, becomes the event's fingerprint, which decides
	// how Sentry groups events into issues. Empty means Sentry's default
	// grouping.
	FingerprintKey string

	// UserKey names the group whose attributes fill the event's user: id,
	// email, username, name and ip_address go to their fields, anything else
	// to the user's data. Empty means "user"; "-" means no group fills it.
	// Only a top-level group fills it: one nested in another group or map
	// (slog's WithGroup, zap.Namespace, zerolog's Dict) stays where it is.
	//
	// Only the user's id leaves the process unless the Sentry client
	// collects user info: ClientOptions.DataCollection.UserInfo, or, when
	// DataCollection is nil, the deprecated SendDefaultPII (false by
	// default). Beware that once DataCollection is set at all, sentry-go
	// treats an unset UserInfo as true. Without user info, the group's
	// other fields, a user value that is not a group (it becomes
	// "[Filtered]") and flat keys such as "user.email" are removed from
	// events, breadcrumbs and Sentry Logs, for this key and "user" and the
	// UserKey of every other integration in the process (they share
	// trails), at the top level and at any depth inside groups, maps and
	// lists, whatever the keys' case (a Go struct logged as JSON names its
	// fields "User", "Email" and "ID"), so that logging who a user is for
	// one's own log files does not send their email or address to Sentry
	// without opting in. A
	// Sentry Log that keeps user data is sent through the client whose
	// setting allowed it, even if the hub's client is replaced meanwhile.
	UserKey string

	// RequireError, when true, sends an event only for records that carry an
	// error; an event-level record without one is kept as a breadcrumb. By
	// default such a record becomes a message event, since an error-level log
	// line is a bug worth seeing even without an error value.
	RequireError bool

	// BreadcrumbLimits bound each record kept in a trail, and so what
	// LogsOnEvent sends to Sentry Logs after the fact: the trail's records,
	// cut when they were kept, before any event asked for them (a trail
	// holds no whole copy of its records; the event's own record is sent
	// within EventLimits). Zero fields mean the defaults: 64 attributes,
	// 1 KiB per text value and 4 KiB per record.
	BreadcrumbLimits Limits

	// EventLimits bound the record an event is built from, and a record an
	// integration's Logs level or PassThroughLevel sends to Sentry Logs as
	// it is logged (its breadcrumb is cut to BreadcrumbLimits). Zero fields mean
	// the defaults: 512 attributes, 16 KiB per text value and 128 KiB per
	// record. Whatever the limits, an event is kept under 800 KiB of JSON
	// (Sentry refuses events over 1 MB): each exception's text is cut at
	// 4 KiB, then, while the event is too big, the oldest breadcrumbs go,
	// then the record's attributes, then all but the 5 innermost and 5
	// outermost exceptions of the chain; the "logcrumbs" context counts
	// what went (dropped_breadcrumbs, dropped_exceptions).
	EventLimits Limits

	// FallbackCaptureWindow is how long an error captured from the fallback
	// trail (records whose context carries no trail) counts as already sent,
	// for capture-once. Errors captured from a context's own trail count as
	// sent for the trail's whole life. Zero means 10 seconds.
	//
	// The fallback trail, which lives as long as the process, remembers
	// (and keeps alive, with what they reference) the last 32 errors it
	// captured, fewer when their texts pass 1 MiB together, the last
	// record's errors always: an error it no longer remembers, logged
	// again within the window, is a new event.
	FallbackCaptureWindow time.Duration

	// DedupeWindow is how long an event keeps the same event from being
	// sent again through the same Sentry client (the whole process,
	// usually), whichever integration sends it: same fingerprint (the FingerprintKey
	// attribute's value when the record has one, else the logger, the file
	// and line of the log call and the types of the errors and of the
	// errors they wrap, as Sentry groups their exception chains, or the
	// message when there is no error). Without a program counter from the logger,
	// the log call is the first frame of the program's that called a
	// logger: a writer, core or handler of the program's between the
	// logger and logcrumbs is not taken for it. A fingerprint the scope
	// sets (Scope.SetFingerprint) or BeforeSend does is not seen (sentry-go
	// reads the scope's only when it sends): two requests whose scopes
	// give one error at one log call two fingerprints are one event
	// within the window; give the fingerprint as a record's attribute
	// (FingerprintKey) for them to be two. The suppressed repeats are counted in
	// Stats, and their number goes, as the context "logcrumbs" with
	// "repeats", on the next event of that fingerprint, or is sent by
	// Flush in an event of the same Sentry issue (or sooner, when the
	// process has 4,096 fingerprints in mind and needs the room of those
	// whose window passed; these count in the rate limit, from the upper
	// half of its burst). A record that capture
	// once does not send, because its trail sent the same error value from
	// the same call site (a loop logging one error), counts in that number
	// too (not in Stats); the same error logged again by an upper layer,
	// from another call site, does not. Repeats count on the event they
	// repeat, and go to the client that sent it, even once the hub holds
	// another client or none. Zero means 5 seconds; a negative window
	// turns this off.
	DedupeWindow time.Duration

	// EscalateIf, when set, sends a record below the event level as an
	// event too when it returns true: for example a 5xx status attribute
	// (r.Lookup("http.status")), or an error of a given type among
	// r.Errors() (which holds the record's errors only when EscalateIf is
	// set). It is called for every record kept as a breadcrumb, so it must
	// be cheap, and must keep neither r nor r.Errors(): both are reused
	// after the call.
	// The event it sends is built from the breadcrumb's record, within
	// BreadcrumbLimits, not EventLimits, but for a record that also goes
	// to Sentry Logs as it is logged (an integration's Logs level,
	// PassThroughLevel), made within EventLimits, which r is then too.
	// Nil means the level alone decides.
	EscalateIf func(r Record) bool

	// PassThroughLevel, when set, makes a unit of work more talkative once
	// it has sent an event (an error record's, or an error captured by
	// hand through its hub): from then on, the records of its trail at or
	// above this level are also sent to Sentry Logs (sentry.NewLogger),
	// with their attributes, as in Monolog's fingers-crossed handler, so
	// that what happens after the error is seen too. An error captured by
	// hand counts once it has passed the unit's hub scope, as for
	// LastEventID: a client-level BeforeSend that drops it afterwards is
	// not seen. Records of the fallback trail (no unit of work) are not
	// sent. Empty means off.
	PassThroughLevel sentry.Level

	// LogsOnEvent, when true, sends a unit of work's trail to Sentry Logs
	// when, and only when, the unit sends an event of an error record's
	// (not one captured by hand, which no integration's options reach):
	// its records (the
	// breadcrumbs the event carries, and the event's own record) go
	// through sentry-go's log API with the event's trace, so that the Logs
	// view shows what led up to every error, at the cost of the failing
	// units alone (as Monolog's FingersCrossed handler does for files).
	// Records the integration's Logs level sent already are not sent again
	// (the event's own record, which that level may send too, still comes
	// after what led up to it), and a second event of the unit sends only the records since the
	// first; a record a child unit copied (JobOptions.Child,
	// NewChildContext) is sent once, with the first event of either unit.
	// Records of the fallback trail (no unit of work) are not sent.
	// sentry-go stamps each log with the time it is sent: the own time of
	// a record sent after the fact (all but the event's own record) is in
	// the attribute "logcrumbs.time".
	//
	// Its cost in Logs volume: with 1% of units failing, it sends about
	// 1% of what a Logs level at the breadcrumb level sends for the same
	// records (the conformance case LogsOnEventVolume, which every
	// integration runs, measures 1,000 units, 10 failing, 5 records each:
	// 60 logs against 5,010). False means off.
	LogsOnEvent bool

	// SecretKeys name the attributes whose values are replaced by
	// "[Filtered]" before anything leaves the process: in breadcrumbs, in
	// the event's "log" context, in tags and in Sentry Logs, inside groups
	// and nested objects too. A key matches when, lowercased and without
	// "_", "-", "." and spaces, it contains one of them. Nil means
	// DefaultSecretKeys() (password, token, secret, authorization, cookie,
	// session, api_key, signature and the like); to add to them, append to
	// DefaultSecretKeys().
	//
	// URLs in text values are scrubbed too, whatever their key (a string,
	// a *url.URL, a URL inside a longer text, in groups and lists): the
	// password of their userinfo and the values of their query and
	// fragment parameters whose names match SecretKeys, or a term of
	// Sentry's sensitive denylist (auth, bearer, credentials, csrf,
	// identity, jwt, key, passwd, password, pwd, saml, secret, session,
	// sid, sso, token, xsrf: what sentry-go filters from the query string
	// of a request, a Middleware event's, whatever SecretKeys say), become
	// "[Filtered]", and the rest is sent as written
	// ("https://bob:[Filtered]@host/path?token=[Filtered]&page=2"). A
	// url.URL logged by value has its RawQuery and Fragment scrubbed so;
	// url.Values are objects, whose secret keys match as any other. In a
	// text of JSON, "\u0026" separates parameters as '&' does.
	//
	// Not covered, for Scrub to catch: messages and error texts (keep
	// secrets out of them); a secret under an innocent key ("hdr":
	// "Bearer abc"); secrets in URL path segments (/reset/<token>), or in
	// a query parameter with an innocent name (?sig=, ?code=).
	SecretKeys []string

	// Scrub, when set, sees every attribute that is not a secret key (key
	// and converted value, also inside groups, after URL secrets were
	// filtered) and returns what to send instead: for values that are
	// secret whatever their key, such as a bearer token under an innocent
	// key or a token in a URL's path. If it panics, the value is filtered.
	Scrub func(key string, value any) any
}

// DefaultSecretKeys returns the keys Options.SecretKeys means when nil.
func DefaultSecretKeys() []string { return slices.Clone(event.DefaultSecretKeys) }

// Record is what Options.EscalateIf sees of a record: its level as
// Sentry's, its message, an attribute by dotted path through groups
// (converted as in the event's "log" context: numbers, strings, booleans,
// durations and times as text; a group as a map; keys that themselves
// contain dots cannot be reached), and its errors. It is an interface
// literal so that the integrations can implement it on their own record
// type without a copy.
type Record = interface {
	SentryLevel() sentry.Level
	Message() string
	Lookup(path string) (any, bool)
	Errors() []error
}

// Limits bound what one record keeps. Text beyond a limit is cut at a UTF-8
// boundary and ends with "…"; attributes beyond MaxAttrs are dropped and
// counted in the data entry "logcrumbs.dropped_attrs". A zero field means
// its default. The fields:
//
//   - MaxAttrs int: the number of attributes kept per record; a group
//     counts as two besides its members (its start and its end).
//   - MaxValueBytes int: the number of bytes kept of the message and of each
//     text value (strings, errors, formatted values).
//   - MaxRecordBytes int: the number of bytes kept of the message, the keys
//     and the text values of one record together; once a key no longer
//     fits, that attribute and the ones after it are dropped and counted.
//
// It is the type the trail itself uses, so that options reach it unchanged.
type Limits = buffer.Limits
