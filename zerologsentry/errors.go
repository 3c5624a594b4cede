package zerologsentry

import (
	"encoding/json"
	"hash/maphash"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
	"weak"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// ErrorMarshalFunc wraps next (zerolog's current ErrorMarshalFunc, or nil for
// zerolog's default) so that logcrumbs can find the real error value behind
// the text zerolog writes, without changing what zerolog writes:
//
//	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
//
// zerolog hands hooks and writers an error only as its text. With this in
// place, the errors of .Err, .AnErr and .Errs fields are remembered, by their text,
// in a small process-wide table (the 256 most recent, fewer when their
// texts pass 4 MiB in all: the most recent always), and an event whose
// field holds that text gets the real error: its type, its %w chain and its
// stack trace. Without it, the event's exception is the text, of type
// "error", with the stack zerolog encoded next to it, if any (see
// zerolog.ErrorStackMarshaler). When next gives zerolog a text in place of
// the error (err.Error(), fmt.Sprintf("%+v", err)), the error is remembered
// by that text; a next that gives an object (zerolog.LogObjectMarshaler, a
// map) leaves the error unknown, as zerolog writes no text of it.
//
// The table is matched by text alone, across the process: a field whose
// text is that of an error written recently gets that error, whichever
// request wrote it and whatever the field (a .Str field with the same text
// too), and an error added to a logger with With() is written once, so an
// event of that logger may get a newer error of the same text. Errors with
// texts of their own (most wrapped errors) are not affected; short generic
// texts ("not found", "pending") may be. Each remembered error costs one
// small allocation, the first time it is logged: an error logged over and
// over (an error storm) costs none after.
//
// The table keeps alive the 64 errors written most recently, and what they
// reference: an event's record is looked up as soon as zerolog writes it,
// when the error may be the table's alone (made in the log call). Older
// ones of a pointer type (*T, as errors.New and fmt.Errorf make) are held
// weakly once a garbage collection has run since they were written: found
// while the program holds them (a package's error variable, one a
// variable still in use holds), else collected at the next one, with
// what they reference (a response body an error holds for a retry). A
// logger given an error with With() holds only its text (zerolog writes
// it once): unless the program holds the error, that logger's records get
// it as text alone (type "error", no chain) once 64 newer errors were
// written and two collections ran.
// Between two collections the table may hold all of its 256 errors.
// Errors of other types (a struct or a number made an error) are kept
// alive as long as the table remembers them: 256 at most.
func ErrorMarshalFunc(next func(error) any) func(error) any {
	return func(err error) any {
		v := any(err)
		if next != nil {
			v = next(err)
		}
		switch v := v.(type) {
		case zerolog.LogObjectMarshaler: // zerolog writes it as an object
			return v
		case *remembered: // ErrorMarshalFunc wrapped twice
			return v
		case string:
			// next writes err as this text (err.Error(), or its own
			// rendering): remembered by it, and written as it. An empty
			// text would be any empty string member's.
			if v != "" && err != nil && !render.IsNil(err) {
				return rememberedAs(err, v)
			}
			return v
		}
		if m, ok := v.(error); ok && !render.IsNil(m) {
			return rememberedOf(m)
		}
		return v
	}
}

// rememberedOf returns err's remembered value: the one made for err lately,
// else a new one. A remembered value's error never changes and zerolog keeps
// none, so one serves every record of err; making one per record was a
// skipped repeat's only allocation left with ErrorMarshalFunc.
func rememberedOf(err error) *remembered {
	words := (*[2]uintptr)(unsafe.Pointer(&err)) // the type and the data word
	if r := cacheSlot(err).Load(); r != nil && !r.as && *(*[2]uintptr)(unsafe.Pointer(&r.err)) == *words {
		return r // the same dynamic type and data: the same value
	}
	return &remembered{err: err} // cached once zerolog writes it (errorTable.add)
}

// rememberedAs is rememberedOf for an error that the program's
// ErrorMarshalFunc gave zerolog as text, which zerolog writes in place of
// err's own: the one made for err and text lately, else a new one.
func rememberedAs(err error, text string) *remembered {
	words := (*[2]uintptr)(unsafe.Pointer(&err))
	if r := cacheSlot(err).Load(); r != nil && r.as && r.text == text && *(*[2]uintptr)(unsafe.Pointer(&r.err)) == *words {
		return r
	}
	return &remembered{err: err, text: text, as: true}
}

// cacheSlot returns err's slot in rememberedCache, by a hash of its
// interface words.
func cacheSlot(err error) *atomic.Pointer[remembered] {
	words := (*[2]uintptr)(unsafe.Pointer(&err))
	return &rememberedCache[(words[0]^words[1])>>4%uintptr(len(rememberedCache))]
}

// rememberedCache holds the remembered values written lately, by a hash of
// their errors' interface words; a collision only makes a new one. It holds
// only values that entries of recent hold strongly (errorTable.add stores
// them, drop and demote take them out): an error pushed out of recent, or
// held weakly there, is not kept alive.
var rememberedCache [64]atomic.Pointer[remembered]

// remembered is what zerolog writes in place of an error: the same text
// (err's, or, as, the text the program's ErrorMarshalFunc gave for it),
// noted in recent as zerolog asks for it.
type remembered struct {
	err     error
	text    string // written in place of err.Error(), when as
	entries int    // the entries of recent that hold it strongly, guarded by recent.mu
	// weak is err held weakly (see weakErr), made the first time an entry
	// of it is demoted (see errorTable.demote), if weakMade and err is of
	// a pointer type; guarded by recent.mu. (as and weakMade last, side by
	// side: 64 bytes, a size class less.)
	weak     weakErr
	as       bool
	weakMade bool
}

// weakErr is an error of a pointer type held weakly: the type word of its
// interface and a weak pointer to what its data word points to. Its zero
// value holds none.
type weakErr struct {
	tab unsafe.Pointer // the interface's type word (an itab: never freed)
	p   weak.Pointer[byte]
}

// makeWeakErr returns err held weakly, or false when err is not of a
// pointer type (its data word is then a box the program's copies of err
// need not share) or is a nil pointer.
func makeWeakErr(err error) (weakErr, bool) {
	if err == nil || reflect.TypeOf(err).Kind() != reflect.Pointer {
		return weakErr{}, false
	}
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(&err))
	if w[1] == nil {
		return weakErr{}, false
	}
	return weakErr{tab: w[0], p: weak.Make((*byte)(w[1]))}, true
}

// get returns the error w holds, or nil once it is collected (or w holds
// none).
func (w weakErr) get() error {
	if w.tab == nil {
		return nil
	}
	p := w.p.Value()
	if p == nil {
		return nil
	}
	var err error
	words := (*[2]unsafe.Pointer)(unsafe.Pointer(&err))
	words[0], words[1] = w.tab, unsafe.Pointer(p)
	return err
}

// Error returns the text zerolog writes for r's error, and remembers r by
// that text as zerolog writes it: a text that is not valid UTF-8 by the
// text with each bad byte made U+FFFD (asWritten), which a record's field
// holds once read back.
func (r *remembered) Error() string {
	text := r.text
	if !r.as {
		text = r.err.Error()
	}
	if utf8.ValidString(text) {
		recent.add(text, r)
	} else {
		recent.add(asWritten(text), r)
	}
	return text
}

// recent holds the errors zerolog wrote most recently, by text.
var recent errorTable

// errorTable is a ring of the errors written most recently, with an index
// of the newest entry of each text: a record looks up each of its string
// members (.AnErr writes an error under any key), and scanning the whole
// ring for each was a sixth of a skipped repeat's time. Until the first
// error is remembered (ErrorMarshalFunc not installed, zerolog's default),
// a look-up does not even lock; after, a text the filter rules out
// (mayHold) is not looked up: a record's strings that are no error's
// text (the thousands of an .Strs array) cost a hash each, not a lock.
type errorTable struct {
	used atomic.Bool // an error was added: find must look
	// gen changes, before the index does, whenever a text it did not hold
	// is added to it: the one change that makes find answer a text it
	// gave nil for (what a scanMemo keeps, which holds no error find gave).
	// The filter's bits of that text are set before gen changes, so that
	// a scan that read gen before a text was added, and found its bits
	// unset, sees gen change since (see mayHold).
	gen atomic.Uint64
	// filter is a counting Bloom filter of the entries' texts: the two
	// bits of a text's hash (filterBitsOf) are set while an entry holds a
	// text that sets them, as counts counts. Read without the lock.
	filter  [filterBits / 64]atomic.Uint64
	counts  [filterBits]uint16 // guarded by mu: 2 per entry at most, 256 entries
	mu      sync.Mutex
	next    int
	entries [256]recentEntry
	newest  map[string]int // text -> the index of its newest entry
	// bytes is the length of the entries' texts, at most maxRecentBytes
	// but for the newest entry's (see shed).
	bytes int
	// demotions counts the calls of demoteOld (for tests).
	demotions atomic.Uint64
}

// recentEntry is an entry of errorTable: an error written as text, held
// strongly by its remembered value r, or, once demoted (see
// errorTable.demote), weakly by w, with r nil.
type recentEntry struct {
	text string
	r    *remembered
	w    weakErr
}

// used reports whether e holds an error (strongly or weakly).
func (e *recentEntry) used() bool { return e.r != nil || e.w.tab != nil }

// err returns the error e holds, or nil (collected, or none).
func (e *recentEntry) err() error {
	if e.r != nil {
		return e.r.err
	}
	return e.w.get()
}

// maxRecentBytes bounds the texts the table keeps, and with them the
// errors (a text is usually its error's own, or built from what the error
// holds): errors whose texts hold a response body (an upstream's error
// page) kept up to 256 of them alive, hundreds of MiB.
const maxRecentBytes = 4 << 20

// strongRecent is how many of the table's newest entries hold their
// errors strongly after a garbage collection (see demoteOld): the errors
// of a record are looked up as zerolog writes it, right after they were
// added, while other goroutines add theirs; they are found then even when
// the table holds them alone.
const strongRecent = 64

func (t *errorTable) add(text string, r *remembered) {
	t.mu.Lock()
	if t.newest == nil {
		t.newest = make(map[string]int, len(t.entries))
		t.used.Store(true)
		if t == &recent {
			t.armDemotion()
		}
	}
	// Counted before the old entry's text is uncounted, which may share a
	// bit with it (no bit of text is unset meanwhile), and before gen
	// changes (see gen).
	t.count(text, true)
	// The entry replaced is the oldest: as drop forgets it, inline (an
	// error storm replaces one with every record).
	if old := &t.entries[t.next]; old.used() {
		if t.newest[old.text] == t.next {
			delete(t.newest, old.text)
		}
		t.count(old.text, false)
		if old.r != nil {
			if old.r.entries--; old.r.entries == 0 {
				cacheSlot(old.r.err).CompareAndSwap(old.r, nil)
			}
		}
	}
	t.bytes += len(text) - len(t.entries[t.next].text)
	t.entries[t.next] = recentEntry{text: text, r: r}
	r.entries++
	cacheSlot(r.err).Store(r)
	if _, ok := t.newest[text]; !ok {
		t.gen.Add(1)
	}
	t.newest[text] = t.next
	t.next = (t.next + 1) % len(t.entries)
	if t.bytes > maxRecentBytes {
		t.shed()
	}
	t.mu.Unlock()
}

// gcTick is allocated for its collection alone (see armDemotion): with a
// pointer, so that it is not a tiny allocation, which may share its
// memory with a live one and never be collected.
type gcTick struct{ _ *gcTick }

// armDemotion has demoteOld run after the next garbage collection, and
// armDemotion again: once a cycle, for the life of the process, from the
// first error remembered on. The demotion is done there, off the logging
// path, rather than as an entry grows old in add: a weak pointer costs
// about 400 ns to make, most of a new error's add, under t.mu.
func (t *errorTable) armDemotion() {
	runtime.AddCleanup(&gcTick{}, func(t *errorTable) {
		t.demoteOld()
		t.armDemotion()
	}, t)
}

// demoteOld makes the entries older than the newest strongRecent hold
// their errors weakly (see demote): an error the program no longer holds
// is collected at the next garbage collection, with what it references.
func (t *errorTable) demoteOld() {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.entries)
	for age := strongRecent; age < n; age++ {
		if e := &t.entries[(t.next-1-age+2*n)%n]; e.r != nil {
			t.demote(e)
		}
	}
	t.demotions.Add(1)
}

// demote makes e, an entry holding its error strongly, hold it weakly,
// when its error is of a pointer type (see makeWeakErr); else it is kept
// as it is. t.mu must be held.
func (t *errorTable) demote(e *recentEntry) {
	r := e.r
	if !r.weakMade {
		r.weak, _ = makeWeakErr(r.err)
		r.weakMade = true
	}
	if r.weak.tab == nil {
		return
	}
	e.r, e.w = nil, r.weak
	// Its last strong entry gone, its error must not outlive it in the
	// cache.
	if r.entries--; r.entries == 0 {
		cacheSlot(r.err).CompareAndSwap(r, nil)
	}
}

// drop forgets entry i. t.mu must be held.
func (t *errorTable) drop(i int) {
	old := &t.entries[i]
	// The index names it only if no newer entry has its text.
	if t.newest[old.text] == i {
		delete(t.newest, old.text)
	}
	t.count(old.text, false)
	// Its last entry gone, its error must not outlive it in the cache.
	if old.r != nil {
		if old.r.entries--; old.r.entries == 0 {
			cacheSlot(old.r.err).CompareAndSwap(old.r, nil)
		}
	}
	t.bytes -= len(old.text)
	*old = recentEntry{}
}

// shed forgets the oldest entries, all but the newest if need be, until
// the texts fit in maxRecentBytes. t.mu must be held.
func (t *errorTable) shed() {
	n := len(t.entries)
	newest := (t.next + n - 1) % n
	for i := t.next; t.bytes > maxRecentBytes && i != newest; i = (i + 1) % n {
		if t.entries[i].used() {
			t.drop(i)
		}
	}
}

// filterBits is the number of bits of errorTable.filter: with the 256
// entries' texts setting 2 bits each, at most an eighth of them are set,
// and a text no entry holds passes the filter with a chance of 1 in 64 at
// most.
const filterBits = 1 << 12

// filterSeed seeds the hashes of errorTable.filter.
var filterSeed = maphash.MakeSeed()

// filterBitsOf returns the two bits of errorTable.filter of the text whose
// hash is h.
func filterBitsOf(h uint64) (a, b uint32) { return uint32(h) % filterBits, uint32(h>>32) % filterBits }

// count counts an entry of text in the filter (up), or no longer (not
// up), setting or unsetting its bits as their counts leave or reach 0.
// t.mu must be held.
func (t *errorTable) count(text string, up bool) {
	a, b := filterBitsOf(maphash.String(filterSeed, text))
	for _, i := range [2]uint32{a, b} {
		word, bit := &t.filter[i/64], uint64(1)<<(i%64)
		if up {
			if t.counts[i]++; t.counts[i] == 1 {
				word.Or(bit)
			}
		} else if t.counts[i]--; t.counts[i] == 0 {
			word.And(^bit)
		}
	}
}

// mayHold reports whether an entry may hold the text of the JSON string
// raw (without its quotes; esc: with escapes, hashed as its text, without
// unescaping it into memory of its own): false when the filter rules it
// out, without the lock. A text added since gen was read may be ruled out
// only if gen changed since (see gen).
func (t *errorTable) mayHold(raw []byte, esc bool) bool {
	var h uint64
	if !esc {
		h = maphash.Bytes(filterSeed, raw)
	} else {
		h = unescapedHash(raw)
	}
	a, b := filterBitsOf(h)
	return t.filter[a/64].Load()&(uint64(1)<<(a%64)) != 0 && t.filter[b/64].Load()&(uint64(1)<<(b%64)) != 0
}

// unescapedHash returns the hash of the text of the JSON string raw, which
// has escapes, as maphash.String(filterSeed, text(raw, true)) without the
// text's allocation.
//
//go:noinline
func unescapedHash(raw []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(filterSeed)
	var tmp [utf8.UTFMax]byte
	for len(raw) > 0 {
		var piece []byte
		piece, raw = nextPiece(raw, &tmp)
		_, _ = h.Write(piece)
	}
	return h.Sum64()
}

// lookup is find for the text of the JSON string raw (without its quotes;
// esc: with escapes), ruled out by the filter first: a text no entry
// holds is neither unescaped nor looked up under the lock, most of the
// time.
func (t *errorTable) lookup(raw []byte, esc bool) error {
	if !t.used.Load() || !t.mayHold(raw, esc) {
		return nil
	}
	return t.find(text(raw, esc))
}

// find returns the most recent error written as text, or nil. It does not
// keep text, which may be a view of zerolog's bytes.
func (t *errorTable) find(text string) error {
	if !t.used.Load() {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if i, ok := t.newest[text]; ok {
		return t.entries[i].err()
	}
	return nil
}

// errorGatherer gathers a record's errors as the scanner copies its fields,
// for the event path (copyWithErrors): the real values ErrorMarshalFunc
// remembered, else the text of the error field, with the stack zerolog
// encoded beside it. The scanner calls it directly: through function
// values, as it was, the closures and the stack they shared moved to the
// heap (3 of a skipped repeat's 6 allocations). Its zero value gathers
// nothing.
type errorGatherer struct {
	errs  *[]error // nil: gather nothing
	first int      // len(*errs) before this record's fields
	stack []byte   // the error stack member's encoded value: a view of zerolog's bytes
	// remembered: an error came from recent (see scanMemo.keep).
	remembered bool
}

// member sees a top-level string member as zerolog encoded it. Its text is
// looked up as a view of zerolog's bytes, and copied only for a text-only
// error, which outlives them.
func (g *errorGatherer) member(key string, raw []byte, esc bool) {
	if g.errs == nil {
		return
	}
	if err := recent.lookup(raw, esc); err != nil {
		*g.errs = append(*g.errs, err)
		g.remembered = true
		return
	}
	if key == zerolog.ErrorFieldName {
		*g.errs = append(*g.errs, textError(raw, esc))
	}
}

// array sees a top-level array member as zerolog encoded it: .Errs writes
// its errors' texts as one. Each string element whose text is that of an
// error written recently is gathered, as member gathers a string member's;
// other elements (null for a nil error, objects, nested arrays) are not.
// An element the table's filter rules out costs its hash (see
// errorTable.lookup): a long .Strs array takes no lock per string.
func (g *errorGatherer) array(raw []byte) {
	if g.errs == nil || !recent.used.Load() {
		return
	}
	for i := 1; i < len(raw); { // raw[0] is the opening bracket
		switch raw[i] {
		case '"':
			end, esc, ok := strEnd(raw, i)
			if !ok {
				return
			}
			if err := recent.lookup(raw[i+1:end], esc); err != nil {
				*g.errs = append(*g.errs, err)
				g.remembered = true
			}
			i = end + 1
		case '{', '[':
			end, ok := skipValue(raw, i)
			if !ok {
				return
			}
			i = end
		default:
			i++
		}
	}
}

// textError returns the text-only error of an error field zerolog encoded
// as raw: the one made lately for the same text, else a new one. Making one
// per record (the error and its text) was a skipped repeat's 2 allocations
// with zerolog's default ErrorMarshalFunc. The errors are shared, so never
// written once made (done gives a record's error a stack in a copy of its
// own); a text with escapes, or longer than maxSharedText, is not shared.
func textError(raw []byte, esc bool) *core.TextError {
	if esc || len(raw) > maxSharedText {
		return &core.TextError{Text: owned(raw, esc)}
	}
	slot := textErrorSlot(unsafe.String(unsafe.SliceData(raw), len(raw)))
	if te := slot.Load(); te != nil && te.Text == string(raw) { // compared without a copy
		return te
	}
	te := &core.TextError{Text: string(raw)}
	slot.Store(te) // a collision replaces the slot's error: the next of either text makes a new one
	return te
}

// textErrorSlot returns the slot of textErrorCache for text.
func textErrorSlot(text string) *atomic.Pointer[core.TextError] {
	return &textErrorCache[maphash.String(textErrorSeed, text)%uint64(len(textErrorCache))]
}

// textErrorCache holds the text-only errors made lately, by a hash of their
// texts: at most len(textErrorCache) errors of at most maxSharedText bytes
// each (about 64 KiB in all).
var textErrorCache [64]atomic.Pointer[core.TextError]

// maxSharedText bounds the texts textErrorCache keeps.
const maxSharedText = 1 << 10

var textErrorSeed = maphash.MakeSeed()

// skipped sees a top-level member the copy leaves out.
func (g *errorGatherer) skipped(key string, value []byte) {
	if g.errs != nil && key == zerolog.ErrorStackFieldName {
		g.stack = value
	}
}

// done gives the record's first text-only error the stack zerolog encoded,
// if any.
func (g *errorGatherer) done() {
	if g.errs == nil || g.stack == nil {
		return
	}
	errs := (*g.errs)[g.first:]
	for i, err := range errs {
		if te, ok := err.(*core.TextError); ok {
			// A copy: te may be shared with other records (see textError).
			errs[i] = &core.TextError{Text: te.Text, Type: te.Type, Stack: decodeStack(g.stack)}
			return
		}
	}
}

// decodeStack converts the stack zerolog encoded with pkgerrors.MarshalStack
// (a list of {"func", "line", "source"}, innermost first) to a Sentry stack
// trace, outermost first. It returns nil for anything else.
func decodeStack(raw []byte) *sentry.Stacktrace {
	var frames []map[string]any
	if json.Unmarshal(raw, &frames) != nil || len(frames) == 0 {
		return nil
	}
	st := &sentry.Stacktrace{Frames: make([]sentry.Frame, 0, len(frames))}
	for i := len(frames) - 1; i >= 0; i-- {
		f := frames[i]
		fn, _ := f["func"].(string)
		file, _ := f["source"].(string)
		var line int
		switch l := f["line"].(type) {
		case string:
			line, _ = strconv.Atoi(l)
		case float64:
			line = int(l)
		}
		st.Frames = append(st.Frames, sentry.Frame{Function: fn, Filename: file, Lineno: line, InApp: true})
	}
	return st
}
