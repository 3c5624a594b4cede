package zerologsentry

// The scanner as it was before perf-zlparse (c0bfa9d^1), under other names:
// the reference of TestScannerDifferential and FuzzScannerDifferential.

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/core"
)

type oldScanner struct {
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

func (s *oldScanner) object(depth int) bool {
	for {
		s.space()
		if s.i >= len(s.b) {
			return true
		}
		switch s.b[s.i] {
		case '}':
			s.i++
			return true
		case ',':
			s.i++
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
		if s.i < len(s.b) && s.b[s.i] == ':' {
			s.i++
		} else {
			s.space()
			if s.i >= len(s.b) || s.b[s.i] != ':' {
				return false
			}
			s.i++
		}
		s.space()
		key := text(raw, esc)
		index := s.members
		if depth == 0 {
			s.members++
		}
		// skipMember is called directly: through a function value, as it
		// was, the call was a twentieth of the scan of every record.
		if depth == 0 && skipMember(key, index) {
			value, ok := s.value()
			if !ok {
				return false
			}
			s.errs.skipped(key, value)
			continue
		}
		if !s.copyValue(key, depth) {
			return false
		}
	}
}

func (s *oldScanner) copyValue(key string, depth int) bool {
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
		if depth == 0 {
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
	default:
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

func (s *oldScanner) scalar(key string, raw []byte) {
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
		// Since then (s38), as scanner.scalar: an integer past uint64
		// kept as written, not rounded to a float64.
		s.rec.AddText(core.KindJSON, key, str)
		return
	}
	if f, err := strconv.ParseFloat(str, 64); err == nil {
		s.rec.AddScalar(core.KindFloat64, key, math.Float64bits(f))
		return
	}
	s.rec.AddText(core.KindJSON, key, str) // kept as it was written
}

func (s *oldScanner) space() {
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

func (s *oldScanner) str() (raw []byte, esc, ok bool) {
	start := s.i + 1
	j := start
	for {
		for j+8 <= len(s.b) {
			if m := special(binary.LittleEndian.Uint64(s.b[j:])); m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				break
			}
			j += 8
		}
		for j < len(s.b) && s.b[j] != '"' && s.b[j] != '\\' {
			j++
		}
		if j >= len(s.b) {
			return nil, false, false
		}
		if s.b[j] == '"' {
			s.i = j + 1
			return s.b[start:j], esc, true
		}
		esc = true
		j += 2 // the escaped byte, whatever it is
	}
}

func (s *oldScanner) value() ([]byte, bool) {
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

func (s *oldScanner) copy(rec *core.Record, b []byte) {
	if len(b) == 0 || b[0] != '{' {
		return
	}
	s.b, s.i, s.rec = b, 1, rec
	s.object(0)
	rec.CloseAll()
}

func (s *oldScanner) scan(b []byte) {
	if len(b) == 0 || b[0] != '{' {
		return
	}
	s.b, s.i = b, 1
	s.object(0)
}
