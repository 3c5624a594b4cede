package zerologsentry

import (
	"encoding/binary"
	"math/bits"
)

// scanErrors shows g the top-level members of the object encoded in b
// (from its opening brace) that scanner.copy would show it: each string
// member (errorGatherer.member), each array member (errorGatherer.array)
// and each member skipMember leaves out (errorGatherer.skipped), up to where copy stops (malformed input, the
// closing brace, the end of b). It is what the scanner's object, copyValue
// and value do with no record to copy into, in one loop over b whose
// position stays in a register: through the scanner's methods, which
// reread and stored its position in memory at every step, a skipped
// zerolog repeat's error scan cost about 1,700 of its 9,056 instructions,
// and about 1,500 so (cachegrind, ZerologRepeat/hook). Nested objects
// are not recursed into: their members only move depth, which copy tracks
// by its calls, up to maxDepth. TestScannerDifferential and
// FuzzScannerDifferential hold it to the scanner before perf-zlparse.
func scanErrors(b []byte, g *errorGatherer) {
	if len(b) == 0 || b[0] != '{' {
		return
	}
	i, depth, members := 1, 0, 0
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return
		}
		switch b[i] {
		case '}':
			if depth == 0 {
				return
			}
			depth--
			i++
			continue
		case ',':
			i++
			continue
		case '"':
		default:
			return
		}
		end, kesc, ok := strEnd(b, i)
		if !ok {
			return
		}
		kraw := b[i+1 : end]
		i = end + 1
		if i < len(b) && b[i] == ':' {
			i++
		} else {
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != ':' {
				return
			}
			i++
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return
		}
		c := b[i]
		if depth > 0 {
			// A nested member: only where it ends matters.
			switch {
			case c == '"':
				if end, _, ok = strEnd(b, i); !ok {
					return
				}
				i = end + 1
			case c == '{' && depth < maxDepth:
				depth++
				i++
			default:
				if i, ok = skipValue(b, i); !ok {
					return
				}
			}
			continue
		}
		key := text(kraw, kesc)
		index := members
		members++
		if skipMember(key, index) {
			start := i
			if i, ok = skipValue(b, i); !ok {
				return
			}
			g.skipped(key, b[start:i])
			continue
		}
		switch {
		case c == '"':
			end, esc, ok := strEnd(b, i)
			if !ok {
				return
			}
			g.member(key, b[i+1:end], esc)
			i = end + 1
		case c == '{': // maxDepth > 0
			depth++
			i++
		case c == '[': // .Errs
			start := i
			if i, ok = skipValue(b, i); !ok {
				return
			}
			g.array(b[start:i])
		default:
			if i, ok = skipValue(b, i); !ok {
				return
			}
		}
	}
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space (scanner.space).
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipValue returns the index just past the value at b[i] as scanner.value
// reads it, and whether it is one: a string, brackets matched by count
// (strings within skipped whole), or a scalar up to the next delimiter.
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return i, false
	}
	switch b[i] {
	case '"':
		end, _, ok := strEnd(b, i)
		return end + 1, ok
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				end, _, ok := strEnd(b, i)
				if !ok {
					return i, false
				}
				i = end + 1
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return i, false
	}
	start := i
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i, i > start
		}
		i++
	}
	return i, i > start
}

// strEnd returns the index of the closing quote of the string whose opening
// quote is b[i], whether it holds escapes, and whether it is closed: what
// scanner.str finds, eight bytes at a time the same way. The search is
// written twice on purpose: scanner.str calling strEnd cost a zerolog
// breadcrumb's parse 124 instructions (cachegrind, BenchmarkExpand: 2,493
// -> 2,617). TestScanErrorsRandom and the scanner's differential tests
// hold the two to one answer.
func strEnd(b []byte, i int) (end int, esc, ok bool) {
	j := i + 1
	for {
		for j+8 <= len(b) {
			if m := special(binary.LittleEndian.Uint64(b[j:])); m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				goto found
			}
			j += 8
		}
		for j < len(b) && b[j] != '"' && b[j] != '\\' {
			j++
		}
		if j >= len(b) {
			return 0, false, false
		}
	found:
		if b[j] == '"' {
			return j, esc, true
		}
		esc = true
		j += 2 // the escaped byte, whatever it is
	}
}
