package buffer

import (
	"reflect"
	"time"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

// capturedSize is how many captured errors a trail remembers for
// capture-once. A unit of work that reports more distinct errors than this
// may see an old one reported again.
const capturedSize = 32

// fallbackCapturedBytes bounds the texts of the errors the fallback trail
// remembers (see capturedEntry.size): the fallback trail lives as long as
// the process, and a trail remembers its errors, and what they hold, until
// newer ones take their places. Past it, its oldest entries are forgotten
// (an error of theirs logged again is a new event) down to the newest
// capture's, always kept, however large: the fallback trail keeps alive
// the errors of its last 32 captures, of texts under 1 MiB together, or
// the errors of the capture last made (a record's, or one captured by
// hand). What an error holds beside its text (a field no Error
// method reads) is not counted. A unit of work's trail is not bounded so:
// it goes with its unit.
const fallbackCapturedBytes = 1 << 20

// maxChain bounds how many errors of one chain are compared, so that a very
// deep or cyclic Unwrap chain cannot stall logging.
const maxChain = 64

type capturedEntry struct {
	err error
	id  string
	// ref is the event id names when it has a reference (an event
	// logcrumbs handed to a client, this trail's or another's that noise
	// control deduplicated against): once its client drops it, the entry
	// names no event (see name), as NotSent would have left it, found
	// while the client decided or after.
	ref   *eventref.Ref
	at    time.Time
	owner any // see CaptureOnceFor
	// text is err's text when captured, and textOnly whether err is known
	// by it alone (see TextOnly): a text-only error and a real one are
	// matched by their texts.
	text     string // "" when err is never matched by its text (see byText)
	textOnly bool
	// handedBack is set for an error a job returned to the records logged
	// without a unit of work (see HandBackNamed): on the fallback trail, which
	// matches no other entry by text, a text-only error of its text (a
	// zerolog record of the caller's) is that job's event, for the job's
	// client and within its window.
	handedBack bool
	// size is the length of the texts of err and its incomparable errors,
	// set on the fallback trail's entries only (see fallbackCapturedBytes).
	// An int32 beside the flags: the entry is no larger.
	size int32
	// several says err was one of a record's several errors, remembered
	// together under one event (see sharedID): two records of one error
	// each, deduplicated against one event, hold it each alone.
	several bool
	// idents holds the errors of err's chain whose type is incomparable
	// (found again by identity, see same), with their texts when captured:
	// if one's text has changed since, the storage it points to was reused
	// for another error (a slice refilled from buf[:0], a map cleared), and
	// err is no longer found by identity.
	idents []capturedIdent
}

type capturedIdent struct {
	err  error
	text string
}

// newEntry returns the entry for err, captured as id at now, whose chain is
// chain.
func newEntry(err error, chain []error, id string, now time.Time, owner any) capturedEntry {
	e := capturedEntry{err: err, id: id, at: now, owner: owner}
	e.text, e.textOnly = textOf(err)
	if !e.textOnly && byText(err) {
		e.text = safeText(err)
	}
	for _, c := range chain {
		if !reflect.TypeOf(c).Comparable() {
			e.idents = append(e.idents, capturedIdent{c, safeText(c)})
		}
	}
	return e
}

// name returns the event e names now: its id, or "" when that event was
// dropped (see ref).
func (e *capturedEntry) name() string { return eventref.Name(e.id, e.ref) }

// named returns the event e names, with its reference.
func (e *capturedEntry) named() eventref.Named {
	return eventref.Named{ID: e.name(), Ref: e.ref}
}

// matches reports whether err is captured (the entry's error or one of its
// chain) by same, and, when only by identity, the incomparable errors of the
// entry's chain still have the texts they were captured with. It calls
// their Error methods: never under the trail's lock (see find),
// since the user's code may log to the trail.
func (e entryErrs) matches(captured, err error) bool {
	eq, byIdentity := sameHow(captured, err)
	if !eq || !byIdentity || len(e.idents) == 0 {
		return eq
	}
	return identsSame(e.idents)
}

// identsSame reports whether the incomparable errors idents still have the
// texts they were captured with. It calls their Error methods: never
// under the trail's lock.
func identsSame(idents []capturedIdent) bool {
	for _, id := range idents {
		if safeText(id.err) != id.text {
			return false
		}
	}
	return true
}

// entryErrs is what a look-up outside a trail's lock needs of an entry
// (see Trail.lockedLook): its error, and its incomparable errors.
type entryErrs struct {
	err    error
	idents []capturedIdent
}

// rechecks holds the answers of identsSame for the entries a look-up
// under a trail's lock found by identity (see find), asked outside
// the lock. An entry's idents are never changed once it is made (a new
// entry takes its place), so that they name the entry: held here, their
// storage is not reused for another's.
type rechecks struct {
	pending []capturedIdent // to recheck, set by find
	n       int
	done    [2]rechecked // the first answers, then more
	more    []rechecked
}

type rechecked struct {
	idents *capturedIdent // the entry's idents, by their first element
	same   bool
}

// check rechecks the pending idents, outside the trail's lock.
func (rc *rechecks) check() {
	idents := rc.pending
	rc.pending = nil
	r := rechecked{&idents[0], identsSame(idents)}
	if rc.n < len(rc.done) {
		rc.done[rc.n] = r
		rc.n++
		return
	}
	rc.more = append(rc.more, r)
}

// verdict returns identsSame's answer for idents, if rechecked.
func (rc *rechecks) verdict(idents []capturedIdent) (same, ok bool) {
	p := &idents[0]
	for _, r := range rc.done[:rc.n] {
		if r.idents == p {
			return r.same, true
		}
	}
	for _, r := range rc.more {
		if r.idents == p {
			return r.same, true
		}
	}
	return false, false
}

// safeText returns err.Error(), or "" when it panics.
func safeText(err error) (text string) {
	defer func() {
		if recover() != nil {
			text = ""
		}
	}()
	return err.Error()
}

// captured remembers the errors a trail has sent as events. It is guarded by
// its trail's lock.
//
// Its entries are allocated when the trail first captures, and grow up to
// capturedSize: most units of work never log an error, and a table of
// capturedSize entries inline would be most of every trail's memory (about
// 4 KiB of its 4.75). Filled, it is a ring whose oldest entry is replaced,
// in the order a fixed array of capturedSize would replace them.
type captured struct {
	entries []capturedEntry // at most capturedSize
	// next is the oldest entry, once entries is full; adds counts the
	// entries added so far, modulo 2^32 (compared within one call of
	// CaptureOnceSettled only). 32 bits each: 8 bytes less keep a trail
	// with its context (trailContext) at 1,016 bytes with the reference
	// of its last event (Trail.lastRef).
	next uint32
	adds uint32
	last lastFound // see repeatOf
}

// lastFound is the last look-up of one error that found an entry holding
// that very error (the same interface words): the entry's index, and the
// owner, time and window of the look-up. Adding an entry clears it (see
// add), so that it stands only while no entry was added since.
type lastFound struct {
	words  [2]uintptr // 0, 0: none
	owner  any
	at     int
	now    time.Time
	window time.Duration
}

// repeatOf returns the ID under which err alone was captured for owner, and
// true, when err is the error the last look-up of one error found in an
// entry of its own (see lastFound), and that look-up would find the same
// entry again now: no entry was added since, the entry still holds err and
// is within window at now, and now is not before the look-up's time, nor
// window another than the look-up's (with the table unchanged, an entry
// within window at now was within it then, so none ahead of this one in
// the search could match now that did not then; a wider window, from
// another integration's FallbackCaptureWindow on the shared fallback
// trail, may take in an older entry of err ahead of it). It is the hot
// path of an error storm, where the same error value is logged over and
// over: walking its chain and comparing it with every entry cost about a
// tenth of a skipped repeat. An entry holding incomparable errors (matched
// by identity and their texts, see entryErrs.matches) never becomes
// lastFound. t.mu must be held.
func (c *captured) repeatOf(owner any, err error, now time.Time, window time.Duration) (string, bool) {
	l := &c.last
	if err == nil || !sameWords(&l.words, err) || l.owner != owner || now.Before(l.now) || window != l.window {
		return "", false
	}
	e := &c.entries[l.at]
	if !sameWords(&l.words, e.err) || (window > 0 && now.Sub(e.at) > window) {
		return "", false
	}
	return e.name(), true
}

// unownedRepeatOf is CaptureOnceFor's answer for errs = {err}, with no
// owner and no window, when its look-up of the last repeat answers it (see
// repeatOf): the earlier event's ID and true; else false, and only
// CaptureOnceFor answers. It changes nothing. It is repeatOf(nil, err,
// now, 0) for any now, written for that owner and window: the owner's
// comparison with nil is of its type word alone, where == of two
// interfaces called efaceeq when their types were equal (nil too), no
// window is tested, and fewer values are kept on the stack across the
// calls (cachegrind, ZerologRepeat/hook: about 55 instructions). Nor is
// the time: under no window no entry expires, so that the search finds
// what the last look-up found at any time, earlier ones too (repeatOf's
// test of now guards the entries a window expired then), and a skipped
// repeat need not make its time one time.Time (an Add of its clock's
// elapsed time: about 70 instructions with the test). The trail's mu must
// be held.
func (c *captured) unownedRepeatOf(err error) (string, bool) {
	if e := c.unownedRepeatEntry(err); e != nil {
		return e.name(), true
	}
	return "", false
}

// unownedRepeatEntry is unownedRepeatOf answering with the entry found, or
// nil: small enough to be inlined in Trail.AppendRepeatOf, which reads
// the entry's ID and reference (see capturedEntry.ref).
func (c *captured) unownedRepeatEntry(err error) *capturedEntry {
	l := &c.last
	if err == nil || !sameWords(&l.words, err) || l.owner != nil || l.window != 0 {
		return nil
	}
	e := &c.entries[l.at]
	if !sameWords(&l.words, e.err) {
		return nil
	}
	return e
}

// lastNamed is the event the entry the last look-up found names (see
// lastFound), with its reference, once repeatOf or unownedRepeatOf
// answered true. The trail's mu must be held.
func (c *captured) lastNamed() eventref.Named { return c.entries[c.last.at].named() }

// noteFound notes the look-up of err alone for owner at now under window,
// which found entry i (see repeatOf).
func (c *captured) noteFound(owner any, err error, i int, now time.Time, window time.Duration) {
	e := &c.entries[i]
	if err == nil || interfaceWords(e.err) != interfaceWords(err) || len(e.idents) > 0 {
		c.last = lastFound{}
		return
	}
	c.last = lastFound{words: interfaceWords(err), owner: owner, at: i, now: now, window: window}
}

// interfaceWords returns err's type and data words.
func interfaceWords(err error) [2]uintptr { return *(*[2]uintptr)(unsafe.Pointer(&err)) }

// sameWords reports whether w are err's type and data words
// (interfaceWords(err) == w), comparing them one word at a time: the
// array interfaceWords returns was built from err's two words stored
// apart and read back in one 16-byte move, which waited for the stores
// to retire (a failed store forward: two of them were about 2% of
// ZerologRepeat/hook's time, perf).
func sameWords(w *[2]uintptr, err error) bool {
	return *w == *(*[2]uintptr)(unsafe.Pointer(&err))
}

// capturedFirst is how many entries a trail's first capture makes room for:
// a unit of work that captures usually captures one or two errors.
const capturedFirst = 4

// captureOnce is CaptureOnceFor with no owner and a fixed id: it returns
// ("", true) when errs deserve a new event, remembered under id.
func (t *Trail) captureOnce(errs []error, id string, now time.Time, window time.Duration) (string, bool) {
	earlier, first := t.CaptureOnceFor(nil, errs, func() string { return id }, now, window)
	if first {
		return "", true
	}
	return earlier, false
}

// CaptureOnceFor decides whether errs, logged at now, deserve a new event.
// When at least one of them is new, it remembers errs under an ID from
// newID and returns that ID and true; when every error in errs is one
// already captured, or wraps one (through Unwrap() error or Unwrap()
// []error), it returns the earlier event's ID and false. Entries older
// than window are ignored; a window of zero never expires them. Errors are
// matched by == where their type allows it, else by identity (see same),
// so that errors of every type are captured once; errors known only by
// their text by that text (see TextOnly). Empty errs are never captured:
// ("", true).
//
// Only errors captured for owner are compared: on the process-wide
// fallback trail, which every Sentry client shares, the client the event
// goes through, so that one client's capture (a test's) does not silence
// another's.
//
// A repeat, the hot path of an error storm, allocates nothing: the chains
// are walked into stack buffers, texts are read only when a text-only
// error takes part, and newID is called, and the entries built, only for
// errors that are new.
//
// It is CaptureOnceSettled with nothing to settle: errs are found under
// the new ID as soon as they are remembered.
func (t *Trail) CaptureOnceFor(owner any, errs []error, newID func() string, now time.Time, window time.Duration) (string, bool) {
	earlier, first := t.CaptureOnceSettled(owner, errs, func() eventref.Named { return eventref.Named{ID: newID()} }, now, window, nil)
	return earlier.ID, first
}

// CaptureOnceSettled is CaptureOnceFor for an event whose fate is settled
// before errs can be found under its ID: when errs are new, newID (called
// outside t's lock, as CaptureOnceFor calls it) returns the event's ID,
// and, once errs are looked up again under t's lock and still new,
// settle(id) is called with t's lock held, and errs are remembered under
// the ID settle answers (id when the event is to be sent, an earlier event
// that stands for it, or "" for one that will not be sent, see NotSent),
// or not at all when it answers keep false. It then returns id and true.
// So no other goroutine finds errs under an ID that noise control then
// deduplicated or dropped: its breadcrumb would name an event never sent.
// A nil settle keeps errs under id.
//
// The IDs come with their events' references (eventref.Named): the
// client decides an event to be sent after this returns, outside every
// lock, and may drop it while other goroutines find errs under its ID;
// an entry whose event was dropped names none (see capturedEntry.ref). A
// repeat's answer is the earlier event with its reference, for what the
// caller names it in (a breadcrumb, Record.SetEvent; the trail's last
// event, AppendEvent), which names no event either once it is dropped.
//
// settle runs with t's lock held: it must not take a trail's lock, nor
// call code that might (the user's). A panic in it unlocks t, and
// remembers nothing.
func (t *Trail) CaptureOnceSettled(owner any, errs []error, newID func() eventref.Named, now time.Time, window time.Duration, settle func(id eventref.Named) (as eventref.Named, keep bool)) (eventref.Named, bool) {
	if len(errs) == 0 {
		return eventref.Named{}, true
	}
	if len(errs) == 1 {
		t.mu.Lock()
		_, ok := t.once.repeatOf(owner, errs[0], now, window)
		var earlier eventref.Named
		if ok {
			earlier = t.once.lastNamed()
		}
		t.mu.Unlock()
		if ok {
			return earlier, false
		}
	}
	var errBuf [16]error
	var endBuf [4]int
	var textBuf [16]string
	var onlyBuf [16]bool
	chains := errorChains(errs, errBuf[:0], endBuf[:0])
	byText := t != fallback // the fallback trail mixes every unit of work
	if chains.textOnly = textOnlys(chains.errs, onlyBuf[:0]); chains.textOnly != nil {
		chains.texts = readTexts(chains.errs, textBuf[:0])
	}
	// lockedFind locks t and looks chains up, reading their texts first
	// when the look-up needs them, and rechecking the texts of a captured
	// entry's incomparable errors (see find): outside the lock, as
	// they call the errors' Error methods, which may log to t. It returns
	// with t.mu held, and the table's count of additions when it looked.
	var rc rechecks
	lockedFind := func() (eventref.Named, bool, uint32) {
		for {
			t.mu.Lock()
			_, at, found, need := t.once.findAll(owner, chains, now, window, byText, &rc)
			var earlier eventref.Named
			if found {
				earlier = t.once.entries[at].named()
				if len(errs) == 1 {
					t.once.noteFound(owner, errs[0], at, now, window)
				}
			}
			if need == needNothing {
				return earlier, found, t.once.adds
			}
			t.mu.Unlock()
			if need == needTexts {
				chains.texts = readTexts(chains.errs, textBuf[:0])
			} else {
				rc.check()
			}
		}
	}
	earlier, found, adds := lockedFind()
	t.mu.Unlock()
	if found { // earlier.ID is "" when that event was not sent (see NotSent, capturedEntry.ref)
		t.noteRepeated()
		return earlier, false
	}
	// New: the ID and the entries (which call the errors' Error methods)
	// are made outside the lock, then the look-up is done again under it,
	// with the remembering, so that the same error logged at the same time
	// by two goroutines sends one event.
	id := newID()
	// A record usually holds one error: its entry is built on the stack,
	// not in a slice made for it (an allocation of every new event).
	var entryBuf [2]capturedEntry
	entries := entryBuf[:0]
	if len(errs) > len(entryBuf) {
		entries = make([]capturedEntry, 0, len(errs))
	}
	entries = entries[:len(errs)]
	for i, err := range errs {
		chain, _ := chains.chain(i)
		entries[i] = newEntry(err, chain, id.ID, now, owner)
		t.sized(&entries[i])
	}
	// Only an addition can make the look-up find what it did not (entries
	// forgotten or renamed meanwhile do not): with none since, the table
	// is not scanned again, which was half the cost of a new error on a
	// trail with a full table.
	t.mu.Lock()
	if t.once.adds != adds {
		t.mu.Unlock()
		if earlier, found, _ = lockedFind(); found {
			t.mu.Unlock()
			t.noteRepeated()
			return earlier, false
		}
	}
	// Deferred only now: lockedFind unlocks t to read texts, which may
	// panic (a TextOnly method), and t must then not be unlocked again.
	defer t.mu.Unlock()
	as, keep := id, true
	if settle != nil {
		as, keep = settle(id)
	}
	if keep {
		added := 0
		for _, e := range entries {
			e.id, e.ref, e.several = as.ID, as.Ref, len(entries) > 1
			if t.once.add(e) >= 0 {
				added++
			}
		}
		// The record's errors are one capture: none of them is forgotten
		// for the others' texts.
		t.trimmed(-1, added)
	}
	return id, true
}

// sized sets the size of e, an entry to be added to t (see
// capturedEntry.size): on the fallback trail, outside its lock.
func (t *Trail) sized(e *capturedEntry) {
	if t == fallback {
		e.size = e.textSize()
	}
}

// trimmed bounds the fallback trail's entries by fallbackCapturedBytes
// (see trim) once added entries are added, keeping entry keep (-1: none)
// and the added ones. t.mu must be held.
func (t *Trail) trimmed(keep, added int) {
	if t == fallback {
		t.once.trim(fallbackCapturedBytes, keep, added)
	}
}

// textSize returns the length of the texts of e's error and its
// incomparable errors (see size), read outside the trail's lock: the
// error's own text is read for it unless newEntry read it.
func (e *capturedEntry) textSize() int32 {
	n := len(e.text)
	if e.text == "" && !e.textOnly {
		n = len(safeText(e.err))
	}
	for _, id := range e.idents {
		n += len(id.text)
	}
	return int32(min(n, 1<<30))
}

// trim forgets the oldest entries while the sizes of the entries exceed
// limit, keeping the newest added ones (one at least: the capture just
// made, whose errors a record holds together) and entry keep (-1: none;
// see fallbackCapturedBytes). The trail's mu must be held.
func (c *captured) trim(limit, keep, added int) {
	n := len(c.entries)
	total := 0
	for i := range c.entries {
		total += int(c.entries[i].size)
	}
	if total <= limit {
		return
	}
	// Oldest first: from next once the ring is full, else from 0; the
	// newest, just added, are the ones before next.
	start := 0
	if n == capturedSize {
		start = int(c.next)
	}
	for k := range n - min(max(added, 1), n) {
		i := (start + k) % n
		e := &c.entries[i]
		if e.err == nil || i == keep {
			continue
		}
		total -= int(e.size)
		*e = capturedEntry{}
		if total <= limit {
			break
		}
	}
	c.last = lastFound{}
}

// chainSet is the error chains of a record's errors (see errorChain), one
// after another in errs, the i-th ending at ends[i]; texts holds the text
// of each error of errs (see matchText), or is nil until read; textOnly
// whether each is known by its text only (see textOnlys), or is nil when
// none is.
type chainSet struct {
	errs     []error
	ends     []int
	texts    []string
	textOnly []bool
}

// errorChains returns the chains of errs, appended to buf and ends.
func errorChains(errs, buf []error, ends []int) chainSet {
	for _, err := range errs {
		buf = errorChain(err, buf)
		ends = append(ends, len(buf))
	}
	return chainSet{errs: buf, ends: ends}
}

// chain returns the i-th chain, and its texts (nil until read).
func (c chainSet) chain(i int) ([]error, []string) {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	if c.texts == nil {
		return c.errs[start:c.ends[i]], nil
	}
	return c.errs[start:c.ends[i]], c.texts[start:c.ends[i]]
}

// textOnlyOf returns the textOnly flags of the i-th chain, or nil.
func (c chainSet) textOnlyOf(i int) []bool {
	if c.textOnly == nil {
		return nil
	}
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.textOnly[start:c.ends[i]]
}

// textOnlys returns, appended to buf, whether each of errs is known by its
// text only (see TextOnly), or nil when none is (the common case): asked
// outside the trail's lock, since a user's error type may have a TextOnly
// method of its own.
func textOnlys(errs []error, buf []bool) []bool {
	for i, err := range errs {
		if _, ok := textOf(err); ok {
			for range i {
				buf = append(buf, false)
			}
			buf = append(buf, true)
			for _, err := range errs[i+1:] {
				_, ok := textOf(err)
				buf = append(buf, ok)
			}
			return buf
		}
	}
	return nil
}

// readTexts appends the text of each of errs (see matchText) to buf.
func readTexts(errs []error, buf []string) []string {
	for _, err := range errs {
		buf = append(buf, matchText(err))
	}
	return buf
}

// findAll returns the earlier event of the chains when every one of them
// holds an error already captured for owner (see find), the index of the
// last chain's entry, and true; or what the look-up needs first (see
// find). It calls no user code: it runs under the trail's lock.
//
// A record of several errors answers by its last error's entry; when that
// is the entry of an error a job handed back (HandBackNamed) beside a
// record's entry of the same error, by the record's entry (see recordOf).
// So does a record of one error whose chain holds several beside one
// another (a join of a record's errors, logged as one value, see
// joinAbove); not one whose chain holds the job's error and its causes.
func (c *captured) findAll(owner any, chains chainSet, now time.Time, window time.Duration, byText bool, rc *rechecks) (earlier string, at int, found bool, need lookNeed) {
	for i := range chains.ends {
		chain, texts := chains.chain(i)
		prev, j, ok, need := c.find(owner, chain, texts, chains.textOnlyOf(i), now, window, byText, rc)
		if need != needNothing {
			return "", 0, false, need
		}
		if !ok {
			return "", 0, false, needNothing
		}
		earlier, at = prev, j
	}
	if b := &c.entries[at]; b.handedBack && !b.several && (len(chains.ends) > 1 || chains.ends[0] > 1 && joinAbove(chains.errs, b.err)) {
		at = c.recordOf(owner, chains, at, now, window, byText, rc)
		earlier = c.entries[at].name()
	}
	return earlier, at, true, needNothing
}

// joinAbove reports whether chain, one error's chain, holds a join
// (Unwrap() []error) before err: err, or what it is found by, is then a
// join's member (or under one), beside the join's other members, and not
// only the wrapper of the errors after it, its causes, which another
// record may hold beside it. It calls no user code.
func joinAbove(chain []error, err error) bool {
	for _, c := range chain {
		if same(c, err) {
			return false
		}
		if _, ok := c.(interface{ Unwrap() []error }); ok {
			return true
		}
	}
	return false
}

// recordOf is findAll's answer for chains, a record of several errors,
// or of one whose chain holds several (a join, as it is or wrapped),
// whose last error's entry, at, is one a job handed back (HandBackNamed):
// an entry of the same error in a record of several errors, logged
// before, of which one of the chains holds another error too (this
// record's, or the last such chain's first); else at. An error a job
// returned, which the caller had logged in a record of several errors, is
// the job's event alone and that record's in the record, as logged
// before. Every entry of such a record is looked at, not only the first
// that holds another chain's error, which may be another record's or
// another job's (find answers by the first). Chains are found as find
// finds them, among the record's entries alone; one that needs texts or a
// recheck there (text-only or incomparable errors that find did not need
// before this one) does not answer. It calls no user code.
//
//go:noinline
func (c *captured) recordOf(owner any, chains chainSet, at int, now time.Time, window time.Duration, byText bool, rc *rechecks) int {
	b := &c.entries[at]
	var buf [capturedSize]capturedEntry
	// The last chain too, when the job's error is a join's member (see
	// joinAbove): the join's other members are in its chain. The record's
	// entries looked in are its others (not j): the last chain's error,
	// found there, is another of the record's errors.
	for i := len(chains.ends) - 1; i >= 0; i-- {
		chain, texts := chains.chain(i)
		if i == len(chains.ends)-1 && !joinAbove(chain, b.err) {
			continue // the job's error and its causes alone: none beside it
		}
		for j := range c.entries {
			e := &c.entries[j]
			if j == at || !e.severalFor(owner, now, window) ||
				!(same(e.err, b.err) || (b.textOnly || e.textOnly) && b.text != "" && e.text == b.text) {
				continue
			}
			// The other entries of e's record, looked up as find would.
			rec := buf[:0]
			for k := range c.entries {
				if r := &c.entries[k]; k != j && r.severalFor(owner, now, window) && (e.ref != nil && r.ref == e.ref || e.id != "" && r.id == e.id) {
					rec = append(rec, *r)
				}
			}
			o := captured{entries: rec}
			if _, _, ok, need := o.find(owner, chain, texts, chains.textOnlyOf(i), now, window, byText, rc); ok && need == needNothing {
				return j
			}
		}
	}
	return at
}

// severalFor reports whether e is an entry of one of a record's several
// errors (see sharedID), captured for owner and within window at now.
func (e *capturedEntry) severalFor(owner any, now time.Time, window time.Duration) bool {
	return e.err != nil && e.several && e.owner == owner && (window <= 0 || now.Sub(e.at) <= window)
}

// lookNeed is what a look-up under a trail's lock needs done outside it, by
// the errors' own methods, before it can answer.
type lookNeed uint8

const (
	needNothing lookNeed = iota
	needTexts            // the chains' texts (see readTexts)
	needRecheck          // a captured entry's texts rechecked (see rechecks)
)

// add remembers e in place of the oldest entry, and returns its index (-1
// for a nil error, not remembered). Errors of every type are remembered:
// those that are not comparable are found again by identity (see same).
func (c *captured) add(e capturedEntry) int {
	if e.err == nil {
		return -1
	}
	c.adds++
	// Cleared, not checked against adds in repeatOf: its 8 bytes more put
	// a trail with its context (trailContext) past 1,024 bytes.
	c.last = lastFound{}
	if n := len(c.entries); n < capturedSize {
		if n == cap(c.entries) {
			// Doubling, from capturedFirst up to capturedSize: the entries
			// are never moved again once the table is full.
			grown := make([]capturedEntry, n, min(max(2*n, capturedFirst), capturedSize))
			copy(grown, c.entries)
			c.entries = grown
		}
		c.entries = append(c.entries, e)
		return n
	}
	at := int(c.next)
	c.entries[at] = e
	c.next = (c.next + 1) % capturedSize
	return at
}

// find returns the event under which an error of chain was captured for
// owner, its entry's index, and true; needTexts when a comparison by text needs texts (the
// texts of chain, see matchText), which are nil; needRecheck when an
// entry found by identity needs its texts rechecked, which rc has not
// answered yet: rc.pending names them (see rechecks). It calls no user
// code: an entry is matched as entryErrs.matches does, with the recheck's
// answer from rc. An entry without incomparable errors, and an error not
// found by identity (errors of pointer or comparable types, the common
// case), need none.
// textOnly says which errors of chain are text-only (nil: none). Without byText a
// text-only error is not matched by identity either: it stands for its
// text alone, and one value may serve every record of that text (zerolog's
// text-only errors are shared), which on the fallback trail would make two
// requests' logs of one text one bug.
func (c *captured) find(owner any, chain []error, texts []string, textOnlys []bool, now time.Time, window time.Duration, byText bool, rc *rechecks) (id string, at int, found bool, need lookNeed) {
	for j, err := range chain {
		textOnly := textOnlys != nil && textOnlys[j]
		for i := range c.entries {
			e := &c.entries[i]
			if e.err == nil || e.owner != owner || (window > 0 && now.Sub(e.at) > window) {
				continue
			}
			if byText || !e.textOnly {
				eq, byIdentity := sameHow(e.err, err)
				if eq && byIdentity && len(e.idents) > 0 {
					same, ok := rc.verdict(e.idents)
					if !ok {
						rc.pending = e.idents
						return "", 0, false, needRecheck
					}
					eq = same
				}
				if eq {
					return e.name(), i, true, needNothing
				}
			}
			if (byText || e.handedBack) && (textOnly || e.textOnly) && e.text != "" {
				if texts == nil {
					return "", 0, false, needTexts
				}
				if texts[j] != "" && wrapsText(texts[j], e.text) {
					return e.name(), i, true, needNothing
				}
			}
		}
	}
	return "", 0, false, needNothing
}

// TextOnly is implemented by errors known only by their text, such as the
// error field of a zerolog record, which a hook or writer sees as text:
// TextOnly returns that text and true. Capture-once cannot follow such an
// error's %w chain, so within one trail (not the shared fallback trail),
// when either of two errors is text-only, it takes one whose text is the
// other's, or ends with ": " and the other's (how fmt.Errorf's "%w"
// convention writes a wrapper), for the same error: a zerolog record's
// error text and the real error captured by hand (or logged through
// another logger) of one request are one event. Two real errors are never
// matched by their texts.
type TextOnly interface {
	error
	TextOnly() (string, bool)
}

// chainTexts returns the text of each error of chain (see matchText).
func chainTexts(chain []error) []string {
	texts := make([]string, len(chain))
	for i, err := range chain {
		texts[i] = matchText(err)
	}
	return texts
}

// matchText returns the text err is matched by against a text-only error:
// its own if it is text-only, else its Error() unless it is never matched
// by text (see byText), then "".
func matchText(err error) string {
	if text, ok := textOf(err); ok {
		return text
	}
	if byText(err) {
		return safeText(err)
	}
	return ""
}

// byText reports whether err may be matched to a text-only error by its
// text: a real error may; a TextOnly that says it is not text-only (a
// panic's text) never is.
func byText(err error) bool {
	if err == nil {
		return false
	}
	_, isText := err.(TextOnly)
	if !isText {
		return true
	}
	_, ok := textOf(err)
	return ok
}

// textOf returns err's text if err is known only by its text.
func textOf(err error) (string, bool) {
	if te, ok := err.(TextOnly); ok {
		return te.TextOnly()
	}
	return "", false
}

// wrapsText reports whether text is captured, or a wrapper's text of it.
func wrapsText(text, captured string) bool {
	n, m := len(text), len(captured)
	return text == captured || (n >= m+2 && text[n-m:] == captured && text[n-m-2:n-m] == ": ")
}

// same reports whether a and b are the same error, without panicking: by
// == when their dynamic type is comparable and == does not panic, else by
// identity: the same dynamic type and the same interface data word. An
// error of an incomparable type (a slice or map of field errors, such as
// validator's ValidationErrors) keeps its data word as it is wrapped with
// %w, joined or passed on as an error or any, since each of those copies
// the interface value and not what it points to; a captured entry holds the
// error, so the value it points to stays alive and its address is not
// reused. A slice is also the same as another of its length over the same
// elements. Two separately made values of such a type, equal in content,
// are different errors, as two errors.New of one text are.
//
// Identity cannot tell a value from a later one made in its storage (a
// slice refilled from buf[:0], a map cleared and filled again): the
// captured-error memory checks that a captured error's text has not changed
// since (see capturedEntry.text).
func same(a, b error) bool {
	eq, _ := sameHow(a, b)
	return eq
}

// sameHow is same, and whether a and b are the same by identity rather
// than by ==.
func sameHow(a, b error) (eq, byIdentity bool) {
	if a == nil || b == nil {
		return a == nil && b == nil, false
	}
	ta := reflect.TypeOf(a)
	if ta != reflect.TypeOf(b) {
		return false, false
	}
	if ta.Kind() == reflect.Pointer {
		// == of pointers compares their addresses and cannot panic: equal's
		// deferred recover is not needed for most errors.
		return dataWord(a) == dataWord(b), false
	}
	if ta.Comparable() {
		if eq, ok := equal(a, b); ok {
			return eq, false
		}
	}
	if dataWord(a) == dataWord(b) {
		return true, true
	}
	// A slice converted to error twice (a variable of the slice type passed
	// on twice) is two boxes of one slice: the same elements, the same error.
	if ta.Kind() == reflect.Slice {
		va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
		return va.Len() > 0 && va.Len() == vb.Len() && va.UnsafePointer() == vb.UnsafePointer(), true
	}
	return false, false
}

// dataWord returns the data word of the interface value err: the pointer to
// its dynamic value, or that value itself when it is pointer-shaped.
func dataWord(err error) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&err))[1]
}

// equal compares two errors of one comparable type by ==; ok is false when
// == panics (a comparable type that holds an incomparable value in an
// interface field).
func equal(a, b error) (eq, ok bool) {
	defer func() {
		if recover() != nil {
			eq, ok = false, false
		}
	}()
	return a == b, true
}

// errorChain appends err and every error it wraps to dst, depth first, at most
// maxChain of them, stopping at cycles and recovering from Unwrap methods
// that panic. It allocates only when dst has no room left.
func errorChain(err error, dst []error) []error {
	dst, _ = walkChain(dst, len(dst), err)
	return dst
}

// walkChain appends e and what it wraps to dst (see errorChain), whose
// chain so far is dst[start:]; stop says an Unwrap method panicked, which
// ends the chain there. Slices pass by value, not through a closure or a
// pointer, so that dst stays where its caller made it.
func walkChain(dst []error, start int, e error) (_ []error, stop bool) {
	if e == nil || len(dst)-start >= maxChain {
		return dst, false
	}
	for _, seen := range dst[start:] {
		if same(seen, e) {
			return dst, false
		}
	}
	dst = append(dst, e)
	one, many, ok := unwrap(e)
	if !ok {
		return dst, true
	}
	if one != nil {
		return walkChain(dst, start, one)
	}
	for _, c := range many {
		if dst, stop = walkChain(dst, start, c); stop {
			return dst, true
		}
	}
	return dst, false
}

// unwrap returns what e wraps (Unwrap() error or Unwrap() []error); ok is
// false when Unwrap panicked.
//
//lint:ignore ST1008 one and many are what e wraps, ok whether Unwrap returned
func unwrap(e error) (one error, many []error, ok bool) {
	defer func() {
		if recover() != nil {
			one, many, ok = nil, nil, false
		}
	}()
	switch u := e.(type) {
	case interface{ Unwrap() error }:
		return u.Unwrap(), nil, true
	case interface{ Unwrap() []error }:
		return nil, u.Unwrap(), true
	}
	return nil, nil, true
}

// Recaptured replaces id, which CaptureOnceFor remembered for errors whose
// event was then not sent, by earlier, the event that stands for it (a
// deduplicated repeat's), or forgets those errors when earlier is empty (a
// rate-limited event): a breadcrumb never names an event that was not sent.
// Between the two, another goroutine may find the errors under id: the
// capture of an event settles its errors' ID before they can be found
// instead (CaptureOnceSettled).
func (t *Trail) Recaptured(id, earlier string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.once.entries {
		if e := &t.once.entries[i]; e.err != nil && e.id == id {
			if earlier == "" {
				*e = capturedEntry{}
			} else {
				e.id, e.ref = earlier, nil
			}
		}
	}
}

// NotSent notes that the event id, which CaptureOnce or CaptureByHand
// remembered errors under, was not sent (BeforeSend or an event processor
// dropped it): the errors stay captured, so that the bug is not offered
// again when an upper layer logs it, but under the empty ID, so that a
// record folded into it names no event and counts as no event sent
// (logcrumbs.LastEventID). Their reference, marked dropped, stays: it
// still tells which errors were one record's (see sharedID).
func (t *Trail) NotSent(id string) {
	if id == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.once.entries {
		if e := &t.once.entries[i]; e.err != nil && e.id == id {
			e.id = ""
		}
	}
}

// CaptureByHandNoted decides whether err, captured by other code as event id at
// now, is new to t: it returns ("", true) and remembers err under id, or
// the earlier event and false when err is, or wraps, one t captured, or is
// wrapped by one of them (logcrumbs sent an error wrapping it). The check
// and the record are one step, so that logging the same error at the same
// time sends one event, not two. An error that only shares something it
// wraps with a captured error (both wrap one sentinel, such as
// context.Canceled or sql.ErrNoRows) is another error: the sentinel inside
// one captured error must not silence every later error, or panic, that
// wraps it, as CaptureOnce does not for logged errors.
//
// When err is not new, it also notes the earlier event as t's last
// (NoteEvent) under the same hold of t's lock, by its reference when it has one: an event logcrumbs handed
// to its client, which may be deciding it still, and drop it (see
// LastEvent).
//
// The earlier event comes with its reference, if it has one (see
// Unit.Sent).
func (t *Trail) CaptureByHandNoted(err error, id string, now time.Time) (eventref.Named, bool) {
	return t.captureByHand(err, id, now, true)
}

func (t *Trail) captureByHand(err error, id string, now time.Time, note bool) (eventref.Named, bool) {
	chain := errorChain(err, nil)
	texts := chainTexts(chain)
	only := textOnlys(chain, nil)
	entry := newEntry(err, chain, id, now, nil)
	t.sized(&entry)
	var l lookedUp
	t.lockedLook(chain, len(chain), true, &l)
	defer t.mu.Unlock()
	if earlier, ok := t.containsLocked(chain, texts, only, t != fallback, &l); ok {
		if note && earlier.ID != "" && t != fallback { // see NoteEvent
			t.noteEvent(earlier.ID, earlier.Ref)
		}
		return earlier, false
	}
	t.trimmed(t.once.add(entry), 1)
	return eventref.Named{}, true
}

// HandBackNamed remembers err as the event ev (id: ev.ID), sent at now from another trail
// (a job's: RunJob hands the error it returns back to its caller's trail),
// so that logged again here, as it is or wrapped, it is that event. It is
// the newer capture of err: an entry that holds err itself (or, compared
// by text, its text) now names id, so that a unit of work that runs a job
// twice (a retry) and logs what each run returned names each run's event;
// but for an entry of a record's several errors, whose event holds them
// all and stays theirs (the record logged again names it, see recordOf),
// beside which err is remembered under id, found first for err logged
// alone (err itself, as the caller's log of what the job returned, is the
// job's event, as RunJob says); when none holds
// err, err is remembered under id, also when t captured
// something err wraps or is wrapped by (then the caller's log would name
// the other event, or send a second one). When owner is not nil, only
// entries captured for owner are renamed, as CaptureOnceFor compares them
// on the fallback trail (see there): another client's capture stays as it
// is. An expired one of owner's is renamed too, and counts from now: the
// window a logger looks up by (its FallbackCaptureWindow) may be longer
// than the job's, and would find an expired entry left beside the new
// one first.
//
// An empty id is a job's event that was not sent (the client dropped it:
// NotSent): err is remembered under no event, as a dropped event's errors
// are, so that logged here it is not offered again; an entry of err that
// names an event that was sent keeps it (an event not sent takes no
// event's place).
//
// ev comes with its reference when it has one (CapturedAsNamed): an event
// deduplicated against another unit's, which its client may be deciding
// still, names no event once dropped.
func (t *Trail) HandBackNamed(owner any, err error, ev eventref.Named, now time.Time) {
	id := ev.ID
	if err == nil {
		return
	}
	chain := errorChain(err, nil)
	text := matchText(err)
	_, textOnly := textOf(err)
	entry := newEntry(err, chain, id, now, owner)
	t.sized(&entry)
	entry.ref = ev.Ref
	byText := t != fallback
	var l lookedUp // which entries hold err (chain[0]), asked outside t's lock
	t.lockedLook(chain, 1, false, &l)
	defer t.mu.Unlock()
	known := false
	// The first entry of a record's several errors that holds err, and the
	// first entry of err alone renamed id, if any.
	record, renamed := -1, -1
	for i := range t.once.entries {
		e := &t.once.entries[i]
		if e.err == nil || e.owner != owner {
			continue
		}
		if l.first[i] == 0 || ((byText || e.handedBack) && (textOnly || e.textOnly) && e.text != "" && e.text == text) {
			if t.once.sharedID(i) {
				// One of a record's several errors: that record's event
				// holds them all, and the record logged again names it
				// (see findAll); err alone is the job's event, remembered
				// beside it (below). It counts from now, as a renamed
				// entry does: expired (the record logged longer ago than
				// the fallback trail's window), it would be found no more,
				// and the record logged here would be a second event.
				if id != "" || e.name() == "" {
					e.at = now
				}
				if record < 0 {
					record = i
				}
				known = true
				continue
			}
			if id != "" || e.name() == "" {
				e.id, e.ref, e.at = id, ev.Ref, now
				if renamed < 0 {
					renamed = i
				}
			}
			e.handedBack = true
			known = true
		}
	}
	if known {
		// Entries renamed, counted from now, or moved (below) may be found
		// ahead of the one the last look-up found: an expired entry of err
		// alone, within the window again, ahead of a record's entry the
		// look-up found instead. That look-up stands no more (see repeatOf).
		t.once.last = lastFound{}
	}
	switch {
	case !known:
		entry.handedBack = true
		t.trimmed(t.once.add(entry), 1)
	case record >= 0 && id != "" && (renamed < 0 || renamed > record):
		// err alone names the job's event: an entry of its own comes
		// before the record's, so that a look-up of err alone (find,
		// containsLocked), which answers by the first entry that holds
		// it, finds it first; a look-up of the record's errors goes on
		// to the record's (see captured.recordOf). A new entry takes the
		// oldest's place, which may come after the record's: then the
		// two change places.
		at := renamed
		if at < 0 {
			entry.handedBack = true
			at = t.once.add(entry)
		}
		if at > record {
			c := &t.once.entries
			(*c)[at], (*c)[record] = (*c)[record], (*c)[at]
			at = record
		}
		t.trimmed(at, 1)
	}
}

// sharedID reports whether another entry names the event entry i names:
// both errors of one record (see CaptureOnceFor), an event of several
// errors. Records of one error each that noise control deduplicated
// against one event share no record (capturedEntry.several).
func (c *captured) sharedID(i int) bool {
	// By reference first: a dropped event names none (see
	// capturedEntry.ref), yet its record's entries still share it.
	id, ref := c.entries[i].name(), c.entries[i].ref
	if !c.entries[i].several || id == "" && ref == nil {
		return false
	}
	for j := range c.entries {
		if e := &c.entries[j]; j != i && e.err != nil && e.several && (ref != nil && e.ref == ref || id != "" && e.name() == id) {
			return true
		}
	}
	return false
}

// CapturedAsNamed reports whether err is, or wraps, an error t captured (logged
// as an event, or by hand), or is wrapped by one of them, and under which
// event, as CaptureByHandNoted answers, without remembering err.
// The event comes with its reference, if it has one (see HandBackNamed).
func (t *Trail) CapturedAsNamed(err error) (eventref.Named, bool) {
	chain := errorChain(err, nil)
	texts := chainTexts(chain)
	only := textOnlys(chain, nil)
	var l lookedUp
	t.lockedLook(chain, len(chain), true, &l)
	defer t.mu.Unlock()
	return t.containsLocked(chain, texts, only, t != fallback, &l)
}

// lookedUp is what a look-up of a chain in a trail's entries learnt by the
// errors' methods (see entryErrs.matches), asked outside the trail's lock
// (see lockedLook): for the entry of each index, the index of the first
// error of the chain it holds, or -1, and whether one of the errors its
// own error wraps (bit i of wraps) is the chain's first; and the entries'
// errors and count of additions then, to tell that they are still the
// table's.
type lookedUp struct {
	first [capturedSize]int8 // a chain has at most maxChain errors
	wraps uint32
	words [capturedSize][2]uintptr
	n     int
	adds  uint32
}

// lockedLook fills l for chain, comparing the entries with its first
// depth errors, and with what each entry's error wraps when wraps is set,
// outside t's lock, and returns with t.mu held and the table as l saw it:
// no entry added since (those renamed or forgotten since are read under
// the lock as they are now). When entries were added meanwhile, it looks
// again at those alone: an entry's answer depends on its error and idents
// only, and an error's methods that capture new errors of their own (or
// another goroutine's error storm) would otherwise have each look-up ask
// every entry again, for as long as additions come.
func (t *Trail) lockedLook(chain []error, depth int, wraps bool, l *lookedUp) {
	chain = chain[:min(depth, len(chain))]
	wraps = wraps && len(chain) > 0
	var errs [capturedSize]entryErrs
	l.n, l.wraps = 0, 0
	for {
		var todo uint32
		t.mu.Lock()
		n := len(t.once.entries)
		for i := range t.once.entries {
			e := &t.once.entries[i]
			w := interfaceWords(e.err)
			if i >= l.n || w != l.words[i] || !sameIdents(errs[i].idents, e.idents) {
				todo |= 1 << i
				errs[i], l.words[i] = entryErrs{e.err, e.idents}, w
			}
		}
		l.n, l.adds = n, t.once.adds
		t.mu.Unlock()
		l.look(errs[:n], todo, chain, wraps)
		t.mu.Lock()
		if l.current(&t.once) {
			return
		}
		t.mu.Unlock()
	}
}

// sameIdents reports whether a and b are one entry's idents.
func sameIdents(a, b []capturedIdent) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// look fills l's first and wraps for the entries errs whose bit of todo is
// set (see lookedUp), by their errors' methods: outside the trail's lock.
func (l *lookedUp) look(errs []entryErrs, todo uint32, chain []error, wraps bool) {
	for i, e := range errs {
		if todo&(1<<i) == 0 {
			continue
		}
		l.first[i] = -1
		l.wraps &^= 1 << i
		if e.err == nil {
			continue
		}
		for j, c := range chain {
			if e.matches(e.err, c) {
				l.first[i] = int8(j)
				break
			}
		}
		if !wraps {
			continue
		}
		var buf [16]error
		for _, captured := range errorChain(e.err, buf[:0])[1:] {
			if e.matches(captured, chain[0]) {
				l.wraps |= 1 << i
				break
			}
		}
	}
}

// current reports whether c's entries are those l looked at: none added
// since, and each one the same error, or forgotten. c's trail's lock must
// be held.
func (l *lookedUp) current(c *captured) bool {
	if c.adds != l.adds || len(c.entries) != l.n {
		return false
	}
	for i := range c.entries {
		if err := c.entries[i].err; err != nil && interfaceWords(err) != l.words[i] {
			return false
		}
	}
	return true
}

// containsLocked reports whether chain (an error and what it wraps) holds
// one of the errors t captured, or its error is wrapped by one of them, and
// under which event; t.mu must be held, and l filled for chain and t's
// entries by lockedLook, under this hold of the lock: it calls no user
// code. textOnly says which errors of chain are text-only (nil: none).
//
// The event is that of the outermost error of chain that t captured, as
// CaptureOnceFor answers a logged error (see find), and only when t
// captured none of them, that of a captured error wrapping the error: an
// error captured on its own (a job's event handed back, see HandBackNamed) is
// its own event, not that of an earlier capture that merely wraps it
// ("attempt 1: smtp down", the caller's log of a first run).
func (t *Trail) containsLocked(chain []error, texts []string, textOnly []bool, byText bool, l *lookedUp) (eventref.Named, bool) {
	if len(chain) == 0 {
		return eventref.Named{}, false
	}
	for j := range chain {
		cTextOnly := textOnly != nil && textOnly[j]
		for i := range t.once.entries {
			e := &t.once.entries[i]
			if e.err == nil {
				continue
			}
			// Matched at an earlier j, this entry would have answered then.
			if f := l.first[i]; f >= 0 && int(f) <= j {
				return e.named(), true // err is the captured error or wraps it
			}
			if byText && (cTextOnly || e.textOnly) && e.text != "" && texts[j] != "" && wrapsText(texts[j], e.text) {
				return e.named(), true // by text: err is the captured error or wraps it
			}
		}
	}
	first := textOnly != nil && textOnly[0]
	for i := range t.once.entries {
		e := &t.once.entries[i]
		if e.err == nil {
			continue
		}
		if byText && (first || e.textOnly) && e.text != "" && texts[0] != "" && wrapsText(e.text, texts[0]) {
			return e.named(), true // by text: the captured error wraps err
		}
		if l.wraps&(1<<i) != 0 {
			return e.named(), true // the captured error wraps err
		}
	}
	return eventref.Named{}, false
}
