package buffer

// A Parser writes fields that a logger encoded into rec, as attributes: what
// an adapter's encoder would have written at log time. It must depend on
// raw alone (no state of the log call), since it runs later, maybe on
// another goroutine; raw is valid only during the call, and rec is in the
// state the record was in when its fields were deferred (see Defer). A
// Parser need not close the groups it opens. It writes at most
// len(raw)/2+1 attributes, group markers and closes included (zerolog's
// JSON takes at least 4 bytes, `"k":{`, for an open and its close, and
// `"k":1` for a value), which AppendRecord counts on (keepsDeferred).
//
// raw lies in rec's own storage, just past its data (see Record.expandIn):
// the text the parser writes into rec (keys, texts) lands on the bytes of
// raw, from its start, the n-th byte written on raw[n-1]. A parser must
// not read raw[i] once it has written more than i bytes: it reads raw
// front to back and writes less than it has read, as a parser of an
// encoding of keys and values does (zerolog's writes a member's key and
// text in fewer bytes than the member took, its quotes, colon and comma
// dropped and escapes decoded), or it copies raw first. A byte it is
// reading may be written over with the same call (add's copy of a key
// whose bytes overlap where it goes), which the Record's methods allow.
type Parser func(rec *Record, raw []byte)

// Defer keeps raw, a record's fields as its logger encoded them, in r's
// data, to be written into r by parse only when r is read (Expand): most
// breadcrumbs are never sent, and copying bytes costs less than parsing
// them. The bytes are copied now, so r shows the fields as they were when
// logged. Defer returns false, keeping nothing, when raw does not fit the
// room MaxRecordBytes leaves: the caller then writes the fields at once,
// within the per-value limits, so that nothing an immediate parse would
// keep is lost. Fields must come last: nothing may be added to r after a
// successful Defer, and the groups left open stay open until Expand.
func (r *Record) Defer(raw []byte, parse Parser) bool {
	if parse == nil || r.parse != nil || r.textStart >= 0 || len(raw) > r.room() {
		return false
	}
	r.deferred = span{uint32(len(r.data)), uint32(len(raw))}
	r.data = append(r.data, raw...)
	r.parse = parse
	return true
}

// DeferredRaw returns the fields Defer kept, as their logger encoded them,
// or nil: r's own bytes, valid until r is changed.
func (r *Record) DeferredRaw() []byte {
	if r.parse == nil {
		return nil
	}
	return r.bytes(r.deferred)
}

// Deferred reports whether r holds fields not yet parsed (see Defer): its
// attributes, data and size are not what a reader expects until Expand.
func (r *Record) Deferred() bool { return r.parse != nil }

// Expand parses the fields Defer kept into attributes, in place, within
// r's limits, and closes the groups left open: r becomes exactly what it
// would have been had its fields been written when it was logged (same
// attributes, cuts and marks, since the parse starts from the same state
// and room). It does nothing when r has no deferred fields. Every reader of
// a record that may be deferred calls it first: Trail.Snapshot,
// Trail.Copy and Trail.TakeUnlogged do for their copies.
func (r *Record) Expand() {
	if r.parse == nil {
		return
	}
	defer func() {
		if recover() != nil {
			r.parsePanicked()
		}
	}()
	r.expandIn()
}

// expandIn is Expand in place: the parse reads the deferred bytes where
// they lie and writes r's attributes' text over them, from their start
// (see Parser), where it used to read them from a copy in a pooled
// scratch buffer: a pool operation, a copy of the bytes and an append's
// tests per breadcrumb of a zerolog trail, on every event. A parser's
// panic is its caller's to recover (Expand, expandFrom): one recover for
// all the records of a trail's copy.
func (r *Record) expandIn() {
	raw := r.data[r.deferred.off : r.deferred.off+r.deferred.len]
	parse := r.parse
	r.data = r.data[:r.deferred.off]
	r.deferred, r.parse = span{}, nil
	// A deferred record carries no errors: a breadcrumb that defers
	// gathers none, and an event's were handed over as it was built
	// (core's buildDeferred).
	if r.errs != nil {
		r.errs = nil
	}
	parse(r, raw)
	r.CloseAll()
}

// parsePanicked leaves r, whose parser panicked (in expandIn), with what it
// wrote before, its groups closed: reading a trail never fails.
func (r *Record) parsePanicked() {
	r.textStart = -1
	r.CloseAll()
}
