// Package buffer holds logcrumbs' breadcrumb trail: a compact, logger-neutral
// record format whose values are copied into storage the record owns, a bounded
// ring of such records per unit of work, and the pool that recycles them.
//
// Nothing here allocates on the hot path once a record has been used once: a
// record's attribute and byte slices are reused from the pool, and a value is
// copied in, never referenced, so the trail shows each value as it was when it
// was logged and never keeps a caller's large value alive.
package buffer

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

// Level is a logger-neutral severity, mapped to Sentry's levels when a record
// is converted.
type Level int8

// The levels, in Sentry's order. Trace, below debug, is a level of Sentry
// Logs only: a breadcrumb or event of a trace record is at debug.
const (
	LevelTrace Level = iota - 1
	LevelDebug
	LevelInfo
	LevelWarning
	LevelError
	LevelFatal
)

// LevelOf maps a logger's level l to a Level, given where that logger's
// debug, info, warning, error and fatal levels start: below debug is
// trace, and each level runs up to the next one's start. Every
// integration maps its levels through it, so that they agree.
func LevelOf[L cmp.Ordered](l, debug, info, warning, err, fatal L) Level {
	switch {
	case l < debug:
		return LevelTrace
	case l < info:
		return LevelDebug
	case l < warning:
		return LevelInfo
	case l < err:
		return LevelWarning
	case l < fatal:
		return LevelError
	}
	return LevelFatal
}

// Kind says how an attribute's value is stored.
type Kind uint8

// The kinds of attribute values. Text kinds keep their bytes in the record's
// data; scalar kinds keep their bits in num.
const (
	KindString     Kind = iota // text; num holds the original length in bytes
	KindInt64                  // num holds the bits of an int64
	KindUint64                 // num holds the value
	KindFloat64                // num holds math.Float64bits
	KindBool                   // num is 0 or 1
	KindDuration               // num holds the bits of an int64 nanosecond count
	KindTime                   // num holds the bits of an int64 UnixNano, in UTC
	KindJSON                   // text holds one encoded JSON value, decoded at conversion
	KindGroupOpen              // starts a nested group named key
	KindGroupClose             // ends the innermost open group
	KindPanic                  // text says which method panicked while the value was read
	KindError                  // text holds the error's message; num holds the original length
	KindNull                   // a nil value
	kindCount
)

// span is a piece of a record's data.
type span struct{ off, len uint32 }

// Attr is one stored attribute. Its key and text live in the owning record's
// data, so an Attr is only meaningful together with its record.
type Attr struct {
	Kind Kind
	key  span
	text span
	num  uint64
}

// Limits bound what one record may keep. The zero value of a field means its
// default (see DefaultBreadcrumbLimits and DefaultEventLimits).
type Limits struct {
	MaxAttrs       int // attributes kept per record, group markers included
	MaxValueBytes  int // bytes kept of the message and of each text value
	MaxRecordBytes int // bytes kept of the message, keys and text values together
}

// DefaultBreadcrumbLimits bound the records kept in a trail: a full trail of
// the default 100 records keeps at most about 100 × 4 KiB of user data. A
// record in a trail keeps storage of at most twice the most it held, or 4 KiB
// of bytes and 64 attributes when that is more (see fitStorage): under
// these limits about 12.5 KiB a record (8.5 KiB of bytes, 128 attributes
// of 32 bytes, the record's 288), about 1.25 MB for a full trail at most.
var DefaultBreadcrumbLimits = Limits{MaxAttrs: 64, MaxValueBytes: 1024, MaxRecordBytes: 4096}

// DefaultEventLimits bound the record an event is built from. They are larger
// than a breadcrumb's because the event's own message and attributes are what
// a developer reads first, and smaller than Sentry's own event size limits.
var DefaultEventLimits = Limits{MaxAttrs: 512, MaxValueBytes: 16 << 10, MaxRecordBytes: 128 << 10}

// ringBytes and ringAttrs bound the storage a record keeps in a trail's
// ring when it holds less than half of it (see fitStorage).
const (
	ringBytes = 4 << 10
	ringAttrs = 64
)

// fitStorage gives r storage of its size, in place of storage more than
// twice that and over ringBytes or ringAttrs: a record from the pool may
// hold what an event record grew (up to maxPooledBytes and
// maxPooledAttrs, 48 KiB), and a trail's ring, which keeps its records
// for the unit of work's life and gives them back to the pool, would keep
// it for breadcrumbs of a few hundred bytes: 100 × 48 KiB a trail. It
// allocates, once for each such record, storage of ringBytes and
// ringAttrs (or r's size, if more): the breadcrumbs later filled in it in
// place do not grow it again. Out of line: Trail.push only tests the
// capacities.
//
//go:noinline
func (r *Record) fitStorage() {
	if cap(r.data) > ringBytes && cap(r.data) > 2*len(r.data) {
		r.data = append(make([]byte, 0, max(len(r.data), ringBytes)), r.data...)
	}
	if cap(r.attrs) > ringAttrs && cap(r.attrs) > 2*len(r.attrs) {
		r.attrs = append(make([]Attr, 0, max(len(r.attrs), ringAttrs)), r.attrs...)
	}
}

// WithDefaults returns l with every zero or negative field set from def.
func (l Limits) WithDefaults(def Limits) Limits {
	if l.MaxAttrs <= 0 {
		l.MaxAttrs = def.MaxAttrs
	}
	if l.MaxValueBytes <= 0 {
		l.MaxValueBytes = def.MaxValueBytes
	}
	if l.MaxRecordBytes <= 0 {
		l.MaxRecordBytes = def.MaxRecordBytes
	}
	return l
}

// Record is one log line in compact form. Build one with Get, fill it with the
// Add methods, and hand it to Trail.Append or Put.
//
// A Record is not safe for concurrent use; once appended to a trail it belongs
// to the trail.
type Record struct {
	// Time and Elapsed give the record's time: Time plus Elapsed (When).
	// A logger whose clock gives a base time and the monotonic time elapsed
	// since (zerologsentry) leaves the addition, time.Time.Add's 116
	// instructions, a tenth of a zerolog breadcrumb's cost, to the records
	// that are read.
	Time    time.Time
	Elapsed time.Duration
	Level   Level
	// The flags, next to Level: each alone between wider fields took 8
	// bytes, and the record one size class more (320 bytes, not 288).
	//
	// Truncated says that some text was cut to fit the limits.
	Truncated bool
	// Logged says the record was sent to Sentry Logs already (the Logs
	// level), so that Options.LogsOnEvent does not send it again.
	Logged bool
	full   bool // an attribute was dropped for MaxRecordBytes: drop the rest
	// errBufUsed says errBuf may hold errors: ErrorsSlot gave it out and
	// ReleaseErrors has not cleared it since.
	errBufUsed bool
	// ownID says whose the attributes of EventIDKey are (see AddEventID):
	// a user's field of that name cannot replace the event a breadcrumb
	// names. In the flags' word: no byte more.
	ownID ownID
	// PC is the program counter of the log call, when the logger recorded
	// one (slog's Record.PC, zap's caller), or zero: an event's stack starts
	// there.
	PC     uintptr
	logger span
	msg    span
	attrs  []Attr
	data   []byte
	limits Limits

	// DroppedAttrs counts the attributes that did not fit MaxAttrs.
	DroppedAttrs int
	// sent, when not nil, is shared by the copies of this record that
	// other trails hold (Trail.NewChild): sending any of them to Sentry
	// Logs marks them all, so that the record is sent once whichever unit
	// sends an event first (see Trail.TakeUnlogged).
	sent *atomic.Bool
	// event, when not nil, is the event whose ID the record names under
	// EventIDKey (see SetEvent): once its client drops it, a copy of the
	// record taken out of its trail names no event (copyFrom).
	event *eventref.Ref
	// open counts the groups opened and not yet closed, so that Close can
	// balance them and a dropped group open drops its close too.
	open, droppedOpen int
	// textStart marks where the text being written with Write began, or -1.
	textStart int
	textTotal int

	errs   []error  // see SetErrors
	errBuf [2]error // see ErrorsSlot

	// deferred, when parse is set, is the piece of data that holds fields
	// kept as their logger encoded them, which parse turns into attributes
	// when the record is read (see Defer).
	deferred span
	parse    Parser
}

// ellipsis marks text that was cut.
const ellipsis = "…"

// maxKeyBytes is how much of an attribute's key a record keeps: a longer
// key is cut there, the cut marked with the ellipsis.
const maxKeyBytes = 128

// MayBeCutKey reports whether key may be a key a record cut (see
// maxKeyBytes): 125 to 128 bytes, the last of them the ellipsis. What
// followed the cut is lost, a secret's name among it: the scrubbers take
// such a key for a secret's. A key logged that way whole is taken for one
// too, a value lost rather than a secret sent.
func MayBeCutKey(key string) bool {
	return len(key) > maxKeyBytes-utf8.UTFMax && strings.HasSuffix(key, ellipsis)
}

// Reset empties r for a new line and sets its limits, keeping its storage.
//
// It sets r field by field, every breadcrumb: assigning a whole Record
// literal is a typed copy of the struct, which while the GC runs puts every
// pointer slot of it (the slices, the errors, the parser) through the write
// barrier, even those that stay nil. Here the slices keep their pointers
// (only their lengths are written) and the errors and parser are written
// only when they are not nil already (the time's location is always
// written). TestResetClearsEveryField keeps this in step
// with the fields of Record.
func (r *Record) Reset(t time.Time, level Level, limits Limits) {
	r.Time, r.Elapsed, r.Level, r.PC = t, 0, level, 0
	r.logger, r.msg = span{}, span{}
	r.attrs, r.data = r.attrs[:0], r.data[:0]
	r.limits = limits
	r.Truncated, r.DroppedAttrs, r.Logged, r.ownID = false, 0, false, idNone
	if r.sent != nil {
		r.sent = nil
	}
	if r.event != nil {
		r.event = nil
	}
	r.open, r.droppedOpen = 0, 0
	r.textStart, r.textTotal, r.full = -1, 0, false
	r.ReleaseErrors()
	r.deferred = span{}
	if r.parse != nil {
		r.parse = nil
	}
}

// When returns the record's time: Time plus Elapsed.
func (r *Record) When() time.Time {
	if r.Elapsed == 0 {
		return r.Time
	}
	return r.Time.Add(r.Elapsed)
}

// SetMessage stores the message, cut to MaxValueBytes.
func (r *Record) SetMessage(msg string) { r.msg = r.appendText(msg, r.limits.MaxValueBytes) }

// SetLogger stores the logger's name, cut to 128 bytes.
func (r *Record) SetLogger(name string) { r.logger = r.appendText(name, 128) }

// SetNames stores the logger's name and the message, as SetLogger and then
// SetMessage do. When both fit whole, as nearly always, it copies them
// with one test of the limits and no call but memmove's: every record
// starts with them, and the two appendText calls cost about 20
// instructions a record more (cachegrind). Both are appended in one
// expression, so that r.data is written back once, not after each
// (ZapBreadcrumb/json+logcrumbs: SetNames 77 -> 65 instructions a record).
func (r *Record) SetNames(logger, msg string) {
	if len(logger) <= 128 && len(msg) <= r.limits.MaxValueBytes && len(logger)+len(msg) <= r.room() {
		n := len(r.data)
		r.logger = span{uint32(n), uint32(len(logger))}
		r.msg = span{uint32(n + len(logger)), uint32(len(msg))}
		r.data = append(append(r.data, logger...), msg...)
		return
	}
	r.SetLogger(logger)
	r.SetMessage(msg)
}

// SetNamesOf stores src's logger name and message, as SetLogger and
// SetMessage would, without making strings of them.
func (r *Record) SetNamesOf(src *Record) {
	r.logger = appendTextOf(r, src.bytes(src.logger), 128)
	r.msg = appendTextOf(r, src.bytes(src.msg), r.limits.MaxValueBytes)
}

// Message returns the stored message.
func (r *Record) Message() string { return r.str(r.msg) }

// Logger returns the stored logger name.
func (r *Record) Logger() string { return r.str(r.logger) }

// Bytes returns the number of bytes of text the record keeps.
func (r *Record) Bytes() int { return len(r.data) }

// Len returns the number of stored attributes, group markers included.
func (r *Record) Len() int { return len(r.attrs) }

// Attr returns the i-th stored attribute.
func (r *Record) Attr(i int) Attr { return r.attrs[i] }

// Key returns a's key.
func (r *Record) Key(a Attr) string { return r.str(a.key) }

// Text returns a's text (for text kinds).
func (r *Record) Text(a Attr) string { return r.str(a.text) }

// Num returns a's scalar bits (for scalar kinds), or the original length of a
// text value.
func (a Attr) Num() uint64 { return a.num }

func (r *Record) str(s span) string {
	if s.len == 0 {
		return ""
	}
	return string(r.data[s.off : s.off+s.len])
}

// bytes returns the bytes of s, for copying into another record: str's
// conversion allocates for texts over 32 bytes.
func (r *Record) bytes(s span) []byte { return r.data[s.off : s.off+s.len] }

// keyView returns the key at s as a view of r's bytes, for copying into
// another record, which copies it at once (add): str's conversion copied
// every key of every record an event's breadcrumb is copied from
// (runtime.slicebytetostring, about 30 instructions a key). Appending to
// the other record's data never writes the bytes a view shows, even when
// it is r's own: append writes only past their end, or into new memory.
func (r *Record) keyView(s span) string {
	b := r.bytes(s)
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// room returns how many more bytes of text the record may keep.
func (r *Record) room() int { return r.limits.MaxRecordBytes - len(r.data) }

// appendText copies s into data, cut to max bytes and to the record's room at
// a rune boundary, and marks the cut with an ellipsis.
//
// Text that fits whole, nearly all of it, is copied here; appendTextOf, a
// generic function called through a dictionary, cuts, and grows the
// storage. Every text took two calls, this one and appendTextOf, and a
// key still takes none: add copies it in place (cachegrind,
// SlogBreadcrumb/json+logcrumbs: about 110 instructions a record fewer, of
// logcrumbs' 1,910). Text that fits whole and fits the storage's capacity,
// as it nearly always does in a used record, is copied into the storage
// resliced, not appended: append's code to grow the storage sat in the
// middle of this one, two lines more of the instruction cache for every
// text (cachegrind's cache simulation, ZapBreadcrumb/json+logcrumbs).
func (r *Record) appendText(s string, max int) span {
	off := len(r.data)
	if len(s) <= max && len(s) <= r.room() && off+len(s) <= cap(r.data) {
		r.data = r.data[:off+len(s)]
		copy(r.data[off:], s)
		return span{uint32(off), uint32(len(s))}
	}
	return appendTextOf(r, s, max)
}

// appendTextOf is appendText for a string or bytes.
func appendTextOf[T string | []byte](r *Record, s T, max int) span {
	if room := r.room(); max > room {
		max = room
	}
	off := len(r.data)
	if len(s) <= max {
		r.data = append(r.data, s...)
		return span{uint32(off), uint32(len(s))}
	}
	r.Truncated = true
	n := max - len(ellipsis)
	if n < 0 {
		return span{uint32(off), 0}
	}
	n = cutPoint(s, n)
	r.data = append(r.data, s[:n]...)
	r.data = append(r.data, ellipsis...)
	return span{uint32(off), uint32(n + len(ellipsis))}
}

// cutPoint returns the largest i <= n such that s[:i] does not end inside a
// valid multi-byte rune: s[i] is not a continuation byte. It reads no byte
// after s[i]: endText has only the bytes the limit let in, where a rune
// starting at i may lack its last bytes, and it must cut where appendText,
// which has the whole text, does.
func cutPoint[T string | []byte](s T, n int) int {
	for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return i
		}
	}
	if n < utf8.UTFMax {
		return 0 // the search reached the start, which is always a boundary
	}
	return n
}

// add stores one attribute, or counts it as dropped when MaxAttrs is
// reached or MaxRecordBytes has no room left for its key (up to the 128
// bytes a key is cut to). Once one is dropped for room, every later one is
// too, so that an attribute never lands in the group of a dropped one.
//
// Nearly every attribute fits whole (its key within 128 bytes and the room
// left, below MaxAttrs): it is stored with four tests; addCut decides the
// rest. Once the record's storage has been used (a pooled record, or the
// one a full trail refills in place), the attribute and its key nearly
// always fit the capacity left: the slices are resliced in place, which
// writes back only their lengths where append writes the pointers too,
// behind a test of the write barrier; and a key of 4 to 16 bytes, as most
// are, is copied with two overlapping loads and stores, as memmove copies
// it, without memmove's call, across which add kept its values on the
// stack (cachegrind, ZapBreadcrumb/json+logcrumbs: 7,849 -> 7,795
// instructions a record, 4 keys). The same copy in appendText did not
// pay: too large to be inlined, it cost a call per text (+23).
func (r *Record) add(kind Kind, key string, num uint64) *Attr {
	data, attrs := r.data, r.attrs
	n, na := len(data), len(attrs)
	if len(key) <= maxKeyBytes && len(key) <= r.limits.MaxRecordBytes-n && na < r.limits.MaxAttrs && !r.full {
		if na < cap(attrs) && len(key) <= cap(data)-n {
			r.attrs = attrs[:na+1]
			a := &attrs[:na+1][na]
			*a = Attr{Kind: kind, key: span{uint32(n), uint32(len(key))}, num: num}
			// r.data resliced, not data: the compiler writes only the
			// length back; and the key's place is sliced from the local
			// copy, with no reload of r.data after the attribute's
			// stores (-21 instructions a record, 4 keys).
			r.data = r.data[:n+len(key)]
			// Both words are loaded before either is stored: the key may
			// lie just past d, in the bytes of a deferred record that its
			// parse reads in place (see Parser), and the first store
			// would overwrite the second word's bytes.
			d := data[n : n+len(key)]
			switch {
			case len(key) >= 8 && len(key) <= 16:
				lo, hi := le64(key), le64(key[len(key)-8:])
				binary.LittleEndian.PutUint64(d, lo)
				binary.LittleEndian.PutUint64(d[len(d)-8:], hi)
			case len(key) >= 4 && len(key) < 8:
				lo, hi := le32(key), le32(key[len(key)-4:])
				binary.LittleEndian.PutUint32(d, lo)
				binary.LittleEndian.PutUint32(d[len(d)-4:], hi)
			default:
				copy(d, key)
			}
			return a
		}
		r.attrs = append(r.attrs, Attr{Kind: kind, key: span{uint32(n), uint32(len(key))}, num: num})
		r.data = append(r.data, key...)
		return &r.attrs[na]
	}
	return r.addCut(kind, key, num)
}

// le64 and le32 read the first 8 and 4 bytes of s, as one load each where
// the compiler combines byte loads (amd64, arm64, ...), byte by byte
// elsewhere: no unaligned load is ever written by hand.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// addCut is add for an attribute that is dropped, or whose key is cut.
func (r *Record) addCut(kind Kind, key string, num uint64) *Attr {
	if !r.full && key != "" && r.room() < min(len(key), maxKeyBytes) {
		r.full = true
	}
	if len(r.attrs) >= r.limits.MaxAttrs || r.full {
		r.DroppedAttrs++
		return nil
	}
	r.attrs = append(r.attrs, Attr{Kind: kind, key: r.appendText(key, maxKeyBytes), num: num})
	return &r.attrs[len(r.attrs)-1]
}

// AddScalar stores a value whose bits fit num.
func (r *Record) AddScalar(kind Kind, key string, num uint64) { r.add(kind, key, num) }

// AddText stores a text value of a text kind (KindString, KindError, KindJSON,
// KindPanic), cut to MaxValueBytes. A KindJSON value that does not fit is kept
// as a cut KindString, so it never decodes as broken JSON.
func (r *Record) AddText(kind Kind, key, val string) {
	if kind == KindJSON && (len(val) > r.limits.MaxValueBytes || len(val) > r.room()) {
		kind = KindString
	}
	if a := r.add(kind, key, uint64(len(val))); a != nil {
		a.text = r.appendText(val, r.limits.MaxValueBytes)
	}
}

// BeginText starts a text value that the caller writes with Write (for
// example with fmt.Fprint) and ends with EndText.
func (r *Record) BeginText(kind Kind, key string) {
	r.textStart, r.textTotal = -1, 0
	if a := r.add(kind, key, 0); a != nil {
		r.textStart = len(r.data)
		a.text.off = uint32(r.textStart)
	}
}

// Write appends to the text begun with BeginText, within the limits. It never
// fails, so that a formatter writing into a record never stops half-way.
func (r *Record) Write(p []byte) (int, error) { return writeText(r, p), nil }

// WriteString is Write for a string.
func (r *Record) WriteString(s string) (int, error) { return writeText(r, s), nil }

func writeText[T string | []byte](r *Record, p T) int {
	r.textTotal += len(p)
	if r.textStart < 0 {
		return len(p)
	}
	max := r.limits.MaxValueBytes - (len(r.data) - r.textStart)
	if room := r.room(); max > room {
		max = room
	}
	if len(p) <= max {
		r.data = append(r.data, p...)
	} else if max > 0 {
		r.data = append(r.data, p[:max]...)
	}
	return len(p)
}

// EndText ends the text begun with BeginText and marks it if it was cut.
func (r *Record) EndText() {
	if r.textStart < 0 {
		return
	}
	a := &r.attrs[len(r.attrs)-1]
	a.num = uint64(r.textTotal)
	a.text = r.endText()
}

// BeginMessage starts the message, which the caller writes with Write and
// ends with EndMessage, for loggers that hold it encoded. It replaces any
// message set before.
func (r *Record) BeginMessage() { r.textStart, r.textTotal = len(r.data), 0 }

// EndMessage ends the message begun with BeginMessage.
func (r *Record) EndMessage() {
	if r.textStart >= 0 {
		r.msg = r.endText()
	}
}

// endText cuts the text being written, if it did not fit, at a rune
// boundary with an ellipsis, and returns where it lies.
func (r *Record) endText() span {
	if n := len(r.data) - r.textStart; n < r.textTotal {
		r.Truncated = true
		keep := n - len(ellipsis)
		if keep < 0 {
			keep = 0
		}
		keep = cutPoint(r.data[r.textStart:r.textStart+n], keep)
		r.data = r.data[:r.textStart+keep]
		if n >= len(ellipsis) && len(ellipsis) <= r.room() { // else nothing is kept, as in appendText
			r.data = append(r.data, ellipsis...)
		}
	}
	sp := span{uint32(r.textStart), uint32(len(r.data) - r.textStart)}
	r.textStart = -1
	return sp
}

// OpenGroup starts a nested group. Every OpenGroup must be matched by a
// CloseGroup; a group left empty is removed by CloseGroup.
func (r *Record) OpenGroup(key string) {
	if r.add(KindGroupOpen, key, 0) == nil {
		r.droppedOpen++
		return
	}
	r.open++
}

// CloseGroup ends the innermost open group. An empty group is removed, as
// slog's handlers do.
func (r *Record) CloseGroup() {
	if r.droppedOpen > 0 {
		r.droppedOpen--
		return
	}
	if r.open == 0 {
		return
	}
	r.open--
	if n := len(r.attrs); r.attrs[n-1].Kind == KindGroupOpen {
		r.attrs = r.attrs[:n-1]
		return
	}
	r.attrs = append(r.attrs, Attr{Kind: KindGroupClose}) // closes never count against MaxAttrs
}

// CloseAll closes every group still open.
func (r *Record) CloseAll() { r.CloseTo(0) }

// Depth is the number of groups open: a mark for CloseTo.
func (r *Record) Depth() int { return r.open + r.droppedOpen }

// CloseTo closes groups until depth are open, so that code which opened
// groups and then failed (a user's marshaler panicked) leaves r as it found it.
//
// A record whose fields are deferred keeps its groups open: they are
// closed after its fields, when they are parsed (Expand).
func (r *Record) CloseTo(depth int) {
	if r.parse != nil {
		return
	}
	for r.Depth() > depth {
		r.CloseGroup()
	}
}

// firstEventBytes and firstEventAttrs are the storage StartEvent gives a
// record new from the pool: about what an event's record holds (a message,
// a few attributes, an error's text), so that it is allocated once instead
// of grown a few times over.
const firstEventBytes, firstEventAttrs = 256, 8

// StartEvent makes room in r, just taken from the pool for an event, for
// what an event's record usually holds, if r is new (its storage not yet
// allocated). An event's record that fits a breadcrumb becomes one as it
// stands (Relimit): where the trail that keeps it is never emptied back
// into the pool (NewContext without a unit's end), the next event's record
// is new, and growing it as it is written took 7 allocations more
// (ZapEvent/json+logcrumbs-empty: 61 allocations, 54 with StartEvent).
// Both are made as one allocation (see growNew).
func (r *Record) StartEvent() {
	if cap(r.data) == 0 {
		r.growNew(firstEventBytes, firstEventAttrs)
	}
}

// growNew is Grow for a record with no storage yet: its attributes and its
// text in one allocation, not one each (ZapEvent/json+logcrumbs-empty, 50
// -> 49 allocs/op), the two arrays of one struct: each slice's capacity
// ends where its array does, and either outgrows it into an array of its
// own as Grow's would. Only for StartEvent's sizes: a record whose limits
// leave less room gets less of the struct's (rare: an event's limits are
// larger than these).
func (r *Record) growNew(n, attrs int) {
	n = max(0, min(n, r.room()))
	attrs = max(0, min(attrs, r.limits.MaxAttrs-len(r.attrs)))
	if n == 0 || attrs == 0 || n > firstEventBytes || attrs > firstEventAttrs || cap(r.attrs) != 0 || cap(r.data) != 0 {
		r.Grow(n, attrs)
		return
	}
	block := new(struct {
		attrs [firstEventAttrs]Attr
		data  [firstEventBytes]byte
	})
	r.attrs = block.attrs[:0:attrs]
	r.data = block.data[:0:n]
}

// Grow makes room in r for n more bytes of text and attrs more attributes,
// within its limits, so that filling it with what is known to come
// allocates once for each rather than as it grows.
func (r *Record) Grow(n, attrs int) {
	r.data = slices.Grow(r.data, max(0, min(n, r.room())))
	r.attrs = slices.Grow(r.attrs, max(0, min(attrs, r.limits.MaxAttrs-len(r.attrs))))
}

// AppendRecord copies src's attributes into r, within r's limits. Groups that
// src left open stay open in r (and count in r's open groups), which is how a
// handler's pre-formatted WithAttrs/WithGroup state is reused.
//
// Fields src keeps deferred (see Defer) stay deferred in r when parsing
// them into r reads the same as copying them parsed (see keepsDeferred):
// their bytes are copied, as Defer copies them, and nothing may be added
// to r after. Otherwise src is expanded first.
func (r *Record) AppendRecord(src *Record) {
	deferred := src.parse != nil && r.keepsDeferred(src)
	if src.parse != nil && !deferred {
		src.Expand()
	}
	for _, a := range src.attrs {
		switch a.Kind {
		case KindGroupOpen:
			r.OpenGroup(src.keyView(a.key))
		case KindGroupClose:
			r.CloseGroup()
		case KindString, KindError, KindJSON, KindPanic:
			if b := r.add(a.Kind, src.keyView(a.key), a.num); b != nil {
				b.text = appendTextOf(r, src.bytes(a.text), r.limits.MaxValueBytes)
			}
		default:
			r.add(a.Kind, src.keyView(a.key), a.num)
		}
	}
	r.DroppedAttrs += src.DroppedAttrs
	r.Truncated = r.Truncated || src.Truncated
	if deferred {
		r.Defer(src.bytes(src.deferred), src.parse) // it fits (keepsDeferred)
	}
}

// keepsDeferred reports whether src's deferred fields, parsed into r after
// src's attributes, read exactly as src's fields parsed within src's
// limits and then copied into r, the two cuts in a row: when no value of
// them is cut at either limit (a value's text is at most its encoded
// bytes, quotes included: an escape decodes to no more than itself, but
// for a \u cut off at the string's end, whose 3 bytes of U+FFFD the
// quotes make up for), r has room for all of src (no byte
// bound binds), and neither record's MaxAttrs can bind (a Parser writes
// at most len(raw)/2+1 attributes, see Parser). Fields longer than a
// value's limit, rare in a breadcrumb, are expanded and copied.
//
// MaxAttrs must not bind in r, not merely keep r within src's count: a
// group opened past r's limit counts as a dropped attribute even when it
// would have closed empty, where src, below its own limit, opens it and
// takes it out again, and its copy counts nothing (a zerolog Dict with
// no fields past the 63rd field of an event: its skipped repeat's
// breadcrumb showed more dropped attributes than the repeat's before it).
func (r *Record) keepsDeferred(src *Record) bool {
	n := int(src.deferred.len)
	return r.parse == nil && r.textStart < 0 && len(src.data) <= r.room() &&
		n <= r.limits.MaxValueBytes && n <= src.limits.MaxValueBytes && r.limits.MaxAttrs <= src.limits.MaxAttrs &&
		len(r.attrs)+len(src.attrs)+n/2+1 <= r.limits.MaxAttrs
}

// EventIDKey is the key under which an error record's breadcrumb names the
// event it was sent as, or the earlier event it was folded into.
const EventIDKey = "sentry.event_id"

// SetEvent notes that r names ev's event under EventIDKey, added to r
// before any other attribute of that key (a breadcrumb's, see
// escalate.Escalator.breadcrumbOf): once ev's client drops it, copies of
// r name no event. A nil ev (an ID known only as text) is named for good.
func (r *Record) SetEvent(ev *eventref.Ref) { r.event = ev }

// unnameEvent takes out of r, a copy of a record whose event was dropped
// (see SetEvent), the attribute that names it: the first of EventIDKey.
// Its bytes stay, unread. Out of line: a copy whose event was dropped is
// rare.
//
//go:noinline
func (r *Record) unnameEvent() {
	for i, a := range r.attrs {
		if a.Kind == KindString && a.key.len == uint32(len(EventIDKey)) && string(r.bytes(a.key)) == EventIDKey {
			r.attrs = append(r.attrs[:i], r.attrs[i+1:]...)
			break
		}
	}
	r.event = nil
	if r.ownID == idFirst {
		r.ownID = idNoneOwn
	}
}

// copyFrom makes r an exact copy of src, reusing r's storage.
//
// It copies field by field, as Reset sets them: assigning *src was a
// typed copy of the whole struct, which while the GC runs put every
// pointer slot through the write barrier (the slices twice, copied and
// then replaced by r's own), for every record of every trail an event
// copies. Here the slices keep their pointers when their storage is large
// enough, and the errors and parser are written only when either side
// holds one. TestCopyFromCopiesEveryField keeps this in step with the
// fields of Record.
func (r *Record) copyFrom(src *Record) {
	r.Time, r.Elapsed, r.Level, r.PC = src.Time, src.Elapsed, src.Level, src.PC
	r.logger, r.msg = src.logger, src.msg
	// Resliced within their capacity, as they mostly are, the slices'
	// pointers are not written back, nor tested for the write barrier
	// (BenchmarkBreadcrumbs: 2,538 -> 2,528 instructions a breadcrumb).
	if len(src.attrs) <= cap(r.attrs) {
		r.attrs = r.attrs[:len(src.attrs)]
		copy(r.attrs, src.attrs)
	} else {
		r.attrs = append(r.attrs[:0], src.attrs...)
	}
	if len(src.data) <= cap(r.data) {
		r.data = r.data[:len(src.data)]
		copy(r.data, src.data)
	} else {
		r.data = append(r.data[:0], src.data...)
	}
	r.limits = src.limits
	r.Truncated, r.DroppedAttrs, r.Logged, r.ownID = src.Truncated, src.DroppedAttrs, src.Logged, src.ownID
	if r.sent != nil || src.sent != nil {
		r.sent = src.sent
	}
	if r.event != nil || src.event != nil {
		r.event = src.event
		if src.event.Dropped() {
			r.unnameEvent()
		}
	}
	r.open, r.droppedOpen = src.open, src.droppedOpen
	r.textStart, r.textTotal, r.full = src.textStart, src.textTotal, src.full
	if r.errs != nil || src.errs != nil {
		r.errs = src.errs
	}
	// errBuf holds errors only while errBufUsed (see ReleaseErrors): read
	// only then, as most records have none (BenchmarkBreadcrumbs, in
	// internal/event: 2,846 -> 2,824 instructions a breadcrumb).
	if r.errBufUsed || src.errBufUsed {
		for i := range r.errBuf {
			if r.errBuf[i] != nil || src.errBuf[i] != nil {
				r.errBuf[i] = src.errBuf[i]
			}
		}
	}
	r.errBufUsed = src.errBufUsed
	r.deferred = src.deferred
	if r.parse != nil || src.parse != nil {
		r.parse = src.parse
	}
}
