package policy

import (
	"math/bits"
	"slices"
	"sync/atomic"
	"time"
	"unsafe"
)

// A skipped repeat (see noise.repeat) is counted on its fingerprint key's
// entry. Building that key, and hashing it to find the entry, was most of
// what counting a repeat cost: an error storm logs one record from one
// line over and over, whose key is the same every time. The entry a repeat
// was last counted on therefore remembers what identified its record
// (RecordID), and the next repeat whose record has the same identity goes
// to that entry without its key being built.
//
// Only what the key is made of identifies a record: the logger, the log
// call's program counter (the call site is a function of it) and the types
// of the errors (the outermost: the key names the errors they wrap too, but
// a repeat repeats an error the entry's event sent, whose chain that event's
// key named; a record that wraps such an error again at the same call, in
// the same outer type, is counted on that event's entry through the memo,
// where its own key, one link longer, finds none); and the entry must hold the event the record repeats
// (seen.hasEvent), which names the client that sent it, the key's last
// part. The key is then that of the client that sent the event, so the
// entry found is the one that key finds, as long as it is still in the
// table under it (not swept, see seen.gone): a repeat is counted on its
// event's entry whichever client the hub holds now (after the program
// bound another, the current one's key finds no such entry), and a
// skipped repeat need not read the hub's client (escalate.Sender). Records without a program counter (zap without AddCaller,
// zerolog) are identified by the return address of the frame their call
// site was found in when the stack was walked by frame pointers (see
// event.Site): the same address always has the same site. Without it they
// are not identified: two call sites with the same logger, message and
// error would be told apart by nothing else (an upper layer logging the
// error again, which is not a repeat). Nor are records whose key is the user's fingerprint (identified by
// their fields), or with more than maxIDTypes errors.

// maxIDTypes is how many errors a RecordID holds the types of.
const maxIDTypes = 2

// RecordID is what makes a skipped repeat's fingerprint key when it has a
// program counter and no user fingerprint (see AppendFingerprintKey): a
// record's identity for RepeatMemo.
type RecordID struct {
	Client uint64 // ClientID of the client, for RepeatNoted: not compared
	Logger []byte // a view of the record's storage: never kept
	PC     uintptr
	// Walked: PC is not the record's but the return address of the frame
	// its site was found in (event.Site), whose site is the first of its
	// logical frames outside the loggers, not its innermost: kept apart
	// from records' own PCs.
	Walked bool
	// Lane picks which of an entry's counters counts the record's repeat
	// without the lock (see fastRepeats), taken modulo RepeatLanes: apart
	// for concurrent requests (buffer.Spread of the trail). Not compared.
	Lane   int
	types  [maxIDTypes]uintptr // see typeWord
	ntypes int8
}

// SetErrors sets the types of errs, and reports whether there were at
// most maxIDTypes of them (else the record has no RecordID).
func (id *RecordID) SetErrors(errs []error) bool {
	if len(errs) > maxIDTypes {
		return false
	}
	for i, err := range errs {
		id.types[i] = typeWord(err)
	}
	id.ntypes = int8(len(errs))
	return true
}

// typeWord returns the first word of err's interface value, its itab: the
// runtime has one itab of the error interface for each dynamic type, so
// two errors with one word have one type. (A plugin may bring an itab of
// its own for a type the program has one of: its errors then look like
// another type's, and are counted by their key.) Compared in place of
// reflect.TypeOf's Types, whose comparison as interfaces was a call of
// its own (cachegrind, ZerologRepeat/hook: about 80 instructions).
func typeWord(err error) uintptr { return (*[2]uintptr)(unsafe.Pointer(&err))[0] }

// recordMemo is what a seen entry remembers of the record a repeat was
// last counted on by its key: its RecordID, with its logger as a piece of
// the entry's key (no bytes of its own).
type recordMemo struct {
	pc     uintptr
	walked bool
	logger string // a piece of the entry's key
	types  [maxIDTypes]uintptr
	ntypes int8
	set    bool
}

// matches reports whether id is the remembered identity.
func (m *recordMemo) matches(id *RecordID) bool {
	return m.set && m.pc == id.PC && m.walked == id.Walked && m.ntypes == id.ntypes &&
		m.types == id.types && m.logger == string(id.Logger)
}

// remember notes id as the identity of a record whose key is s.key. The
// logger is taken from the key, where AppendFingerprintKey put it after
// the client's number; if it is not there, nothing is remembered.
func (m *recordMemo) remember(key string, id *RecordID) {
	start := max(1, (bits.Len64(id.Client)+3)/4) + 1 // the number's hex digits, and '|'

	if len(key) < start+len(id.Logger) || key[start:start+len(id.Logger)] != string(id.Logger) {
		m.set = false
		return
	}
	*m = recordMemo{set: true, pc: id.PC, walked: id.Walked, logger: key[start : start+len(id.Logger)], types: id.types, ntypes: id.ntypes}
}

// RepeatMemo remembers, for an integration, the fingerprint entry its
// skipped repeats were last counted on (see RecordID). Its zero value
// remembers none; it is safe for concurrent use. It keeps one entry alive
// at most: a swept one without its summary.
type RepeatMemo struct {
	last atomic.Pointer[seen]
}

// RepeatRemembered counts a capture-once hit of the event earlier, by a
// record of identity id, on the entry m remembers, if that entry is the
// one the record's key names: it reports whether it did the work of
// Repeat (counted, or found not to count), else the caller must call
// RepeatNoted with the key.
func (p *Process) RepeatRemembered(m *RepeatMemo, earlier string, id *RecordID) bool {
	s := m.last.Load()
	if s == nil {
		return false
	}
	return s.fast.count(earlier, id) || p.noise.repeatAt(s, earlier, id, time.Now)
}

// RepeatNoted is Repeat, and m then remembers the entry of key, with id
// as the identity of its record.
func (p *Process) RepeatNoted(m *RepeatMemo, key []byte, earlier string, id RecordID) {
	if s := p.noise.repeatNoting(key, earlier, &id, time.Now); s != nil {
		m.last.Store(s)
	}
}

// repeatAt is repeat for the entry s, if it is still the table's entry of
// its key, id is the identity of its last record and earlier one of its
// events (see RepeatMemo).
//
// It unlocks without defer (about 20 instructions of a skipped repeat,
// cachegrind): what it calls compares and counts, and cannot panic.
func (n *noise) repeatAt(s *seen, earlier string, id *RecordID, now func() time.Time) bool {
	n.mu.Lock()
	if s.gone || !s.memo.matches(id) || !s.hasEvent(earlier) {
		n.mu.Unlock()
		return false
	}
	s.fold() // a full count, see fastRepeats.count
	n.counted(s, now)
	s.publish()
	n.mu.Unlock()
	return true
}

// repeatNoting is repeat, which with a non-nil id also remembers id in the
// entry of key; it returns that entry, or nil.
func (n *noise) repeatNoting(key []byte, earlier string, id *RecordID, now func() time.Time) *seen {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.recent[string(key)] // no key deduplicates with the window off
	if s == nil {
		return nil
	}
	n.count(s, earlier, now)
	if id == nil {
		return nil
	}
	s.memo.remember(s.key, id)
	s.publish()
	return s
}

// hasEvent reports whether id is one of s's recent events. n.mu is held.
func (s *seen) hasEvent(id string) bool {
	return s.id == id || slices.Contains(s.before[:], id)
}

// count counts a repeat of earlier on s, the entry of its record's key,
// if earlier is one of s's recent events (see repeat). n.mu is held.
func (n *noise) count(s *seen, earlier string, now func() time.Time) {
	if s.hasEvent(earlier) {
		n.counted(s, now)
	}
}

// counted counts a repeat of one of s's recent events on s. n.mu is held.
func (n *noise) counted(s *seen, now func() time.Time) {
	if s.repeats == 0 {
		s.first = now()
	}
	s.repeats++
}
