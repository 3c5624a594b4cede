package event

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/getsentry/sentry-go"
	"github.com/getsentry/sentry-go/attribute"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// timeKey is the attribute that carries a record's own time when it is sent
// to Sentry Logs after the fact (Options.LogsOnEvent): sentry-go stamps
// each log with the time it is emitted.
const timeKey = "logcrumbs.time"

// loggerKey is the attribute naming the record's logger.
const loggerKey = "logcrumbs.logger"

// origin is the "sentry.origin" of every log logcrumbs sends: Sentry's
// trace-origin form (auto.<category>.<integration>), as sentry-go's own
// integrations mark theirs ("auto.log.slog"), so that Sentry does not take
// them for logs sent by hand ("manual", an origin's absence). The logger
// is named under loggerKey.
const origin = "auto.log.logcrumbs"

// noMessage is the body of a record logged without a message (zerolog's
// Send, slog's Error("", ...)): sentry-go drops a log whose body is empty,
// which would lose the record and its attributes without a word.
const noMessage = "(no message)"

// logsCache is the sentry.Logger (its entries) of the last client a Builder sent Logs
// through, and what that client's options say of user data. sentry.NewLogger
// reads the client's options and the host name (a system call) each time,
// and the client's data collection is a copy of its options: once per
// client, not per record.
type logsCache struct {
	client   *sentry.Client
	hub      *sentry.Hub // the logger's own: see Builder.logger
	userInfo bool        // the client's DataCollection.UserInfo (see userGate)
	flush    policy.LogMark

	// entries are the sentry.Logger's entries of each level (see levelIndex),
	// never added to: a record's entry is one of them WithCtx, a copy,
	// where Info() and the like would make an entry to copy each time
	// (two allocations: 27,140 -> 26,360 instructions a record, cachegrind).
	entries [6]sentry.LogEntry
}

// levelIndex is the index in logsCache.entries of the entry of level.
func levelIndex(level buffer.Level) int {
	switch level {
	case buffer.LevelDebug:
		return 0
	case buffer.LevelInfo:
		return 1
	case buffer.LevelWarning:
		return 2
	case buffer.LevelError:
		return 3
	case buffer.LevelTrace:
		return 5
	}
	return 4
}

// logger returns the cached sentry.Logger and user gate decision for
// client. fallback, when not nil, is the hub a record goes through because
// its context carries none (Options.Hub or the current hub, which live as
// long as the integration): the logger is then bound to it, so that the
// record's context needs no hub of its own (sentry-go's logger takes the
// hub of its own context when the entry's has none, and finds no span
// there); one context value less to allocate and to walk past in each of
// sentry-go's lookups. Otherwise any logger of client serves, the record's
// context naming its hub; a new one is bound to a fresh hub on client, so
// that the cache keeps no request's scope alive.
func (b *Builder) logger(client *sentry.Client, fallback *sentry.Hub) *logsCache {
	if c := b.logs.Load(); c != nil && c.client == client && (fallback == nil || c.hub == fallback) {
		return c
	}
	// sentry.NewLogger takes its attributes (release, environment) from
	// the client of its context's hub as it is then, and makes a logger
	// that drops every log if that hub has none: built on the fallback hub,
	// which a program may rebind (BindClient) since SendLog read client, it
	// could be another client's, or none, and be kept as client's. It is
	// built on a fresh hub on client, and its context then answers with
	// the fallback hub (see loggerContext).
	ctx := &loggerContext{Context: context.Background(), hub: sentry.NewHub(client, sentry.NewScope())}
	logger := sentry.NewLogger(ctx)
	logger.SetAttributes(attribute.String("sentry.origin", origin))
	if fallback != nil {
		ctx.hub = fallback // before c is shared: b.logs.Store publishes it
	}
	c := &logsCache{
		client:   client,
		hub:      ctx.hub,
		userInfo: client.GetDataCollection().UserInfo.Value,
		flush:    policy.Default().LogMarkOf(client),
		// LFatal, not Fatal: Fatal's entry would exit.
		entries: [...]sentry.LogEntry{logger.Debug(), logger.Info(), logger.Warn(), logger.Error(), logger.LFatal(), logger.Trace()},
	}
	b.logs.Store(c)
	return c
}

// loggerContext is the context of a cached sentry.Logger: it answers
// sentry-go's hub key with hub, as sentry.SetHubOnContext would, but hub
// is set once the logger is built (see Builder.logger), and never after
// the logger is shared.
type loggerContext struct {
	context.Context
	hub *sentry.Hub
}

// Value returns hub for sentry-go's hub key, else the parent's value.
func (c *loggerContext) Value(key any) any {
	if key == sentry.HubContextKey {
		return c.hub
	}
	return c.Context.Value(key)
}

// SendLog sends rec to Sentry Logs through hub, with the trace of ctx (a
// sentry-go span on it, else hub's propagation context), its attributes
// scrubbed and user-gated as an event's are, and flattened to dotted keys
// (Sentry Logs attributes are flat). onCtx says whether ctx carries hub;
// when it does not, hub must be one that lives as long as b (Options.Hub
// or the current hub: see logger). late adds the record's own time as the
// attribute "logcrumbs.time", for records sent after the fact. eventID,
// if not "", is the event rec, an error record, was sent as or folded
// into (capture-once), when rec does not name it itself: a record sent
// as it is captured, before its breadcrumb notes the event (see
// buffer.Record.AddEventID); the log names it under buffer.EventIDKey, as
// the breadcrumb does, and the record's own fields of that key are the
// user's, kept under buffer.UserKeyPrefix (see userKey). A record
// without a message is sent with the body "(no message)". A panic in the
// client's BeforeSendLog is recovered and counted as a user panic: logging
// never panics, and an event sent beside the log stays sent.
//
// The attributes go from the record to the log entry in one pass (see
// flatAttrs), every string the log keeps a piece of one copy of the
// record's text: no data map is built but for the records whose groups
// the user's Scrub function must see as maps (see needsMap).
func (b *Builder) SendLog(ctx context.Context, hub *sentry.Hub, onCtx bool, rec *buffer.Record, late bool, eventID string) {
	client := hub.Client()
	if !client.IsEnabled() {
		return
	}
	defer func() {
		if recover() != nil {
			stats.UserPanics.Add(1)
		}
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	fallback := hub
	if onCtx {
		fallback = nil
	}
	b = b.or()
	cache := b.logger(client, fallback)
	cache.flush.HandedOver() // Flush flushes the client, whose batch holds the log a few seconds
	t := rec.CheckedText()
	all := t.All()
	entry := cache.entries[levelIndex(rec.Level)].WithCtx(ctx).String(loggerKey, rec.LoggerIn(all))
	if late {
		entry = entry.String(timeKey, rec.When().Format(time.RFC3339Nano))
	}
	if rec.Len() > 0 || rec.DroppedAttrs > 0 {
		g := &userGate{client: client, decided: true, all: cache.userInfo}
		// An error record's breadcrumb sent after the fact (LogsOnEvent)
		// names its event under buffer.EventIDKey, logcrumbs' own key, as
		// the breadcrumb does: sent under it, not as the user's fields
		// of that key, which are (see userKey).
		link, id, users := rec.OwnEventIDIn(t)
		if needsMap(rec, all, b.scrub) {
			data := rec.DataIn(all)
			if link >= 0 && !users {
				delete(data, buffer.EventIDKey) // the link: the key's last entry
			}
			b.scrub.clean(data, g)
			addData(entry, data, rec.DroppedAttrs > 0)
		} else {
			flatAttrs(entry, rec, t, b.scrub, g, link)
		}
		if link >= 0 {
			eventID = id
		}
		if g.passed {
			// The log keeps user data because client's options allow it,
			// and sentry-go sends it through the client of the hub it finds
			// then, which a program may have swapped for one that does
			// not collect user data since client was read. A hub of client
			// on hub's scope sends it through client. Only such logs pay
			// for it (a hub, and WithCtx copying the attributes).
			entry = entry.WithCtx(&loggerContext{Context: ctx, hub: sentry.NewHub(client, hub.Scope())})
		}
	}
	if eventID != "" {
		// Last: sentry-go keeps the last attribute of a key.
		entry.String(buffer.EventIDKey, eventID)
	}
	body := rec.MessageIn(all)
	if body == "" {
		body = noMessage
	}
	// Emit boxes body, and fmt.Sprint copies it; Emitf's fmt.Sprintf of a
	// format with no '%', and no arguments (nor then the template
	// attributes Emitf adds for them), copies it as it is, unboxed: the
	// same log (cachegrind, bench SlogLogs/logcrumbs-logs: 26,660 ->
	// 26,040 instructions a record).
	if strings.IndexByte(body, '%') < 0 {
		entry.Emitf(body)
	} else {
		entry.Emit(body)
	}
}

// needsMap says whether rec's attributes must be scrubbed as a data map,
// as an event's are, because flatAttrs would not treat them the same: a
// named group when the user's Scrub function is set (it is handed a group
// as its map), a "RawQuery" inside a group (a url.URL's fields: see
// scrubber.data), a group or a JSON value with the key of another
// attribute (in a map one replaces the other; flat, both would be sent),
// keys compared as Data makes them (invalid UTF-8 replaced), or a dotted
// key beside anything that may become a map (addAttributes sends the keys
// of a map in order, so which of "a.b" and a map a's b is sent is the
// order's).
func needsMap(rec *buffer.Record, all string, s *scrubber) bool {
	groups, maps := false, s.fn != nil
	for i := range rec.Len() {
		switch a := rec.Attr(i); a.Kind {
		case buffer.KindGroupOpen:
			groups = groups || rec.KeyIn(all, a) != ""
		case buffer.KindJSON:
			maps = true
		}
	}
	if !groups && !maps {
		// Most records: no key is looked at (searching each for a '.'
		// cost about 300 instructions a record of 4 attributes:
		// cachegrind, bench SlogLogs/logcrumbs-logs with BeforeSendLog
		// dropping the log, 25,040 -> 24,740).
		return false
	}
	dotted := false
	for i := range rec.Len() {
		if strings.IndexByte(rec.KeyIn(all, rec.Attr(i)), '.') >= 0 {
			dotted = true
			break
		}
	}
	switch {
	case !groups:
		return dotted || maps && jsonKeyRepeated(rec, all)
	case maps || dotted:
		return true
	}
	for i := range rec.Len() {
		a := rec.Attr(i)
		if a.Kind == buffer.KindGroupClose {
			continue
		}
		k := rec.KeyIn(all, a)
		if k == "RawQuery" {
			return true
		}
		if a.Kind != buffer.KindGroupOpen || k == "" {
			continue
		}
		for j := range rec.Len() {
			if b := rec.Attr(j); b.Kind != buffer.KindGroupOpen && b.Kind != buffer.KindGroupClose && sameKey(rec.KeyIn(all, b), k) {
				return true
			}
		}
	}
	return false
}

// jsonKeyRepeated reports whether a JSON value of rec, a record with no
// named group, has the key of another of its attributes (see needsMap).
func jsonKeyRepeated(rec *buffer.Record, all string) bool {
	for i := range rec.Len() {
		a := rec.Attr(i)
		if a.Kind != buffer.KindJSON {
			continue
		}
		k := rec.KeyIn(all, a)
		for j := range rec.Len() {
			if b := rec.Attr(j); j != i && b.Kind != buffer.KindGroupOpen && b.Kind != buffer.KindGroupClose && sameKey(rec.KeyIn(all, b), k) {
				return true
			}
		}
	}
	return false
}

// sameKey reports whether the keys x and y, as a record stores them, are
// one key in its data: equal once invalid UTF-8 is replaced by U+FFFD.
func sameKey(x, y string) bool {
	if x == y {
		return true
	}
	if utf8.ValidString(x) && utf8.ValidString(y) {
		return false
	}
	return strings.ToValidUTF8(x, "\uFFFD") == strings.ToValidUTF8(y, "\uFFFD")
}

// flatAttrs adds rec's attributes to entry as Data, scrubber.clean and
// addAttributes together would, without the map: groups flattened to
// dotted keys, a secret key's value (or group) Filtered, the URLs in texts
// scrubbed, and the user gate applied to the keys at every depth (a user
// group, in a group or not, keeps only its "id"). Integers, floats and
// booleans are never boxed; the other kinds go through the same
// conversion and scrubbing as an event's data. The attribute of index
// link (logcrumbs' own, see Record.OwnEventIDIn), if not -1, is left out.
func flatAttrs(entry sentry.LogEntry, rec *buffer.Record, t buffer.Text, s *scrubber, g *userGate, link int) {
	u64, hasU64 := entry.(interface {
		Uint64(string, uint64) sentry.LogEntry
	})
	// A level is what a group open keeps of the one it is in.
	type level struct {
		prefix string
		onlyID bool
	}
	var stackArr [8]level
	stack := stackArr[:0]
	prefix := ""
	skip := 0       // groups open inside a group not sent; 0: sending
	onlyID := false // the named group open is a gated user group: only its "id" is sent
	for i := range rec.Len() {
		a := rec.Attr(i)
		switch a.Kind {
		case buffer.KindGroupOpen:
			if skip > 0 {
				skip++
				continue
			}
			k := rec.ValidKeyIn(t, a)
			if k == "" { // an unnamed group is inlined, as in slog
				stack = append(stack, level{prefix, onlyID})
				continue
			}
			if onlyID && !isIDKey(k) {
				skip = 1
				continue
			}
			verdict, isUser := gateKey(k, g)
			if verdict == gateRemove {
				skip = 1
				continue
			}
			if s.secret(k) {
				entry.String(userKey(prefix+k), Filtered)
				skip = 1
				continue
			}
			stack = append(stack, level{prefix, onlyID})
			prefix += k + "."
			onlyID = isUser && !g.sendsAll()
		case buffer.KindGroupClose:
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) == 0 {
				continue // unbalanced, as Data ignores it
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			prefix, onlyID = top.prefix, top.onlyID
		default:
			if skip > 0 || i == link {
				continue
			}
			k := rec.ValidKeyIn(t, a)
			if onlyID && !isIDKey(k) {
				continue
			}
			full := k
			if prefix != "" {
				full = prefix + k
			}
			if s.fn == nil && flatScalar(entry, rec, t, a, s, g, k, userKey(full), u64, hasU64) {
				continue
			}
			// Under full: addValue renames it (see userKey) once, as the
			// map path does, and not a map's, whose keys it renames.
			addFlatValue(entry, k, full, rec.ValidValueIn(t, a), s, g)
		}
	}
	if rec.DroppedAttrs > 0 {
		// logcrumbs' own count: not renamed (see userKey).
		if v, ok := flatValue(droppedAttrsKey, rec.DroppedAttrs, s, g); ok {
			putValue(entry, droppedAttrsKey, v)
		}
	}
}

// userKey returns the key a user's attribute of key (its groups' keys
// dotted before it) is sent under in a Sentry Log: key, unless logcrumbs
// writes that key itself (the logger's name, the record's time, the count
// of dropped attributes), or key is in Sentry's own namespace "sentry."
// (where sentry-go writes the client's release and environment, the SDK,
// the server, and an entry's attribute would replace them), or key is
// such a key prefixed with buffer.UserKeyPrefix (once or more), then key
// prefixed once more, so that the user's field is kept and cannot replace
// logcrumbs' or sentry-go's entry, nor another of the user's (sentry-go
// keeps the last attribute of a key). One comparison of the first byte
// for most keys.
func userKey(key string) string {
	const own, prefix = "logcrumbs.", buffer.UserKeyPrefix
	if len(key) <= len(sentryNamespace) {
		return key
	}
	switch key[0] {
	case 'l':
		if len(key) > len(own) && key[:len(own)] == own && (key == loggerKey || key == timeKey || key == droppedAttrsKey) {
			return prefix + key
		}
	case 's':
		if key[:len(sentryNamespace)] == sentryNamespace {
			return prefix + key
		}
	case prefix[0]:
		if key[:len(prefix)] == prefix && ownLogKey(key) {
			return prefix + key
		}
	}
	return key
}

// sentryNamespace begins the keys Sentry reserves for its own attributes
// of a log (see userKey).
const sentryNamespace = "sentry."

// ownLogKey reports whether key is one of the keys logcrumbs writes in a
// Sentry Log, or one of Sentry's namespace, prefixed (see
// buffer.OfOwnKey).
func ownLogKey(key string) bool {
	for _, own := range [...]string{loggerKey, timeKey, droppedAttrsKey} {
		if buffer.OfOwnKey(key, own) {
			return true
		}
	}
	for strings.HasPrefix(key, buffer.UserKeyPrefix) {
		key = key[len(buffer.UserKeyPrefix):]
	}
	return len(key) > len(sentryNamespace) && key[:len(sentryNamespace)] == sentryNamespace
}

// droppedAttrsKey is buffer's entry counting the attributes a record
// dropped for MaxAttrs (see buffer.Record.Data).
const droppedAttrsKey = "logcrumbs.dropped_attrs"

// flatScalar adds the attribute a, whose key is k (key with its groups),
// when Value would make it a text, an integer, a float or a boolean,
// without boxing it, and says whether it did: as scrubber.entry and
// gateUser would treat it when no Scrub function is set.
func flatScalar(entry sentry.LogEntry, rec *buffer.Record, t buffer.Text, a buffer.Attr, s *scrubber, g *userGate, k, key string,
	u64 interface {
		Uint64(string, uint64) sentry.LogEntry
	}, hasU64 bool) bool {
	text, isText := rec.ValidStringValueIn(t, a)
	switch {
	case isText:
	case a.Kind == buffer.KindInt64, a.Kind == buffer.KindUint64, a.Kind == buffer.KindFloat64, a.Kind == buffer.KindBool:
	default:
		return false
	}
	switch gateUser(k, nil, g) { // nil: not a group
	case gateRemove:
		return true
	case gateFilter:
		entry.String(key, Filtered)
		return true
	}
	if s.secret(k) {
		entry.String(key, Filtered)
		return true
	}
	switch {
	case isText:
		text, _ = s.textURLs(text)
		entry.String(key, text)
	case a.Kind == buffer.KindInt64:
		entry.Int64(key, int64(a.Num()))
	case a.Kind == buffer.KindUint64:
		if hasU64 {
			u64.Uint64(key, a.Num()) // sentry-go's own, not in the interface
		} else {
			entry.Int64(key, int64(a.Num()))
		}
	case a.Kind == buffer.KindFloat64:
		entry.Float64(key, math.Float64frombits(a.Num()))
	default: // bool
		entry.Bool(key, a.Num() != 0)
	}
	return true
}

// addFlatValue adds the value v of the key k (key with its groups, as the
// record has it: not renamed by userKey) as scrubber.clean would leave it
// in a data map, then as addAttributes would add it.
func addFlatValue(entry sentry.LogEntry, k, key string, v any, s *scrubber, g *userGate) {
	if v, ok := flatValue(k, v, s, g); ok {
		addValue(entry, key, v)
	}
}

// flatValue returns the value v of the key k as scrubber.clean would leave
// it in a data map, and false when clean would remove it.
func flatValue(k string, v any, s *scrubber, g *userGate) (any, bool) {
	v, _ = s.entryValue(k, v, g)
	switch gateUser(k, v, g) {
	case gateRemove:
		return nil, false
	case gateFilter:
		v = Filtered
	}
	return v, true
}

// addData adds data, a record's data (Data, scrubbed), to entry, as
// addAttributes does. counted says the record dropped attributes: then
// data holds logcrumbs' count under droppedAttrsKey, sent under it, and
// Data moved the user's fields of that key and its prefixed ones already
// (buffer.KeepUserKeys), sent as they are.
func addData(entry sentry.LogEntry, data map[string]any, counted bool) {
	if !counted {
		addAttributes(entry, "", data)
		return
	}
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys) // stable order, for readers and tests
	for _, k := range keys {
		if k == droppedAttrsKey || buffer.OfOwnKey(k, droppedAttrsKey) {
			putValue(entry, k, data[k])
			continue
		}
		addValue(entry, k, data[k])
	}
}

// addAttributes adds the entries of data, a record's data (or a map in it,
// whose key and dot are prefix), as addValue does.
func addAttributes(entry sentry.LogEntry, prefix string, data map[string]any) {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys) // stable order, for readers and tests
	for _, k := range keys {
		addValue(entry, prefix+k, data[k])
	}
}

// addValue adds v, a user's value, under key (see userKey), typed; a map's
// entries under key's dotted children.
func addValue(entry sentry.LogEntry, key string, v any) {
	if _, ok := v.(map[string]any); !ok {
		key = userKey(key)
	}
	putValue(entry, key, v)
}

// putValue is addValue under key as it is.
func putValue(entry sentry.LogEntry, key string, v any) {
	switch v := v.(type) {
	case map[string]any:
		addAttributes(entry, key+".", v)
	case string:
		entry.String(key, v)
	case bool:
		entry.Bool(key, v)
	case int64:
		entry.Int64(key, v)
	case int:
		entry.Int64(key, int64(v))
	case uint64:
		putUint64(entry, key, v)
	case float64:
		entry.Float64(key, v)
	case json.Number: // inside a JSON value
		putNumber(entry, key, v.String())
	case nil:
		entry.String(key, "null")
	case []any: // a list, as JSON: Sentry Logs have no mixed lists
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // URLs' & as written
		if err := enc.Encode(v); err == nil {
			entry.String(key, strings.TrimSuffix(b.String(), "\n"))
		} else {
			entry.String(key, fmt.Sprint(v))
		}
	default:
		entry.String(key, fmt.Sprint(v))
	}
}

// putUint64 adds v under key as a uint64, where the entry is sentry-go's
// (Uint64 is not in the LogEntry interface), else as an int64.
func putUint64(entry sentry.LogEntry, key string, v uint64) {
	if u, ok := entry.(interface {
		Uint64(string, uint64) sentry.LogEntry
	}); ok {
		u.Uint64(key, v)
	} else {
		entry.Int64(key, int64(v))
	}
}

// putNumber adds n, a number of a JSON value, under key exactly as the
// logger wrote it: an integer as an int64, or a uint64 past int64 (as a
// top-level one is sent), a fraction or exponent as a float64, and any
// other (an integer past uint64, a float past float64's range) as its
// text: never a float64 that rounds an integer (a uint64 ID of
// 18446744073709551615 read 18446744073709552000).
func putNumber(entry sentry.LogEntry, key, n string) {
	if i, err := strconv.ParseInt(n, 10, 64); err == nil {
		entry.Int64(key, i)
		return
	}
	if u, err := strconv.ParseUint(n, 10, 64); err == nil {
		putUint64(entry, key, u)
		return
	}
	if strings.ContainsAny(n, ".eE") {
		if f, err := strconv.ParseFloat(n, 64); err == nil {
			entry.Float64(key, f)
			return
		}
	}
	entry.String(key, n)
}
