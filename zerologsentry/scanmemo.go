package zerologsentry

import (
	"bytes"
	"sync/atomic"
	"unsafe"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/core"
)

// An error storm logs one record over and over, and every skipped repeat's
// errors were found by scanning its fields again (scanErrors: about 1,500
// instructions of ZerologRepeat/hook's 8,865 a record). What the scan finds
// depends on the fields' bytes, zerolog's field names, and two process-wide
// tables: recent (the errors ErrorMarshalFunc remembered, by text) and
// textErrorCache (the shared text-only errors). scanMemo keeps the last
// scan's bytes and errors, and gives those errors again for the same bytes
// while none of what they depend on has changed: the field names are the
// same, recent still gives no error for any of its texts (its gen), and
// each text-only error is still its text's shared one. Only scans whose
// every error is a shared text-only one, none of them given by recent, are
// kept: an error made for its record (a text with escapes, or too long to
// share, or given the stack member's frames) is made anew by each scan, and
// a program's error that recent gave is not kept alive by a memo once
// recent drops it (see rememberedCache), so a scan that finds one is not
// kept either (nor one that finds a shared text-only error there: see keep).

// maxMemoFields bounds the fields a scanMemo keeps.
const maxMemoFields = 512

// maxMemoErrors bounds the errors a scanMemo keeps.
const maxMemoErrors = 2 // gatherErrors and shared are written out for 2

// scanMemo is the last error scan of one of a bridge's ErrorScan slots
// (see above, and bridge.scan). It has no lock: only the bridge's core
// calls gatherErrors, and uses a slot's memo only in a call it makes with
// that slot (core.ErrorScan), under the slot's lock, which it does not
// wait for (a scan that finds every slot taken is made without a memo),
// so that a memo never makes a log call wait. A lock of its own had been
// two atomic operations of each skipped repeat, which holds the slot's
// already.
type scanMemo struct {
	// fields are those of the scan kept, in storage made once; empty when
	// none is (the fields of a record that has any start with a brace, and
	// empty fields have no errors).
	fields []byte
	names  [4]string
	gen    uint64 // recent.gen before the scan
	n      int
	errs   [maxMemoErrors]error
	// slots holds the textErrorCache slot of each error.
	slots [maxMemoErrors]*atomic.Pointer[core.TextError]
}

// fieldNames returns the zerolog field names an error scan reads.
func fieldNames() [4]string {
	return [4]string{zerolog.ErrorFieldName, zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName}
}

// gatherErrors is the package's gatherErrors, answered from m when fields
// are those of m's scan and what it found still stands: the core's
// ErrorScan in m's slot, which uses m only when alone is true (see
// bridge.scan).
func (m *scanMemo) gatherErrors(fields []byte, errs *[]error, alone bool) {
	if !alone || len(fields) > maxMemoFields {
		gatherErrors(fields, errs)
		return
	}
	if bytes.Equal(m.fields, fields) && m.sameNames() && m.gen == recent.gen.Load() && m.shared() {
		// One by one, written out for the maxMemoErrors there can be:
		// append's copy of the slice went through typedslicecopy, a
		// third of the hit's cost, and a loop over them cost about 15
		// instructions more (cachegrind, ZerologRepeat/hook).
		if m.n > 0 {
			*errs = append(*errs, m.errs[0])
			if m.n > 1 {
				*errs = append(*errs, m.errs[1])
			}
		}
		return
	}
	gen := recent.gen.Load() // before the scan: a change during it is a change since
	first := len(*errs)
	g := errorGatherer{errs: errs, first: first}
	// A panic of the scan (it calls no method of the program's) would
	// leave the slot's lock held, and no scan in that slot after it: the
	// memo, maybe half kept, is never read again.
	scanErrors(fields, &g)
	g.done()
	m.keep(fields, fieldNames(), gen, (*errs)[first:], g.remembered)
}

// sameNames reports whether zerolog's field names are those of m's scan:
// compared one by one, as the array's == was a call that compared them
// again in a loop (cachegrind: about 90 instructions). The names are
// nearly always the very strings of the scan, zerolog's variables never
// set since: their pointers and lengths, compared first, answer without
// a call (about 20 instructions less, cachegrind, ZerologRepeat/hook).
func (m *scanMemo) sameNames() bool {
	e, l, t, s := zerolog.ErrorFieldName, zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName
	if unsafe.StringData(m.names[0]) == unsafe.StringData(e) && unsafe.StringData(m.names[1]) == unsafe.StringData(l) &&
		unsafe.StringData(m.names[2]) == unsafe.StringData(t) && unsafe.StringData(m.names[3]) == unsafe.StringData(s) &&
		len(m.names[0]) == len(e) && len(m.names[1]) == len(l) && len(m.names[2]) == len(t) && len(m.names[3]) == len(s) {
		return true
	}
	return sameString(m.names[0], e) && sameString(m.names[1], l) && sameString(m.names[2], t) && sameString(m.names[3], s)
}

// sameString is a == b, with no call when a and b are one string (==
// called memequal for each, which compares the pointers first).
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// shared reports whether each error of m is still its text's shared one.
func (m *scanMemo) shared() bool {
	// Written out for the maxMemoErrors there can be (see gatherErrors).
	return m.n == 0 || (m.slots[0].Load() == m.errs[0] && (m.n == 1 || m.slots[1].Load() == m.errs[1]))
}

// keep makes m the memo of a scan of fields that found found, when each
// of them is a shared text-only error (see above) and recent gave none
// (remembered false); else m keeps none. A text-only error given the stack
// member's frames (errorGatherer.done) is its record's, in no slot. One
// that recent gave (a program that logged an event's error, its hint's
// OriginalException, again with ErrorMarshalFunc) may be its slot's, but
// recent's answer for its text can then change with no change of gen: a
// newer value of the same text.
func (m *scanMemo) keep(fields []byte, names [4]string, gen uint64, found []error, remembered bool) {
	m.fields, m.n = m.fields[:0], 0
	ok := !remembered && len(found) <= maxMemoErrors
	for i, err := range found {
		te, isText := err.(*core.TextError)
		if !ok || !isText {
			ok = false
			break
		}
		m.slots[i] = textErrorSlot(te.Text)
		if m.slots[i].Load() != te {
			// Made for its record: shared would never answer it.
			ok = false
			break
		}
		m.errs[i] = err
	}
	if !ok {
		clear(m.errs[:])
		clear(m.slots[:])
		return
	}
	if m.fields == nil {
		m.fields = make([]byte, 0, maxMemoFields)
	}
	m.fields = append(m.fields, fields...)
	m.names, m.gen, m.n = names, gen, len(found)
}
