package zerologsentry

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/core"
)

// maxDepth bounds the nesting of objects copied as groups; deeper objects are
// kept as JSON text.
const maxDepth = 32

// scanner copies the members of a JSON object, as zerolog encodes it, into a
// record, keeping each value's JSON type: strings as text, integers and
// floats as numbers, booleans, null, objects as groups, arrays as JSON. It
// reads zerolog's bytes where they lie and allocates nothing for keys and
// values without escapes. It leaves out the top-level members skipMember
// names. Malformed input stops the copy; what was copied stays.
type scanner struct {
	b []byte
	i int
	// rec is where the members are copied; nil only scans them, for
	// their errors (gatherErrors).
	rec *core.Record
	// members counts the top-level members seen (skipMember's index).
	members int
	// errs gathers the record's errors on the event path (see
	// errorGatherer); its zero value gathers nothing.
	errs errorGatherer
}

// object copies the members of the object whose opening brace is just
// before s.i. An object cut short (as a hook sees zerolog's, before the
// message and closing brace are added) ends where the bytes do.
func (s *scanner) object(depth int) bool {
	// b and i are s.b and s.i held here, i written back before each call
	// that reads or moves s.i and read back after: the loop's own tests
	// read them from s at every step otherwise (cachegrind,
	// BenchmarkExpand: 2,593 -> 2,493 instructions a breadcrumb).
	b := s.b
	for {
		i := s.i
		if i < len(b) && b[i] <= ' ' {
			s.space()
			i = s.i
		}
		if i >= len(b) {
			return true
		}
		switch b[i] {
		case '}':
			s.i = i + 1
			return true
		case ',':
			s.i = i + 1
			continue
		case '"':
		default:
			return false
		}
		raw, esc, ok := s.str()
		if !ok {
			return false
		}
		// zerolog writes the colon right after the key: white space is
		// looked for only when it does not (ZerologRepeat/hook: 9,159 ->
		// 9,121 instructions a record).
		i = s.i
		if i < len(b) && b[i] == ':' {
			i++
		} else {
			s.space()
			i = s.i
			if i >= len(b) || b[i] != ':' {
				return false
			}
			i++
		}
		s.i = i
		if i < len(b) && b[i] <= ' ' {
			s.space()
		}
		key := text(raw, esc)
		// skipMember is called directly: through a function value, as it
		// was, the call was a twentieth of the scan of every record.
		if depth == 0 {
			index := s.members
			s.members++
			if skipMember(key, index) {
				value, ok := s.value()
				if !ok {
					return false
				}
				s.errs.skipped(key, value)
				continue
			}
		}
		if !s.copyValue(key, depth) {
			return false
		}
	}
}

// copyTop copies the top-level members of the object whose opening brace
// is b[0] into rec, gathering no errors: what a scanner's object(0) copies,
// and where it stops, in one loop whose position stays in a register. It
// reads the members zerolog writes for most fields itself (a key without
// escapes, a string without escapes, an integer of at most 18 digits, true,
// false), and hands any other value to a scanner's copyValue, reading its
// end back: a nested object, an array, a float, a string with escapes,
// null. Through object, copyValue, str and quickScalar, which reread and
// stored the position in memory at every step, the bench's zerolog
// breadcrumb cost 2,495 instructions parsed, 2,316 in this loop calling
// strEnd, and 2,062 with plainEnd, sameName, and true and false read here
// (cachegrind, BenchmarkExpand); the scanner made only for the values it
// hands over, not for every record, 2,013 -> 1,990. copyWithErrors, which
// gathers errors, still runs object: a breadcrumb's parse, the one every
// event that carries it repeats, gathers none. TestScannerDifferential and
// FuzzScannerDifferential hold copyFields to the scanner before
// perf-zlparse.
//
// names are zerolog's field names (LevelFieldName, TimestampFieldName,
// ErrorStackFieldName) as they stood when the record was logged (see
// fieldParser), by pointer: as three strings they took registers
// copyTop's loop needed (cachegrind, BenchmarkExpand: 1,912 instructions a
// breadcrumb; 1,833 by pointer; 1,760 when it read zerolog's variables,
// which may have changed since the record was logged).
func copyTop(rec *core.Record, b []byte, names *parseNames) {
	i, members := 1, 0
	for {
		if i+1 < len(b) && b[i] == ',' && b[i+1] == '"' {
			// The comma and the key's quote, as zerolog writes them
			// between members: one test, not a turn of the loop for
			// each (BenchmarkExpand: 2,062 -> 2,043).
			i++
		} else {
			if i < len(b) && b[i] <= ' ' {
				i = skipSpace(b, i)
			}
			if i >= len(b) {
				return
			}
			switch b[i] {
			case '"':
			case ',':
				i++
				continue
			default: // the closing brace, or malformed input
				return
			}
		}
		var key string
		if end := plainEnd(b, i+1); end >= 0 {
			key = unsafe.String(unsafe.SliceData(b[i+1:]), end-i-1)
			i = end + 1
		} else {
			end, kesc, ok := strEnd(b, i)
			if !ok {
				return
			}
			key = text(b[i+1:end], kesc)
			i = end + 1
		}
		if i < len(b) && b[i] == ':' {
			i++
		} else {
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != ':' {
				return
			}
			i++
		}
		if i < len(b) && b[i] <= ' ' {
			i = skipSpace(b, i)
		}
		// skipMember's test, written out with sameName: skipMember so
		// written is too large to be inlined.
		index := members
		members++
		if (index == 0 && key == names.level) || sameName(key, names.timestamp) || sameName(key, names.stack) {
			if i < len(b) && b[i] == '"' {
				// zerolog's level, its end found inline: skipValue's
				// call cost 26 instructions (2,043 -> 2,017).
				if end := plainEnd(b, i+1); end >= 0 {
					i = end + 1
					continue
				}
			}
			var ok bool
			if i, ok = skipValue(b, i); !ok {
				return
			}
			continue
		}
		if i >= len(b) {
			return
		}
		switch c := b[i]; {
		case c == '"':
			// Escaped text, and text in b's last 8 bytes: copyValue.
			if end := plainEnd(b, i+1); end >= 0 {
				rec.AddText(core.KindString, key, unsafe.String(unsafe.SliceData(b[i+1:]), end-i-1))
				i = end + 1
				continue
			}
		case c-'0' <= 9 || c == '-':
			// smallInteger, written out: its call cost the bench's
			// breadcrumb, two integers, 41 instructions (BenchmarkExpand:
			// 1,987 -> 1,946). TestScannerDifferential's scalars hold
			// the two to one answer.
			j := i
			if c == '-' {
				j++
			}
			digits := j
			lim := min(len(b), j+19)
			var n int64
			for j < lim && b[j]-'0' <= 9 {
				n = n*10 + int64(b[j]-'0')
				j++
			}
			if j > digits && j-digits <= 18 && ends(b, j) {
				if c == '-' {
					n = -n
				}
				rec.AddScalar(core.KindInt64, key, uint64(n))
				i = j
				continue
			}
		case c == 'f':
			if len(b)-i >= 5 && string(b[i:i+5]) == "false" && ends(b, i+5) {
				rec.AddScalar(core.KindBool, key, 0)
				i += 5
				continue
			}
		case c == 't':
			if len(b)-i >= 4 && string(b[i:i+4]) == "true" && ends(b, i+4) {
				rec.AddScalar(core.KindBool, key, 1)
				i += 4
				continue
			}
		}
		s := scanner{b: b, i: i, rec: rec}
		if !s.copyValue(key, 0) {
			return
		}
		i = s.i
	}
}

// plainEnd returns the index of the quote that closes the string whose
// text starts at b[j], when that text holds no backslash and the quote
// lies in a word of 8 bytes within b, or -1 (strEnd then decides). It is
// strEnd's word search cut to the case of zerolog's keys and most of its
// values, small enough to be inlined: calling strEnd for every key and
// string cost the bench's breadcrumb 122 instructions more (BenchmarkExpand:
// 2,316 -> 2,194).
func plainEnd(b []byte, j int) int {
	for ; j+8 <= len(b); j += 8 {
		if m := special(binary.LittleEndian.Uint64(b[j:])); m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			if b[j] != '"' {
				return -1
			}
			return j
		}
	}
	return -1
}

// smallInteger reads the integer at b[i] for quickScalar (copyTop writes it
// out): an optional minus and 1 to 18 digits, which cannot overflow,
// followed by a byte value stops at or the end of b. It returns the
// integer, the index just past it, and whether it is one.
func smallInteger(b []byte, i int) (n int64, end int, ok bool) {
	neg := b[i] == '-'
	j := i
	if neg {
		j++
	}
	digits := j
	lim := min(len(b), j+19)
	for j < lim && b[j]-'0' <= 9 {
		n = n*10 + int64(b[j]-'0')
		j++
	}
	if j == digits || j-digits > 18 || !ends(b, j) {
		return 0, 0, false
	}
	if neg {
		n = -n
	}
	return n, j, true
}

// copyValue copies the value at s.i under key.
func (s *scanner) copyValue(key string, depth int) bool {
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		raw, esc, ok := s.str()
		if !ok {
			return false
		}
		switch {
		case s.rec == nil: // an error scan: nothing is copied
		case esc:
			s.rec.BeginText(core.KindString, key)
			writeUnescaped(s.rec, raw, esc)
			s.rec.EndText()
		default:
			// The text as it lies, added whole: AddText keeps and cuts it
			// as the pieces written between BeginText and EndText would
			// be, in one call instead of three.
			s.rec.AddText(core.KindString, key, text(raw, esc))
		}
		// Checked here, not only in member: its call was about 14
		// instructions of each string field on the breadcrumb path,
		// which gathers no errors.
		if depth == 0 && s.errs.errs != nil {
			s.errs.member(key, raw, esc)
		}
	case c == '{' && depth < maxDepth:
		s.i++
		if s.rec == nil {
			return s.object(depth + 1)
		}
		s.rec.OpenGroup(key)
		ok := s.object(depth + 1)
		s.rec.CloseGroup()
		return ok
	case c == '{' || c == '[':
		raw, ok := s.value()
		if !ok {
			return false
		}
		if s.rec != nil {
			s.rec.BeginText(core.KindJSON, key)
			_, _ = s.rec.Write(raw)
			s.rec.EndText()
		}
		if depth == 0 && s.errs.errs != nil && c == '[' { // .Errs
			s.errs.array(raw)
		}
	default:
		if s.rec != nil && s.quickScalar(key, c) {
			return true
		}
		raw, ok := s.value()
		if !ok {
			return false
		}
		if s.rec != nil {
			s.scalar(key, raw)
		}
	}
	return true
}

// quickScalar copies the scalar at s.i, whose first byte is c, when it is
// one zerolog writes for most fields: an integer of at most 18 digits (Int,
// and Dur, whose number of DurationFieldUnit has no fraction for whole
// units: 3ms is 3), true, false or null. It reads it once, where value then
// scalar read it three times (a byte loop each: value's end, isInteger,
// smallInt) and compared it with each literal in turn (cachegrind,
// BenchmarkExpand, 4 fields: 2,956 -> 2,633 instructions a breadcrumb, with
// errorGatherer.member's call skipped). It stores what scalar would for the
// same bytes, and reports false, having moved nothing, for any other value,
// which value and scalar then read.
func (s *scanner) quickScalar(key string, c byte) bool {
	b, i := s.b, s.i
	switch c {
	case 't':
		if len(b)-i >= 4 && string(b[i:i+4]) == "true" && ends(b, i+4) {
			s.rec.AddScalar(core.KindBool, key, 1)
			s.i = i + 4
			return true
		}
		return false
	case 'f':
		if len(b)-i >= 5 && string(b[i:i+5]) == "false" && ends(b, i+5) {
			s.rec.AddScalar(core.KindBool, key, 0)
			s.i = i + 5
			return true
		}
		return false
	case 'n':
		if len(b)-i >= 4 && string(b[i:i+4]) == "null" && ends(b, i+4) {
			s.rec.AddScalar(core.KindNull, key, 0)
			s.i = i + 4
			return true
		}
		return false
	}
	n, j, ok := smallInteger(b, i)
	if !ok {
		return false
	}
	s.rec.AddScalar(core.KindInt64, key, uint64(n))
	s.i = j
	return true
}

// ends reports whether a scalar that value reads ends at b[j]: at the end
// of b, or at a byte value stops at.
func ends(b []byte, j int) bool {
	if j >= len(b) {
		return true
	}
	switch b[j] {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// scalar copies a number, boolean or null. Numbers are classified before
// they are parsed, since a failed strconv parse allocates its error. An
// integer past uint64 is kept as it was written, as JSON.
func (s *scanner) scalar(key string, raw []byte) {
	str := unsafe.String(unsafe.SliceData(raw), len(raw))
	switch {
	case str == "true" || str == "false":
		var n uint64
		if str == "true" {
			n = 1
		}
		s.rec.AddScalar(core.KindBool, key, n)
		return
	case str == "null":
		s.rec.AddScalar(core.KindNull, key, 0)
		return
	case isInteger(str):
		if n, ok := smallInt(str); ok {
			s.rec.AddScalar(core.KindInt64, key, uint64(n))
			return
		}
		if n, err := strconv.ParseInt(str, 10, 64); err == nil {
			s.rec.AddScalar(core.KindInt64, key, uint64(n))
			return
		}
		if n, err := strconv.ParseUint(str, 10, 64); err == nil {
			s.rec.AddScalar(core.KindUint64, key, n)
			return
		}
		// Past uint64 (a big.Int): its digits as written, not a float64
		// that rounds them.
		s.rec.AddText(core.KindJSON, key, str)
		return
	}
	if f, err := strconv.ParseFloat(str, 64); err == nil {
		s.rec.AddScalar(core.KindFloat64, key, math.Float64bits(f))
		return
	}
	s.rec.AddText(core.KindJSON, key, str) // kept as it was written
}

// isInteger reports whether s is an optional minus and digits only.
func isInteger(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// smallInt parses an integer of at most 18 digits, which cannot overflow,
// faster than strconv.ParseInt (a fifth of the breadcrumb path's scan,
// measured). s is one that isInteger accepts.
func smallInt(s string) (int64, bool) {
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// space skips white space at s.i. zerolog writes none between members, so
// it first returns at a byte above ' ', before the loop: entering the loop
// to find none, three times a member, was about a tenth of the scan of a
// zerolog breadcrumb's fields, which every event that carries it parses
// again.
func (s *scanner) space() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// str scans the string at s.i and returns its bytes between the quotes,
// whether they hold escapes, and whether the string was closed.
//
// It skips eight bytes at a time while none is a quote or a backslash
// (special), decides at once the byte of special's lowest mark (exact:
// TestSpecialLowestMarkExact), and goes byte by byte only over the last
// bytes, fewer than eight: a byte loop cost about nine instructions a
// byte, and a skipped repeat's error scan reads every key and value
// (cachegrind, ZerologRepeat/hook: 9,886 -> 9,767 instructions a record).
// Not bytes.IndexByte: its call does not pay for the few bytes of most keys and
// values (measured), and it finds one byte, not either of two.
func (s *scanner) str() (raw []byte, esc, ok bool) {
	b := s.b
	start := s.i + 1
	j := start
	for {
		for j+8 <= len(b) {
			if m := special(binary.LittleEndian.Uint64(b[j:])); m != 0 {
				// The lowest mark is exact: b[j] is a quote or a
				// backslash, decided without the byte loop's tests
				// (cachegrind: BenchmarkExpand 2,633 -> 2,590
				// instructions a breadcrumb, ZerologRepeat/hook's
				// error scan 9,095 -> 9,059 a record).
				j += bits.TrailingZeros64(m) >> 3
				goto found
			}
			j += 8
		}
		for j < len(b) && b[j] != '"' && b[j] != '\\' {
			j++
		}
		if j >= len(b) {
			return nil, false, false
		}
	found:
		if b[j] == '"' {
			s.i = j + 1
			return b[start:j], esc, true
		}
		esc = true
		j += 2 // the escaped byte, whatever it is
	}
}

// special marks, in the high bit of each of w's bytes (little-endian), the
// bytes that are a quote or a backslash: the lowest mark is exact, and a
// borrow may mark bytes above it, which str never reads as marked.
func special(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := w ^ ('"' * ones)
	b := w ^ ('\\' * ones)
	return ((q-ones)&^q | (b-ones)&^b) & highs
}

// value skips the value at s.i and returns its bytes.
func (s *scanner) value() ([]byte, bool) {
	start := s.i
	if s.i >= len(s.b) {
		return nil, false
	}
	switch s.b[s.i] {
	case '"':
		_, _, ok := s.str()
		return s.b[start:s.i], ok
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if _, _, ok := s.str(); !ok {
					return nil, false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return s.b[start:s.i], true
				}
			}
			s.i++
		}
		return nil, false
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return s.b[start:s.i], s.i > start
		}
		s.i++
	}
	return s.b[start:s.i], s.i > start
}

// text returns a JSON string's text for a use that ends before raw is
// reused (the record copies it at once, a look-up compares it). Without
// escapes it is a view of raw; escaped text is rare, and allocated.
func text(raw []byte, esc bool) string {
	if !esc {
		return unsafe.String(unsafe.SliceData(raw), len(raw))
	}
	return unescaped(raw)
}

// unescaped is owned for text with escapes: a call of its own, so that
// text is inlined: as a call it was about 60 instructions of each skipped
// zerolog repeat's error scan (cachegrind, ZerologRepeat/hook: 9,217 -> 9,159).
//
//go:noinline
func unescaped(raw []byte) string { return owned(raw, true) }

// owned returns a JSON string's text in memory of its own, which outlives
// raw: one allocation.
func owned(raw []byte, esc bool) string {
	if !esc {
		return string(raw)
	}
	b := unescape(raw, true) // new memory, never written again: no second copy
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// unescape returns raw with its escapes decoded; raw itself when it has
// none (esc false).
func unescape(raw []byte, esc bool) []byte {
	if !esc {
		return raw
	}
	var out []byte
	var tmp [utf8.UTFMax]byte
	for len(raw) > 0 {
		var piece []byte
		piece, raw = nextPiece(raw, &tmp)
		out = append(out, piece...)
	}
	return out
}

// writeUnescaped writes raw's text into the record's open text value,
// without allocating.
func writeUnescaped(rec *core.Record, raw []byte, esc bool) {
	if !esc {
		_, _ = rec.Write(raw)
		return
	}
	var tmp [utf8.UTFMax]byte
	for len(raw) > 0 {
		var piece []byte
		piece, raw = nextPiece(raw, &tmp)
		_, _ = rec.Write(piece)
	}
}

// nextPiece returns the next piece of raw's decoded text, a run without
// escapes or one decoded escape (in tmp), and the rest of raw.
func nextPiece(raw []byte, tmp *[utf8.UTFMax]byte) (piece, rest []byte) {
	j := 0
	for j < len(raw) && raw[j] != '\\' {
		j++
	}
	if j > 0 {
		return raw[:j], raw[j:]
	}
	if len(raw) < 2 {
		return nil, nil
	}
	c := raw[1]
	raw = raw[2:]
	switch c {
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'u':
		r, n := hexRune(raw)
		raw = raw[n:]
		if utf16.IsSurrogate(r) && len(raw) >= 6 && raw[0] == '\\' && raw[1] == 'u' {
			r2, n2 := hexRune(raw[2:])
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				r, raw = d, raw[2+n2:]
			}
		}
		return utf8.AppendRune(tmp[:0], r), raw
	} // \" \\ \/ and anything else: the character itself
	tmp[0] = c
	return tmp[:1], raw
}

// hexRune decodes the four hex digits of a \u escape.
func hexRune(b []byte) (rune, int) {
	if len(b) < 4 {
		return utf8.RuneError, len(b)
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return utf8.RuneError, 4
		}
		r = r<<4 | rune(c)
	}
	return r, 4
}

// copy copies the members of the object encoded in b (from its opening
// brace) into rec, and closes the groups it opened.
func (s *scanner) copy(rec *core.Record, b []byte) {
	if len(b) == 0 || b[0] != '{' {
		return
	}
	s.b, s.i, s.rec = b, 1, rec
	s.object(0)
	rec.CloseAll()
}

// splitMessage finds the message member zerolog writes last in a finished
// record ({..., "message":"text"} and a newline), from the end, so that a
// field of the same name earlier in the record, or a malformed value before
// it, cannot hide it. It returns the message's raw text, whether it holds
// escapes, and the record without that member (an object cut short, which
// the scanner reads to its end); ok is false, and rest is b, when the last
// member is not a string named key.
//
// The string's opening quote is found in the loop below, where it was
// openingQuote's call, across which splitMessage kept seven values on the
// stack (cachegrind, ZerologRepeat/writer: about 30 instructions a record).
func splitMessage(b []byte, key string) (raw []byte, esc bool, rest []byte, ok bool) {
	return splitLast(b, key, false)
}

// splitLast is splitMessage (open false), or, with open, the same for a
// record zerolog has not closed yet, as a hook sees it ({..., "message":"text"
// with no closing brace, nor white space after it): the last member of a
// hook's record with no message (see handle). A hook's record that ends
// with `"}` ends with an object's last string, not the record's.
func splitLast(b []byte, key string, open bool) (raw []byte, esc bool, rest []byte, ok bool) {
	closing := len(b) - 1
	if !open {
		end := len(b)
		for ; end > 0; end-- {
			if c := b[end-1]; c != '\n' && c != '\r' && c != ' ' && c != '\t' {
				break
			}
		}
		if end < 2 || b[end-1] != '}' || b[end-2] != '"' {
			return nil, false, b, false
		}
		closing = end - 2
	} else if closing < 0 || b[closing] != '"' {
		return nil, false, b, false
	}
	// The opening quote: the last unescaped quote (after an even number
	// of backslashes) before closing, read eight bytes at a time from
	// the end while none is a quote (byte by byte, a message cost about
	// 6.5 instructions a byte: cachegrind, ZerologBreadcrumb/writer);
	// a quote found is checked for the backslashes before it.
	const ones, lows = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f
	opening := -1
	for j := closing; j > 0; { // b[j:closing] holds no unescaped quote
		q := j - 1 // the last quote in b[:j]
		if j >= 8 {
			// The high bit of each byte of w that is a quote, exactly: a
			// byte of x is zero where w's is a quote, and adding 0x7f to
			// its low bits sets its high bit unless it is zero (no carry
			// leaves a byte).
			x := binary.LittleEndian.Uint64(b[j-8:j]) ^ ('"' * ones)
			m := ^((x&lows + lows) | x | lows)
			if m == 0 {
				j -= 8
				continue
			}
			q = j - 8 + (bits.Len64(m)-1)>>3
		} else {
			for q >= 0 && b[q] != '"' {
				q--
			}
			if q < 0 {
				break
			}
		}
		slashes := 0
		for k := q - 1; k >= 0 && b[k] == '\\'; k-- {
			slashes++
		}
		if slashes%2 == 0 { // an unescaped quote: the string's opening one
			opening = q
			break
		}
		j = q
	}
	// The member's name, `"key":`, and the comma or brace before it,
	// compared in place: building it cost a twelfth of the writer's path
	// (measured).
	start := opening - len(key) - len(`,"":`)
	if opening < 0 || start < 0 {
		return nil, false, b, false
	}
	name := b[start:opening]
	if n := len(name); name[1] != '"' || name[n-2] != '"' || name[n-1] != ':' || (name[0] != ',' && name[0] != '{') ||
		string(name[2:n-2]) != key {
		return nil, false, b, false
	}
	if name[0] == '{' {
		start++
	}
	raw = b[opening+1 : closing]
	esc = bytes.IndexByte(raw, '\\') >= 0
	return raw, esc, b[:start], true
}

// findString returns the raw text of the top-level string member key of the
// object encoded in b, and whether it holds escapes.
func findString(b []byte, key string) (raw []byte, esc, ok bool) {
	if len(b) == 0 || b[0] != '{' {
		return nil, false, false
	}
	s := scanner{b: b, i: 1}
	for {
		s.space()
		if s.i >= len(s.b) || s.b[s.i] == '}' {
			return nil, false, false
		}
		if s.b[s.i] == ',' {
			s.i++
			continue
		}
		if s.b[s.i] != '"' {
			return nil, false, false
		}
		k, kesc, ok := s.str()
		if !ok {
			return nil, false, false
		}
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return nil, false, false
		}
		s.i++
		s.space()
		if !kesc && string(k) == key && s.i < len(s.b) && s.b[s.i] == '"' {
			return s.str()
		}
		if _, ok := s.value(); !ok {
			return nil, false, false
		}
	}
}
