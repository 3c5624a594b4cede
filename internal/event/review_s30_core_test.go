package event

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// s30Keys are the keys random records draw from: plain ones, dotted ones,
// user keys and user-prefixed keys, secrets, a url.URL's fields, the empty
// key, and two invalid keys that are the same key once repaired.
var s30Keys = []string{"a", "b", "a.b", "user", "user.email", "user.id", "id", "email", "password",
	"token", "url", "Host", "RawQuery", "", "x\xff", "x\xfe", "acct", "acct.id"}

// s30JSON are the JSON values random records draw from: maps (a user's,
// a secret's, a url.URL's), a list, scalars, and a text that does not
// decode.
var s30JSON = []string{`{"b":1}`, `{"id":1,"email":"e"}`, `[1,"https://u:p@h/?token=s"]`,
	`"https://u:p@h/"`, `{"password":"p","c":{"d":2}}`, `1`, `{"Host":"x","RawQuery":"token=s"}`, `{"a":`}

var s30Texts = []string{"v", "https://bob:hunter2@h/p?token=t&x=1", "bad \xff text", "é", "a@x"}

// s30Record fills a random record: every kind, groups named and unnamed
// up to three deep, keys and values drawn from the pools above.
func s30Record(rng *rand.Rand) *buffer.Record {
	r := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultEventLimits)
	r.SetMessage("m")
	depth := 0
	for n := rng.Intn(8); n >= 0; n-- {
		k := s30Keys[rng.Intn(len(s30Keys))]
		switch c := rng.Intn(14); {
		case c == 0 && depth < 3:
			if rng.Intn(3) == 0 {
				k = ""
			}
			r.OpenGroup(k)
			depth++
		case c == 1 && depth > 0:
			r.CloseGroup()
			depth--
		case c <= 3:
			r.AddText(buffer.KindJSON, k, s30JSON[rng.Intn(len(s30JSON))])
		case c == 4:
			r.AddScalar(buffer.KindInt64, k, uint64(rng.Intn(1000)))
		case c == 5:
			r.AddScalar(buffer.KindUint64, k, 1<<63+uint64(rng.Intn(9)))
		case c == 6:
			r.AddScalar(buffer.KindFloat64, k, math.Float64bits([]float64{0.5, math.NaN(), math.Inf(1)}[rng.Intn(3)]))
		case c == 7:
			r.AddScalar(buffer.KindBool, k, uint64(rng.Intn(2)))
		case c == 8:
			r.AddScalar(buffer.KindDuration, k, uint64(1500*time.Millisecond))
		case c == 9:
			r.AddScalar(buffer.KindNull, k, 0)
		case c == 10:
			r.AddText(buffer.KindError, k, s30Texts[rng.Intn(len(s30Texts))])
		default:
			r.AddText(buffer.KindString, k, s30Texts[rng.Intn(len(s30Texts))])
		}
	}
	r.CloseAll()
	return r
}

// TestReviewS30FlatAttrsAsDataRandom holds SendLog's flat path (flatAttrs)
// to the map path (Data, scrubber.clean, addAttributes) for random
// records, under both user gates and with and without a Scrub function:
// wherever needsMap lets a record go flat, its Sentry Logs attributes are
// those the map path sends, key for key and type for type.
func TestReviewS30FlatAttrsAsDataRandom(t *testing.T) {
	withUserKeys(t, "acct")
	scrubs := []func(string, any) any{nil, func(k string, v any) any {
		if s, ok := v.(string); ok {
			return strings.ToUpper(s)
		}
		return v
	}}
	rng := rand.New(rand.NewSource(30))
	flat, bad := 0, 0
	for i := 0; i < 20000 && bad < 5; i++ {
		rec := s30Record(rng)
		fn := scrubs[i%2]
		all := i%4 >= 2
		text := rec.AllText()
		s := newScrubber(nil, fn)
		if needsMap(rec, text, s) {
			buffer.Put(rec)
			continue
		}
		flat++
		want := attrEntry{}
		data := rec.DataIn(text)
		s.clean(data, &userGate{decided: true, all: all})
		addAttributes(want, "", data)
		got := attrEntry{}
		flatAttrs(got, rec, rec.CheckedText(), newScrubber(nil, fn), &userGate{decided: true, all: all})
		if !reflect.DeepEqual(map[string]any(got), map[string]any(want)) {
			bad++
			t.Errorf("record %s (scrub %v, user info %v):\n flat %v\n want %v", s30Dump(rec), fn != nil, all, got, want)
		}
		buffer.Put(rec)
	}
	if flat < 1000 {
		t.Errorf("only %d records took the flat path", flat)
	}
}

// s30Dump lists a record's attributes: kind, key and text.
func s30Dump(r *buffer.Record) string {
	var b strings.Builder
	for i := range r.Len() {
		a := r.Attr(i)
		fmt.Fprintf(&b, "[%d %q %q] ", a.Kind, r.Key(a), r.Text(a))
	}
	return b.String()
}
