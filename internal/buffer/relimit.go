package buffer

import (
	"slices"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

// Relimit gives r the limits lim in place of its own when r, as it stands,
// holds exactly what a copy of it made under lim would (Get, SetNamesOf,
// AppendRecord), with room left for extraBytes more bytes of text and
// extraAttrs more attributes, and reports whether it did. Every text is
// within lim, the whole within lim's byte and attribute bounds, no field is
// left encoded (a parse under other limits would cut otherwise), and r's
// storage is of a size the pool keeps, so that a trail holding r is bounded
// as one holding a copy. r is then the record of a breadcrumb as it is, and
// the copy, a quarter of a skipped repeat's cost (cachegrind,
// ZapRepeat/json+logcrumbs: about 1,000 of logcrumbs' 6,800 instructions),
// is saved. r's errors must have been released (ReleaseErrors): a record
// kept in a trail does not keep them alive.
//
// absent, when not empty, is the key of an attribute the caller adds after
// Relimit where a copy would have it first: r must hold no attribute or
// group of that key (at any depth, though only the top level would
// differ), since in a Data map, and in Sentry Logs' attributes, the last
// entry of a key wins.
//
// A record whose fields are deferred (Defer) is taken when a copy would
// keep them deferred too (keepsDeferred: no limit of either record binds
// while they are parsed), and the caller adds its attributes with
// AddTextBeforeFields: they precede the fields, as in the copy, whose
// entries of their key come later and win in both. A skipped zerolog
// repeat's record is such a record, and its copy was about 540 of its
// 9,780 instructions (cachegrind, ZerologRepeat/hook: 9,779 -> 9,241).
func (r *Record) Relimit(lim Limits, extraBytes, extraAttrs int, absent string) bool {
	if r.open != 0 || r.droppedOpen != 0 || r.full || r.errBufUsed || r.errs != nil ||
		cap(r.data) > maxPooledBytes || cap(r.attrs) > maxPooledAttrs ||
		len(r.attrs)+extraAttrs > lim.MaxAttrs ||
		r.logger.len > 128 || int(r.msg.len) > lim.MaxValueBytes {
		return false
	}
	// The bytes a copy would hold: r's data may also hold bytes no span
	// names (a text begun and dropped), which a copy leaves behind.
	n := int(r.logger.len) + int(r.msg.len) + extraBytes
	for i := range r.attrs {
		a := &r.attrs[i]
		n += int(a.key.len)
		if absent != "" && int(a.key.len) == len(absent) && string(r.bytes(a.key)) == absent {
			return false
		}
		switch a.Kind {
		case KindString, KindError, KindJSON, KindPanic:
			if int(a.text.len) > lim.MaxValueBytes {
				return false
			}
			n += int(a.text.len)
		}
	}
	// And the record's own room for the extra bytes, which are added to it.
	if n > lim.MaxRecordBytes || len(r.data)+extraBytes > lim.MaxRecordBytes {
		return false
	}
	if r.parse != nil {
		// The conditions of keepsDeferred, for the copy as it stands when
		// AppendRecord asks (names and extra attributes added), and for r
		// itself: its fields, parsed within lim in place, add at most
		// their encoded bytes, which len(r.data) counts already, and
		// d/2+1 attributes.
		d := int(r.deferred.len)
		if len(r.data) > lim.MaxRecordBytes-int(r.logger.len)-int(r.msg.len)-extraBytes ||
			d > lim.MaxValueBytes || d > r.limits.MaxValueBytes || lim.MaxAttrs > r.limits.MaxAttrs ||
			len(r.attrs)+extraAttrs+d/2+1 > lim.MaxAttrs {
			return false
		}
	}
	r.limits = lim
	r.PC = 0 // as a copy: a breadcrumb has no call site
	r.textStart, r.textTotal = -1, 0
	return true
}

// maxRepeatBytes bounds the bytes of a repeat's breadcrumb that
// Trail.AppendRepeat fills (see Repeat.Fits): a record from the pool, whose
// storage is at most maxPooledBytes, grows to no more than maxPooledBytes
// when that many are written into it, so that Relimit's test of its
// storage never fails for such a record.
const maxRepeatBytes = maxPooledBytes / 2

// Repeat is the breadcrumb of a skipped repeat of an event (see
// Trail.AppendRepeat): an event record of EventLimits (Get, then
// Record.SetNames with Logger and Message, Record.Defer with Raw and
// Parse), made a breadcrumb of Limits (Relimit) that notes the earlier
// event ID under Key before its fields (AddTextBeforeFields).
type Repeat struct {
	Time        time.Time
	Elapsed     time.Duration
	Level       Level
	EventLimits Limits
	Limits      Limits
	Logger      string
	Message     string
	Raw         []byte
	Parse       Parser
	Key, ID     string
}

// Fits reports whether c's record, built as Repeat says, keeps its names
// whole and its fields deferred, and Relimit takes it under c.Limits with
// room for Key and ID as one more attribute: Relimit's tests, for that
// record (no attribute, group or error, names and fields of these
// lengths), in storage from the pool (see maxRepeatBytes). It needs Key
// to be no key of the fields' own, which Relimit does not find before
// they are parsed.
func (c *Repeat) Fits() bool {
	ev, bc := c.EventLimits, c.Limits
	l, m, d, x := len(c.Logger), len(c.Message), len(c.Raw), len(c.Key)+len(c.ID)
	return c.Parse != nil && len(c.Key) > 0 &&
		// SetNames copies the names whole, and Defer keeps the fields.
		l <= 128 && m <= ev.MaxValueBytes && l+m+d <= ev.MaxRecordBytes &&
		l+m+d+x <= maxRepeatBytes &&
		// Relimit's tests.
		1 <= bc.MaxAttrs && m <= bc.MaxValueBytes &&
		l+m+x <= bc.MaxRecordBytes && l+m+d+x <= bc.MaxRecordBytes &&
		l+m+d <= bc.MaxRecordBytes-l-m-x &&
		d <= bc.MaxValueBytes && d <= ev.MaxValueBytes && bc.MaxAttrs <= ev.MaxAttrs &&
		1+d/2+1 <= bc.MaxAttrs
}

// fill makes r, whatever it held, the record c says, when Fits. The
// names are whole under either limits, and Relimit changes no more than
// the limits, the PC and the text begun, which Reset sets alike: the
// record is reset under c.Limits at once, and Key is added before Defer,
// where AddTextBeforeFields puts it (its bytes moved up were about 60
// instructions of a skipped repeat, cachegrind).
// TestAppendRepeatAgreesWithRelimit holds it to that path, field by field.
//
// When the key and the ID are kept whole too, as nearly always, the bytes
// and the attribute those calls write are written at once: one append of
// each piece, no test of the limits (cachegrind, ZerologRepeat/writer:
// about 130 instructions).
//
// ev is the reference of the event c.ID names, or nil (see
// Record.SetEvent): an argument, not a field of c, whose every skipped
// repeat zeroes it on its stack (cachegrind, ZerologRepeat/hook).
func (c *Repeat) fill(r *Record, ev *eventref.Ref) {
	r.Reset(c.Time, c.Level, c.Limits)
	r.Elapsed = c.Elapsed
	r.event, r.ownID = ev, idFirst // Key is EventIDKey (see AddEventID)
	if len(c.Key) > maxKeyBytes || len(c.ID) > c.Limits.MaxValueBytes {
		r.SetNames(c.Logger, c.Message)
		r.AddText(KindString, c.Key, c.ID)
		r.Defer(c.Raw, c.Parse)
		return
	}
	l, m, k, v := uint32(len(c.Logger)), uint32(len(c.Message)), uint32(len(c.Key)), uint32(len(c.ID))
	data := slices.Grow(r.data, int(l+m+k+v)+len(c.Raw)) // empty: Reset
	data = append(data, c.Logger...)
	data = append(data, c.Message...)
	data = append(data, c.Key...)
	data = append(data, c.ID...)
	r.data = append(data, c.Raw...)
	r.logger, r.msg = span{0, l}, span{l, m}
	r.attrs = append(r.attrs, Attr{Kind: KindString, key: span{l + m, k}, text: span{l + m + k, v}, num: uint64(v)})
	r.deferred, r.parse = span{l + m + k + v, uint32(len(c.Raw))}, c.Parse
}

// AddTextBeforeFields is AddText for a record whose fields may be deferred
// (Defer): the attribute goes before them, their bytes moved up to make
// room, as if it had been added before Defer. The fields parse as they
// would have then, provided the attribute takes no room they need (see
// Relimit).
func (r *Record) AddTextBeforeFields(kind Kind, key, val string) {
	if r.parse == nil {
		r.AddText(kind, key, val)
		return
	}
	off, d := int(r.deferred.off), int(r.deferred.len)
	k := len(key) + len(val) // at most what AddText appends (a cut only shortens)
	r.data = slices.Grow(r.data, k)[:off+k+d]
	copy(r.data[off+k:], r.data[off:off+d])
	parse := r.parse
	r.data, r.parse = r.data[:off], nil
	r.AddText(kind, key, val)
	if m := len(r.data) - off; m < k { // cut: the fields move down to it
		r.data = r.data[:off+k+d]
		copy(r.data[off+m:], r.data[off+k:])
		k = m
	}
	r.data = r.data[:off+k+d]
	r.deferred, r.parse = span{uint32(off + k), uint32(d)}, parse
}
