package zerologsentry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// TestStrAgreesWithReference checks str, which reads eight bytes at a
// time, against the byte-by-byte strReference on strings of every length
// up to a few words, made of quotes, backslashes and the bytes one bit
// away from them (which a wrong mask would take for either), with the
// quote that opens the string at every offset.
func TestStrAgreesWithReference(t *testing.T) {
	alphabet := []byte{'"', '\\', 'a', '"' ^ 0x80, '\\' ^ 0x80, '"' ^ 1, '\\' ^ 1, '"' - 1, '\\' - 1, 0, 1, 0xff, 0x80, 0x7f}
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 0, 40)
	for n := 0; n < 200000; n++ {
		b = append(b[:0], '"')
		size := rng.IntN(cap(b))
		for range size {
			if rng.IntN(4) == 0 {
				b = append(b, alphabet[rng.IntN(len(alphabet))])
			} else {
				b = append(b, 'a'+byte(rng.IntN(26)))
			}
		}
		for i, c := range b {
			if c != '"' {
				continue
			}
			s := scanner{b: b, i: i}
			raw, esc, ok := s.str()
			wraw, wesc, wok, wend := strReference(b, i)
			if ok != wok || esc != wesc || !bytes.Equal(raw, wraw) || (ok && s.i != wend) {
				t.Fatalf("str at %d of %q: %q %v %v (end %d), want %q %v %v (end %d)", i, b, raw, esc, ok, s.i, wraw, wesc, wok, wend)
			}
		}
	}
}

// strReference is scanner.str written the obvious way.
func strReference(b []byte, i int) (raw []byte, esc, ok bool, end int) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return b[i+1 : j], esc, true, j + 1
		}
	}
	return nil, false, false, 0
}

// TestSpecialLowestMarkExact: str decides at once the byte of special's
// lowest mark, so that mark must be the first quote or backslash of every
// word, and there must be none when special marks nothing. Every word of
// the bytes around the borrows and high bits of the has-zero-byte trick:
// the quote and backslash, the bytes one above each (a borrow's false mark:
// 0x23, 0x5D), those with the high bit set that differ from them only in it
// (0xA2, 0xDC), and 0x00, 0x21, 0xFF.
func TestSpecialLowestMarkExact(t *testing.T) {
	vals := [...]byte{'"', '\\', 0x23, 0x5D, 0xA2, 0xDC, 0x00, 0x21, 0xFF}
	var idx [8]int
	var w [8]byte
	for {
		var word uint64
		first := 8
		for k := 7; k >= 0; k-- {
			w[k] = vals[idx[k]]
			word = word<<8 | uint64(w[k])
			if w[k] == '"' || w[k] == '\\' {
				first = k
			}
		}
		m := special(word)
		got := 8
		if m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if got != first {
			t.Fatalf("special(% x): lowest mark at %d, first quote or backslash at %d", w, got, first)
		}
		k := 0
		for k < 8 {
			if idx[k]++; idx[k] < len(vals) {
				break
			}
			idx[k] = 0
			k++
		}
		if k == 8 {
			return
		}
	}
}

// scannerSeeds start FuzzScanner and FuzzDeferred.
var scannerSeeds = [][]byte{
	[]byte(`{"level":"info","a":"b\"c\\u00e9\\ud83d\\ude00","n":-12,"f":1.5e3,"t":true,"z":null,"o":{"x":[1,{"y":2}]},"message":"hi\n"}`),
	[]byte(`{"a":`),
	[]byte(`{"a":"\u`),
	[]byte(`{"k":18446744073709551616,"u":18446744073709551615}`),
	[]byte("{\"\xff\":\"\xfe\"}"),
	[]byte("-999999999999999999"),
	[]byte("000000000000000123"),
	[]byte(`{"level":"debug","time":"2024-01-01T00:00:00Z","long":"` + strings.Repeat("é", 600) + `","g":{"a":{"b":{"c":1}}},"n":1}`),
	// Quotes and backslashes on either side of str's eight-byte words,
	// escapes ending the input, and error-like keys in nested values.
	[]byte(`{"level":"error","error":"abcdefg\\","a2345678":"1234567\"89\\\\\"","error_stack":[{"error":"x"}],"o":{"error":"in\u00e9"}}`),
	[]byte(`{"error":"12345678\`),
	[]byte(`{"error":"1234567\u`),
	[]byte(`{"e":"\"\"\"\"\"\"\"\"\"","error":"\\\\\\\\\\\\\\\\","o":{"a":["\"]}","error"],"error":"y"}}`),
	[]byte("{\"error\":\"\xa2\xdc\x22\"}"),
	[]byte("{ \"a\" :\t\"b\" ,\n\"error\"\r: \"x\" , \"n\" : 1 , \"o\" : { \"error\" : \"y\" } }"),
	// Scalars quickScalar reads, and ones it leaves to scalar: literals
	// cut short or run on, 18 and 19 digits, a lone minus, a fraction.
	[]byte(`{"t":true,"f":false}`),
	[]byte(`{"n":null]`),
	[]byte(`{"a":tru,"b":falsey,"c":nul,"d":-,"e":-0,"f":1.5,"g":12a,"h":truex,"i":nullx}`),
	[]byte(`{"a":999999999999999999,"b":-999999999999999999,"c":1000000000000000000,"d":-1000000000000000000,"e":9999999999999999999}`),
	[]byte(`{"a":007 ,"b":3` + "\t" + `}`),
	[]byte(`{"level":"info","path":"/users/42","status":200,"took":3,"cached":false`),
}

// FuzzScanner feeds arbitrary bytes, as a hook or writer might see them, to
// the field scanner: it must never panic, and the breadcrumb it gives must be
// valid UTF-8 and encode as JSON.
func FuzzScanner(f *testing.F) {
	for _, seed := range scannerSeeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		defer buffer.Put(rec)
		raw, esc, rest, ok := splitMessage(b, "message")
		if ok {
			rec.BeginMessage()
			writeUnescaped(rec, raw, esc)
			rec.EndMessage()
		}
		var errs []error
		s := scanner{errs: errorGatherer{errs: &errs}}
		s.copy(rec, rest)
		if rec.Depth() != 0 {
			t.Fatalf("depth %d after copy", rec.Depth())
		}
		// The core's ErrorScan finds the errors the copy gathers.
		var scanned []error
		gatherErrors(rest, &scanned)
		if len(scanned) != len(errs) {
			t.Fatalf("scan found %d errors, the copy %d", len(scanned), len(errs))
		}
		for i := range errs {
			if fmt.Sprintf("%T %v", scanned[i], scanned[i]) != fmt.Sprintf("%T %v", errs[i], errs[i]) {
				t.Fatalf("scan's error %d: %T %v, the copy's %T %v", i, scanned[i], scanned[i], errs[i], errs[i])
			}
		}
		bc := rec.Breadcrumb()
		if !utf8.ValidString(bc.Message) {
			t.Fatalf("message %q", bc.Message)
		}
		if _, err := json.Marshal(bc); err != nil {
			t.Fatalf("breadcrumb does not encode: %v", err)
		}
		if str := string(b); isInteger(str) { // smallInt against strconv
			want, werr := strconv.ParseInt(str, 10, 64)
			if got, ok := smallInt(str); ok && (werr != nil || got != want) {
				t.Fatalf("smallInt(%q) = %d, strconv says %d, %v", str, got, want, werr)
			}
		}
		for i, c := range b { // quickScalar against value and scalar
			quick := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
			qs := scanner{b: b, i: i, rec: quick}
			if !qs.quickScalar("k", c) {
				buffer.Put(quick)
				if qs.i != i {
					t.Fatalf("quickScalar at %d of %q declined, having moved to %d", i, b, qs.i)
				}
				continue
			}
			slow := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
			ss := scanner{b: b, i: i, rec: slow}
			raw, ok := ss.value()
			if ok {
				ss.scalar("k", raw)
			}
			q, w := quick.Attr(0), slow.Attr(0)
			if !ok || qs.i != ss.i || slow.Len() != 1 || q.Kind != w.Kind || q.Num() != w.Num() {
				t.Fatalf("quickScalar at %d of %q: %v %d (end %d), value and scalar: %v %v %d (end %d)",
					i, b, q.Kind, q.Num(), qs.i, ok, w.Kind, w.Num(), ss.i)
			}
			buffer.Put(quick)
			buffer.Put(slow)
		}
		for i, c := range b { // str against the plain byte-by-byte scan
			if c != '"' {
				continue
			}
			s := scanner{b: b, i: i}
			raw, esc, ok := s.str()
			wraw, wesc, wok, wend := strReference(b, i)
			if ok != wok || esc != wesc || !bytes.Equal(raw, wraw) || (ok && s.i != wend) {
				t.Fatalf("str at %d of %q: %q %v %v (end %d), want %q %v %v (end %d)", i, b, raw, esc, ok, s.i, wraw, wesc, wok, wend)
			}
		}
	})
}
