package buffer

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
func (r *Record) Relimit(lim Limits, extraBytes, extraAttrs int, absent string) bool {
	if r.parse != nil || r.open != 0 || r.droppedOpen != 0 || r.full || r.errBufUsed || r.errs != nil ||
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
	r.limits = lim
	r.PC = 0 // as a copy: a breadcrumb has no call site
	r.textStart, r.textTotal = -1, 0
	return true
}
