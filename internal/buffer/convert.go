package buffer

import (
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/getsentry/sentry-go"
)

// droppedAttrsKey names the data entry that counts attributes dropped for
// MaxAttrs.
const droppedAttrsKey = "logcrumbs.dropped_attrs"

var sentryLevels = [...]sentry.Level{
	LevelDebug:   sentry.LevelDebug,
	LevelInfo:    sentry.LevelInfo,
	LevelWarning: sentry.LevelWarning,
	LevelError:   sentry.LevelError,
	LevelFatal:   sentry.LevelFatal,
}

// LevelNone is what LevelOfSentry returns for an empty or unknown level:
// below every level.
const LevelNone Level = -128

// LevelOfSentry returns the Level of a Sentry level, or LevelNone for an
// empty or unknown one.
func LevelOfSentry(l sentry.Level) Level {
	for i, s := range sentryLevels {
		if s == l {
			return Level(i)
		}
	}
	return LevelNone
}

// SentryLevel returns l as a Sentry level: trace as debug, which is
// Sentry's lowest for breadcrumbs and events.
func (l Level) SentryLevel() sentry.Level {
	if l == LevelTrace {
		return sentry.LevelDebug
	}
	if l < 0 || int(l) >= len(sentryLevels) {
		return sentry.LevelError
	}
	return sentryLevels[l]
}

// Breadcrumb converts r to a Sentry breadcrumb. This is where a record's
// values are first allocated as Go values: only when an event is sent.
func (r *Record) Breadcrumb() *sentry.Breadcrumb {
	return &Breadcrumbs([]*Record{r}, nil)[0]
}

// A Cleaner makes a breadcrumb's data fit to leave the process while
// Breadcrumbs builds it, so that no second pass walks every finished map:
// the top-level entries that hold a scalar or a text are decided as they
// are inserted, and those that hold a map or a list (a group, a decoded
// JSON value) once the map is complete, since a group is filled attribute
// by attribute and the last entry of a key is the one that stays.
type Cleaner interface {
	// Entry returns the value to send for the top-level entry k, v of a
	// breadcrumb's data, where v is neither a map nor a list, and false to
	// leave the entry out.
	Entry(k string, v any) (any, bool)
	// Nested cleans the top-level entry k of data, whose value is a map or
	// a list, in place.
	Nested(data map[string]any, k string)
	// Plain reports whether Entry(k, v) returns v itself, and true, for
	// every v that is neither a text, a map nor a list, and Text(v), true,
	// for a text v: Breadcrumbs asks it once for each key its records
	// repeat, rather than calling Entry for every entry of every one.
	Plain(k string) bool
	// Text returns the text Entry returns for a text s under a plain key:
	// s itself when it holds no "://" (a URL's secrets are what it may
	// filter), which the texts Breadcrumbs renders never hold.
	Text(s string) string
}

// Breadcrumbs converts recs to Sentry breadcrumbs, in the same order, each
// one's data cleaned by c (or left as converted if c is nil). The
// text of all the records, and their durations and times rendered as text,
// is copied into one string, which the strings of every breadcrumb share;
// their values are boxed from one slab; and the breadcrumbs are one array:
// a trail costs its breadcrumbs' data maps and four allocations more.
func Breadcrumbs(recs []*Record, c Cleaner) []sentry.Breadcrumb {
	s, all, flat := newSlabFor(recs)
	// One UTF-8 scan of the whole text instead of one per record: a
	// record's text, when the whole is valid, is valid if it starts and
	// ends at rune boundaries (see text.valid). Text all ASCII, as most
	// logs' is, has a boundary at every byte: its pieces need no check.
	ascii := isASCII(all)
	ok := ascii || utf8.ValidString(all)
	// Text(s) is s for a text that holds no "://" (Cleaner's contract):
	// when the records' whole text holds none, no text of theirs, a piece
	// of it, does, and none is passed to Text. One search of the whole
	// instead of a call for each text value (an interface call, and
	// the cleaner's own search): BenchmarkBreadcrumbs, 2,697 -> 2,619
	// instructions a breadcrumb of one text.
	noURLs := c != nil && !strings.Contains(all, "://")
	var keys keyCache
	kc := &keys
	if c == nil {
		// Keys are reused so that the cleaner's user gate finds them by
		// address. Without a cleaner (an event with a Scrub function cleans
		// the finished maps) the gate's later look-up still runs, but
		// misses by address and compares by content either way: keeping
		// the cache cost more than it saved (cachegrind, a 100-breadcrumb
		// trail: 856k -> 840k instructions without it).
		kc = nil
	}
	out := make([]sentry.Breadcrumb, len(recs))
	for i, r := range recs {
		t := text{all: all[:len(r.data)], ascii: ascii, noURLs: noURLs}
		if ascii {
			t.ok = true
		} else if ok {
			t.ok = len(t.all) == 0 || utf8.RuneStart(t.all[0]) && (len(t.all) == len(all) || utf8.RuneStart(all[len(t.all)]))
		}
		if !t.ok {
			t.ok = utf8.ValidString(t.all)
		}
		// r's breadcrumb, set here rather than by a method of r: the
		// call, with its eight arguments, cost about 16 instructions a
		// breadcrumb (BenchmarkBreadcrumbs: 2,610 -> 2,594).
		//
		// b is zero (an element of a new array): its fields are set one
		// by one, since assigning a whole Breadcrumb is a typed copy of
		// the struct, which while the GC runs puts every pointer slot of
		// it through the bulk write barrier, for every breadcrumb of
		// every event.
		b := &out[i]
		b.Type = "default"
		if r.Level >= LevelError {
			b.Type = "error"
		}
		b.Category = t.valid(r.logger)
		b.Message = t.valid(r.msg)
		b.Level = r.Level.SentryLevel()
		b.Timestamp = r.When()
		// dataIn's own tests for a flat record with attributes, made
		// here: its call cost about 10 instructions a breadcrumb
		// (BenchmarkBreadcrumbs: 2,619 -> 2,610).
		if flat && len(r.attrs) > 0 {
			b.Data = r.flatDataIn(t, &s, c, kc)
		} else {
			b.Data = r.dataIn(t, &s, c, kc, flat)
		}
		if r.ownID != idNone {
			r.ownEventID(t, b.Data)
		}
		all = all[len(r.data):]
	}
	return out
}

// A keyCache holds the keys of the record converted last, by attribute
// position: a trail's records mostly come from a few call sites, and a key
// equal to the one at the same position of the record before is that
// string again, already checked for UTF-8. Cleaners that remember keys
// (the event's user gate) then find them by their address.
//
// It also holds the cleaner's Plain on each of those keys, asked once for
// as long as the key stays at its position: an event's breadcrumbs repeat
// a few keys, and deciding each entry anew (the cleaner's memo of keys, an
// interface call) cost about a fifth of converting a breadcrumb.
type keyCache struct {
	e [16]cachedKey
}

// cachedKey is a key of keyCache, and what a Cleaner's Plain said of it.
type cachedKey struct {
	key   string
	plain plainness
}

// plainness is what a Cleaner's Plain said of a cached key, if asked.
type plainness uint8

const (
	plainUnasked plainness = iota
	plainYes
	plainNo
)

// key returns the key of r's attribute i, whose key is the piece k of t.
func (kc *keyCache) key(t text, i int, k span) string {
	key, _ := kc.keyPlain(nil, t, i, k)
	return key
}

// keyPlain is key, and whether c finds the key Plain (false for a nil c):
// asked once while the key stays at position i, and not past the cache.
// One call for both: an entry under a cleaner needs both, and a call
// each cost about 20 instructions an entry more (cachegrind).
func (kc *keyCache) keyPlain(c Cleaner, t text, i int, k span) (string, bool) {
	if kc == nil || i >= len(kc.e) {
		return t.valid(k), false // Entry decides
	}
	e := &kc.e[i]
	if len(e.key) != int(k.len) || e.key != t.all[int(k.off):int(k.off)+int(k.len)] {
		// A key equal to the cached one is that valid string again.
		e.key, e.plain = t.valid(k), plainUnasked
	}
	if c == nil {
		return e.key, false
	}
	if e.plain == plainUnasked {
		e.plain = plainNo
		if c.Plain(e.key) {
			e.plain = plainYes
		}
	}
	return e.key, e.plain == plainYes
}

// hit returns the entry of position i when c has decided its key, or nil:
// keyPlain's common case when the key equals the entry's. It is inlined
// with that comparison into flatDataIn's loop, where keyPlain's call cost
// about 80 instructions an entry (cachegrind); keyPlain, with the
// comparison, is past the inliner's budget.
func (kc *keyCache) hit(c Cleaner, i int) *cachedKey {
	if kc != nil && c != nil && uint(i) < uint(len(kc.e)) && kc.e[i].plain != plainUnasked {
		return &kc.e[i]
	}
	return nil
}

// newSlabFor returns a copy of the text of recs, one after the other, and a
// slab with room for every value of theirs that boxing would allocate
// (see slab): strings and numbers; the text of their durations and times
// is rendered into the same allocation, after the records' text, as the
// values are converted (see slab.rendered). flat reports whether every
// record of recs is flat (see Record.flat): the attributes' kinds are read
// here anyway, and a trail with no groups, as most are, then spares each
// breadcrumb the second pass of flat (cachegrind, BenchmarkBreadcrumbs:
// 2,906 -> 2,886 instructions a breadcrumb).
func newSlabFor(recs []*Record) (s slab, all string, flat bool) {
	// need sums kindNeeds over the attributes that are no numbers: string
	// elements in its low 32 bits, rendered bytes in its high ones. A
	// table and an add an attribute, the numbers' test inline: the switch
	// on each attribute's slab element it replaced cost about 41
	// instructions an attribute.
	n, nums, need := 0, 0, uint64(0)
	kinds := uint16(0) // a bit for each kind seen, 1<<Kind
	for _, r := range recs {
		n += len(r.data)
		for i := range r.attrs {
			a := &r.attrs[i]
			kinds |= 1 << (a.Kind & 15)
			w := kindNeeds[a.Kind&15]
			if w != needNumber {
				need += w
			} else if !boxesFree(a.num) && (a.Kind != KindFloat64 || finiteBits(a.num)) {
				nums++
			}
		}
	}
	flat = kinds&notFlatKinds == 0
	strs, room := int(uint32(need)), int(need>>32)
	if n+room == 0 {
		return newSlab(strs, nums), "", flat
	}
	buf := make([]byte, 0, n+room)
	for _, r := range recs {
		buf = append(buf, r.data...)
	}
	s = newSlab(strs, nums)
	s.rend = buf[n:]
	return s, unsafe.String(unsafe.SliceData(buf), n), flat // buf[:n] is never written again
}

// notFlatKinds has the bit 1<<k of each kind k that makes a record not
// flat (see Record.flat).
const notFlatKinds = 1<<KindGroupOpen | 1<<KindGroupClose | 1<<KindJSON

// kindNeeds is what newSlabFor counts for an attribute of each kind, what
// value takes of a slab: 1 string element (a text, a duration's or time's
// rendered text), and the bytes to render shifted left 32; needNumber for
// a number, which takes a number element unless it boxes free or is not
// finite (its text then, boxed on its own: NaN and infinities are rare);
// 0 for the kinds that take nothing.
//
// Every kind has its entry (indexed by Kind&15).
var kindNeeds = [16]uint64{
	KindString: 1, KindError: 1, KindPanic: 1,
	KindDuration: 1 | renderedDurationBytes<<32, KindTime: 1 | maxRenderedBytes<<32,
	KindInt64: needNumber, KindUint64: needNumber, KindFloat64: needNumber,
}

const needNumber = math.MaxUint64

var _ [16 - kindCount]struct{}

// finiteBits reports whether the float64 of these bits is finite: its
// exponent is not all ones (NaN and infinities, which nonFinite renders).
func finiteBits(bits uint64) bool { return bits>>52&0x7ff != 0x7ff }

// maxRenderedBytes bounds the text of a duration
// ("-2562047h47m16.854775808s") or a time as RFC 3339 in UTC (years 1677
// to 2262, "2262-04-11T23:47:16.854775807Z").
const maxRenderedBytes = 32

// renderedDurationBytes is the room newSlabFor makes for the text of a
// duration: rarely more than 16 bytes ("3ms", "1.234567ms", "1h2m3.5s"),
// and a longer one costs the slab a new buffer, not a wrong value (see
// slab.rendered). A time's text is about 30 bytes: it gets
// maxRenderedBytes.
const renderedDurationBytes = 16

// appendRendered appends the text of a duration or time attribute to b.
func appendRendered(b []byte, a Attr) []byte {
	if a.Kind == KindDuration {
		return appendDuration(b, int64(a.num))
	}
	return time.Unix(0, int64(a.num)).UTC().AppendFormat(b, time.RFC3339Nano)
}

// Data converts r's attributes to a map, groups as nested maps. It returns
// nil for a record with no attributes. Values become JSON-safe Go values:
// durations and times as readable strings, NaN and infinities as strings, and
// invalid UTF-8 replaced by U+FFFD.
func (r *Record) Data() map[string]any {
	if len(r.attrs) == 0 && r.DroppedAttrs == 0 {
		return nil
	}
	_, _, data := r.Fields()
	return data
}

// Fields returns r's message, logger name (as Message and Logger do) and
// Data, all three sharing one copy of r's text.
func (r *Record) Fields() (msg, logger string, data map[string]any) {
	s, all, flat := newSlabFor([]*Record{r})
	return r.strIn(all, r.msg), r.strIn(all, r.logger), r.dataIn(checkedText(all), &s, nil, nil, flat)
}

// dataIn is Data with the record's text already copied into t, its
// values boxed by s: a slab newSlabFor made for r (and the records before
// it, whose values it took), or nil to box each value on its own. c, if
// not nil, cleans the top-level entries (see Cleaner); kc, if not nil,
// holds the keys of the record converted before (see keyCache). flat
// says r is known to be flat (newSlabFor found it so); false leaves dataIn
// to find out.
func (r *Record) dataIn(t text, s *slab, c Cleaner, kc *keyCache, flat bool) map[string]any {
	if len(r.attrs) == 0 && r.DroppedAttrs == 0 {
		return nil
	}
	if flat || r.flat() {
		return r.flatDataIn(t, s, c, kc)
	}
	return r.groupedDataIn(t, s, c, kc)
}

// groupedDataIn is dataIn for a record with groups or JSON values (see
// flat): groups become nested maps, and c cleans the top-level entries
// that hold a map or a list once the map is complete.
func (r *Record) groupedDataIn(t text, s *slab, c Cleaner, kc *keyCache) map[string]any {
	root := make(map[string]any, len(r.attrs))
	var stackArr [8]map[string]any
	stack := append(stackArr[:0], root)
	// Whether each group on the stack is named; named counts those open:
	// at 0, the entries are top-level ones, root's own.
	var isNamedArr [8]bool
	isNamed := append(isNamedArr[:0], false)
	named := 0
	// The top-level keys whose value is a map or a list, for c.Nested.
	var nestedArr [8]string
	nested := nestedArr[:0]
	for i := range r.attrs {
		a := &r.attrs[i]
		cur := stack[len(stack)-1]
		switch a.Kind {
		case KindGroupOpen:
			key := kc.key(t, i, a.key)
			if key == "" { // an unnamed group is inlined, as in slog
				stack, isNamed = append(stack, cur), append(isNamed, false)
				continue
			}
			g, ok := cur[key].(map[string]any)
			if !ok {
				g = make(map[string]any)
				cur[key] = g
			}
			if c != nil && named == 0 {
				nested = addKey(nested, key)
			}
			stack, isNamed = append(stack, g), append(isNamed, true)
			named++
		case KindGroupClose:
			if len(stack) > 1 {
				if isNamed[len(isNamed)-1] {
					named--
				}
				stack, isNamed = stack[:len(stack)-1], isNamed[:len(isNamed)-1]
			}
		default:
			top := c // the cleaner of a top-level entry that holds no JSON
			if named > 0 || a.Kind == KindJSON {
				top = nil
			}
			key, plain := kc.keyPlain(top, t, i, a.key)
			if plain {
				nested = dropKey(nested, key)
				cur[key] = r.plainValue(t, a, s, c)
				continue
			}
			v := r.value(t, a, s)
			if c == nil || named > 0 {
				cur[key] = v
				continue
			}
			nested = dropKey(nested, key)
			switch v.(type) {
			case map[string]any, []any:
				nested = addKey(nested, key)
				cur[key] = v
				continue
			}
			if v, ok := c.Entry(key, v); ok {
				cur[key] = v
			} else {
				delete(cur, key) // an earlier entry of the same key goes too
			}
		}
	}
	for _, k := range nested {
		c.Nested(root, k)
	}
	if r.DroppedAttrs > 0 {
		// After the maps are cleaned: a user's group of the count's key,
		// cleaned under it, is kept under UserKeyPrefix (see addDropped).
		r.addDropped(root, c)
	}
	return root
}

// flat reports whether r's attributes are all top-level scalars and texts:
// no group, and no JSON value (which may decode to a map or a list).
func (r *Record) flat() bool {
	for i := range r.attrs {
		switch r.attrs[i].Kind {
		case KindGroupOpen, KindGroupClose, KindJSON:
			return false
		}
	}
	return true
}

// flatDataIn is dataIn for a flat record: every entry is root's own and
// none holds a map or a list, so that nothing need be tracked for
// c.Nested. Without the group stack and the nested keys the loop keeps
// its few variables in registers: dataIn's own instructions were a sixth
// of converting a breadcrumb of four attributes.
func (r *Record) flatDataIn(t text, s *slab, c Cleaner, kc *keyCache) map[string]any {
	n := len(r.attrs)
	if r.DroppedAttrs > 0 {
		n++
	}
	// A map of at most 8 entries, one group, is made without its hint:
	// make with a hint goes through the runtime's general NewMap, which
	// for so few entries makes the same empty map, as make without one
	// does more directly (BenchmarkBreadcrumbs: 2,801 -> 2,775 instructions a
	// breadcrumb).
	var root map[string]any
	if n <= 8 {
		root = make(map[string]any)
	} else {
		root = make(map[string]any, n)
	}
	// r.attrs read once: the loop's calls and map assignments would have
	// it read from r again at every entry (BenchmarkBreadcrumbs, 2,824 ->
	// 2,812 instructions a breadcrumb).
	attrs := r.attrs
	for i := range attrs {
		a := &attrs[i]
		var key string
		var plain bool
		e := kc.hit(c, i)
		if e != nil {
			// e.key == k, a key of 4 to 16 bytes (as most are) compared
			// with two overlapping loads from each, as memequal compares
			// it, without memequal's call: BenchmarkBreadcrumbs, 2,886 ->
			// 2,846 instructions a breadcrumb of four keys (2,859 with the
			// comparison a function of its own, past the inliner's budget).
			k := t.all[int(a.key.off) : int(a.key.off)+int(a.key.len)]
			same := false
			if len(k) == len(e.key) {
				switch {
				case len(k) >= 8 && len(k) <= 16:
					same = le64(k) == le64(e.key) && le64(k[len(k)-8:]) == le64(e.key[len(k)-8:])
				case len(k) >= 4 && len(k) < 8:
					same = le32(k) == le32(e.key) && le32(k[len(k)-4:]) == le32(e.key[len(k)-4:])
				default:
					same = k == e.key
				}
			}
			if !same {
				e = nil
			}
		}
		if e != nil {
			key, plain = e.key, e.plain == plainYes
		} else {
			key, plain = kc.keyPlain(c, t, i, a.key)
		}
		if c != nil && !plain {
			if v, ok := c.Entry(key, r.value(t, a, s)); ok {
				root[key] = v
			} else {
				delete(root, key) // an earlier entry of the same key goes too
			}
			continue
		}
		// r.value(t, a, s) without a cleaner, r.plainValue(t, a, s, c)
		// with: the common kinds converted inline, where the calls cost
		// about 25 instructions an entry (cachegrind; durations and times
		// too: BenchmarkBreadcrumbs, 2,713 -> 2,697 instructions a
		// breadcrumb of one duration).
		var v any
		switch a.Kind {
		case KindString, KindError, KindPanic:
			str := t.valid(a.text)
			if c != nil && !t.noURLs {
				str = c.Text(str)
			}
			v = s.string(str)
		case KindInt64:
			v = s.int64(int64(a.num))
		case KindBool:
			v = a.num != 0
		case KindDuration, KindTime: // never cleaned: see plainValue
			v = s.rendered(a)
		default:
			v = r.value(t, a, s)
		}
		root[key] = v
	}
	if r.DroppedAttrs > 0 {
		r.addDropped(root, c)
	}
	return root
}

// addDropped sets root's entry for the count of dropped attributes, as c
// (if not nil) cleans it.
func (r *Record) addDropped(root map[string]any, c Cleaner) {
	var v any = r.DroppedAttrs
	ok := true
	if c != nil {
		v, ok = c.Entry(droppedAttrsKey, v)
	}
	// A user's field of logcrumbs' key: kept beside it (see
	// UserKeyPrefix). Rare: a record that dropped attributes.
	KeepUserKeys(root, droppedAttrsKey)
	if ok {
		root[droppedAttrsKey] = v
	} else {
		delete(root, droppedAttrsKey)
	}
}

// addKey adds k to keys unless it is there.
func addKey(keys []string, k string) []string {
	for _, have := range keys {
		if have == k {
			return keys
		}
	}
	return append(keys, k)
}

// dropKey removes k from keys, if it is there.
func dropKey(keys []string, k string) []string {
	for i, have := range keys {
		if have == k {
			return append(keys[:i], keys[i+1:]...)
		}
	}
	return keys
}

// strIn returns the text of s within all, a copy of r.data.
func (r *Record) strIn(all string, s span) string { return all[s.off : s.off+s.len] }

// Value converts one scalar or text attribute to a JSON-safe Go value.
func (r *Record) Value(a Attr) any { return r.value(text{all: string(r.data)}, &a, nil) }

// value converts a, boxed by s (see dataIn). It takes of s what
// newSlabFor counts for it (kindNeeds).
func (r *Record) value(t text, a *Attr, s *slab) any {
	switch a.Kind {
	case KindString, KindError, KindPanic:
		return s.string(t.valid(a.text))
	case KindDuration, KindTime:
		return s.rendered(a)
	case KindInt64:
		return s.int64(int64(a.num))
	case KindUint64:
		return s.uint64(a.num)
	case KindFloat64:
		f := math.Float64frombits(a.num)
		if text, ok := nonFinite(f); ok {
			return text
		}
		return s.float64(f)
	case KindBool:
		return a.num != 0
	case KindJSON:
		var v any
		text := r.strIn(t.all, a.text)
		d := json.NewDecoder(strings.NewReader(text))
		d.UseNumber()
		// Decode reads only the first value: text after it (the ellipsis of
		// a cut number, say) means the text is not one JSON value.
		if d.Decode(&v) == nil && strings.TrimLeft(text[d.InputOffset():], " \t\r\n") == "" {
			return v
		}
		return validUTF8(text)
	}
	return nil // KindNull, and group markers
}

// plainValue is c.Entry(k, r.value(t, a, s)) for a key k that c finds
// Plain and a that is no JSON value (which may decode to a map or a list):
// only a text is cleaned. The text of a duration or a time is not: it is
// rendered here, of digits, letters, '.', '-' and ':', never "://", which
// Text leaves as it is; nor that of a float (NaN, +Inf, -Inf).
func (r *Record) plainValue(t text, a *Attr, s *slab, c Cleaner) any {
	switch a.Kind {
	case KindString, KindError, KindPanic:
		return s.string(c.Text(t.valid(a.text)))
	}
	return r.value(t, a, s)
}

// renderString returns the text of a duration or time attribute.
func renderString(a Attr) string {
	var buf [maxRenderedBytes]byte
	return string(appendRendered(buf[:0], a))
}

// nonFinite returns the text of f when JSON has no number for it (NaN and
// infinities), and true.
func nonFinite(f float64) (string, bool) {
	switch {
	case math.IsNaN(f):
		return "NaN", true
	case math.IsInf(f, 1):
		return "+Inf", true
	case math.IsInf(f, -1):
		return "-Inf", true
	}
	return "", false
}

// StringValueIn returns the value of a when Value would make it a string
// (texts, durations, times, a float that is NaN or infinite), and true;
// else "" and false. all is a copy of r's text (see AllText): a text is a
// piece of it, not a copy, and nothing is boxed.
func (r *Record) StringValueIn(all string, a Attr) (string, bool) {
	return r.stringValue(all, a)
}

func (r *Record) stringValue(all string, a Attr) (string, bool) {
	switch a.Kind {
	case KindString, KindError, KindPanic:
		return validUTF8(r.strIn(all, a.text)), true
	case KindFloat64:
		return nonFinite(math.Float64frombits(a.num))
	case KindDuration, KindTime:
		return renderString(a), true
	}
	return "", false
}

// text is a copy of a record's text, and whether it is valid UTF-8 as a
// whole: a record's keys and texts are a handful of short strings, and
// one scan of all of them costs less than one scan each.
type text struct {
	all   string
	ok    bool // all is valid UTF-8
	ascii bool // all is ASCII (and so ok)
	// noURLs: all holds no "://", nor does valid's text of any piece of
	// it (U+FFFD holds none), so that a Cleaner's Text leaves every one
	// as it is. False when not known.
	noURLs bool
}

// checkedText returns all, a copy of a record's text, with its validity.
func checkedText(all string) text {
	ascii := isASCII(all)
	return text{all: all, ok: ascii || utf8.ValidString(all), ascii: ascii}
}

// valid returns the piece s of t with invalid UTF-8 replaced by U+FFFD. A
// piece of valid text that starts and ends at rune boundaries is valid;
// other pieces are scanned (a piece may start inside a rune of the text
// around it: "\xe2" followed by "\x82\xac" is valid only together).
//
// It is inlined for ASCII text, whose every piece is valid: the call cost
// about 37 instructions a piece, three or more pieces a breadcrumb.
func (t text) valid(s span) string {
	if t.ascii {
		// The span's ends as ints: added as uint32s, the end could wrap
		// around, and the slice was checked for that too, at every piece
		// and key (BenchmarkBreadcrumbs, with flatDataIn's keys and
		// keyPlain's: 2,573 -> 2,538 instructions a breadcrumb).
		return t.all[int(s.off) : int(s.off)+int(s.len)]
	}
	return t.validPiece(s)
}

// validPiece is valid for text that may not be ASCII.
func (t text) validPiece(s span) string {
	p := t.all[int(s.off) : int(s.off)+int(s.len)]
	end := int(s.off + s.len)
	if t.ok && (s.len == 0 || utf8.RuneStart(t.all[s.off]) && (end == len(t.all) || utf8.RuneStart(t.all[end]))) {
		return p
	}
	return validUTF8(p)
}

// isASCII reports whether s is all ASCII, 32 bytes at a time as
// utf8.ValidString scans ASCII (8 at a time cost four times as much).
func isASCII(s string) bool {
	const hiBits = 0x8080808080808080
	for len(s) >= 32 {
		if (word(s)|word(s[8:])|word(s[16:])|word(s[24:]))&hiBits != 0 {
			return false
		}
		s = s[32:]
	}
	for len(s) >= 8 {
		if word(s)&hiBits != 0 {
			return false
		}
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// word returns the first 8 bytes of s as a little-endian number: one load.
func word(s string) uint64 {
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// AllText returns a copy of all of r's text: the strings that KeyIn,
// TextIn, ValueIn, MessageIn, LoggerIn and DataIn return are pieces of
// it, so that a record sent elsewhere (Sentry Logs) costs one copy of its
// text rather than one per string. It allocates only when r has text.
func (r *Record) AllText() string { return string(r.data) }

// KeyIn returns a's key within all, a copy of r's text (see AllText).
func (r *Record) KeyIn(all string, a Attr) string { return r.strIn(all, a.key) }

// TextIn returns a's text within all, a copy of r's text (see AllText).
func (r *Record) TextIn(all string, a Attr) string { return r.strIn(all, a.text) }

// ValueIn is Value with r's text already copied into all (see AllText).
func (r *Record) ValueIn(all string, a Attr) any { return r.value(text{all: all}, &a, nil) }

// MessageIn is Message within all, a copy of r's text (see AllText).
func (r *Record) MessageIn(all string) string { return r.strIn(all, r.msg) }

// LoggerIn is Logger within all, a copy of r's text (see AllText).
func (r *Record) LoggerIn(all string) string { return r.strIn(all, r.logger) }

// DataIn is Data with r's text already copied into all (see AllText).
func (r *Record) DataIn(all string) map[string]any {
	return r.dataIn(checkedText(all), nil, nil, nil, false)
}

// Text is a copy of a record's text (see Record.CheckedText), checked for
// UTF-8 once as a whole: the keys and texts Record's Valid methods return
// are pieces of it, valid as buffer.Record.Data makes them, without a scan
// of each.
type Text struct{ t text }

// CheckedText returns a copy of all of r's text, as AllText, checked for
// UTF-8 once: a record sent to Sentry Logs, its keys and texts validated
// one by one, spent about 700 of its 27,600 instructions in
// utf8.ValidString (cachegrind, bench's SlogLogs/logcrumbs-logs).
func (r *Record) CheckedText() Text { return Text{checkedText(string(r.data))} }

// All returns the whole text: the strings that KeyIn, MessageIn and the
// other *In methods return, given it, are pieces of it.
func (t Text) All() string { return t.t.all }

// ValidKeyIn is KeyIn with invalid UTF-8 replaced by U+FFFD, as Data makes
// keys.
func (r *Record) ValidKeyIn(t Text, a Attr) string { return t.t.valid(a.key) }

// ValidStringValueIn is StringValueIn within t.
func (r *Record) ValidStringValueIn(t Text, a Attr) (string, bool) {
	if a.Kind == KindString || a.Kind == KindError || a.Kind == KindPanic {
		return t.t.valid(a.text), true
	}
	return r.stringValue(t.t.all, a)
}

// ValidValueIn is ValueIn within t.
func (r *Record) ValidValueIn(t Text, a Attr) any { return r.value(t.t, &a, nil) }
