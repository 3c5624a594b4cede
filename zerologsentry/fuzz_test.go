package zerologsentry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

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

// FuzzDeferred: a breadcrumb whose fields are kept encoded and parsed when
// read is the breadcrumb parsed when logged: the same attributes, cuts,
// marks and invalid UTF-8, whatever the bytes and the limits (small ones
// included, so that values, records and attribute counts are cut).
func FuzzDeferred(f *testing.F) {
	for _, seed := range scannerSeeds {
		f.Add(seed, uint8(0), uint16(0), uint16(0))
		f.Add(seed, uint8(3), uint16(5), uint16(40))
	}
	f.Fuzz(func(t *testing.T, b []byte, attrs uint8, value, record uint16) {
		limits := buffer.Limits{MaxAttrs: int(attrs), MaxValueBytes: int(value), MaxRecordBytes: int(record)}.
			WithDefaults(buffer.DefaultBreadcrumbLimits)
		start := func() *buffer.Record {
			rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, limits)
			rec.SetLogger("zerolog")
			rec.SetMessage("served")
			return rec
		}
		eager := start()
		defer buffer.Put(eager)
		copyFields(eager, b)
		eager.CloseAll()
		lazy := start()
		defer buffer.Put(lazy)
		raw := bytes.Clone(b)
		if !lazy.Defer(raw, copyFields) {
			if len(b) <= limits.MaxRecordBytes-len("zerolog")-len("served") {
				t.Fatalf("%d bytes not deferred, with room for them", len(b))
			}
			return
		}
		clear(raw) // zerolog reuses its buffer for the next record
		lazy.Expand()
		if eager.Len() != lazy.Len() || eager.Bytes() != lazy.Bytes() || eager.Truncated != lazy.Truncated ||
			eager.DroppedAttrs != lazy.DroppedAttrs || lazy.Depth() != 0 {
			t.Fatalf("parsed when logged: %d attrs, %d bytes, cut %v, %d dropped; when read: %d, %d, %v, %d (depth %d)",
				eager.Len(), eager.Bytes(), eager.Truncated, eager.DroppedAttrs, lazy.Len(), lazy.Bytes(), lazy.Truncated, lazy.DroppedAttrs, lazy.Depth())
		}
		for i := range eager.Len() {
			e, l := eager.Attr(i), lazy.Attr(i)
			if e.Kind != l.Kind || e.Num() != l.Num() || eager.Key(e) != lazy.Key(l) || eager.Text(e) != lazy.Text(l) {
				t.Fatalf("attr %d: %v %q %q %d, when read %v %q %q %d", i, e.Kind, eager.Key(e), eager.Text(e), e.Num(),
					l.Kind, lazy.Key(l), lazy.Text(l), l.Num())
			}
		}
		if ej, lj := mustJSON(t, eager.Breadcrumb()), mustJSON(t, lazy.Breadcrumb()); ej != lj {
			t.Fatalf("breadcrumb parsed when logged %s, when read %s", ej, lj)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
