package zerologsentry

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// FuzzScanner feeds arbitrary bytes, as a hook or writer might see them, to
// the field scanner: it must never panic, and the breadcrumb it gives must be
// valid UTF-8 and encode as JSON.
func FuzzScanner(f *testing.F) {
	f.Add([]byte(`{"level":"info","a":"b\"c\\u00e9\\ud83d\\ude00","n":-12,"f":1.5e3,"t":true,"z":null,"o":{"x":[1,{"y":2}]},"message":"hi\n"}`))
	f.Add([]byte(`{"a":`))
	f.Add([]byte(`{"a":"\u`))
	f.Add([]byte(`{"k":18446744073709551616,"u":18446744073709551615}`))
	f.Add([]byte("{\"\xff\":\"\xfe\"}"))
	f.Add([]byte("-999999999999999999"))
	f.Add([]byte("000000000000000123"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		defer buffer.Put(rec)
		raw, esc, rest, ok := splitMessage(b, "message")
		if ok {
			rec.BeginMessage()
			writeUnescaped(rec, raw, esc)
			rec.EndMessage()
		}
		s := scanner{skip: skipMember, onString: func(string, string) {}}
		s.copy(rec, rest)
		if rec.Depth() != 0 {
			t.Fatalf("depth %d after copy", rec.Depth())
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
