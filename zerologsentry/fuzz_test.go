package zerologsentry

import (
	"encoding/json"
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
	f.Fuzz(func(t *testing.T, b []byte) {
		rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		defer buffer.Put(rec)
		if raw, esc, ok := findString(b, "message"); ok {
			rec.BeginMessage()
			writeUnescaped(rec, raw, esc)
			rec.EndMessage()
		}
		s := scanner{member: skipMember, onString: func(string, string) {}}
		s.copy(rec, b)
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
	})
}
