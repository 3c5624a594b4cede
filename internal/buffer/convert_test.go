package buffer

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getsentry/sentry-go"
)

func TestValues(t *testing.T) {
	r := Get(time.Unix(10, 0), LevelError, DefaultBreadcrumbLimits)
	r.SetLogger("slog")
	r.SetMessage("bad \xff utf8")
	r.AddScalar(KindFloat64, "nan", math.Float64bits(math.NaN()))
	r.AddScalar(KindFloat64, "inf", math.Float64bits(math.Inf(1)))
	r.AddScalar(KindFloat64, "ninf", math.Float64bits(math.Inf(-1)))
	r.AddScalar(KindDuration, "d", uint64(1500*time.Millisecond))
	r.AddScalar(KindTime, "t", uint64(time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600)).UnixNano()))
	r.AddText(KindJSON, "j", `{"a":[1,2.5,"x"]}`)
	r.AddText(KindJSON, "broken", `{"a":`)
	r.AddText(KindString, "bad\xffkey", "v\xfe")
	r.AddScalar(KindNull, "null", 0)
	b := r.Breadcrumb()
	d := b.Data
	if d["nan"] != "NaN" || d["inf"] != "+Inf" || d["ninf"] != "-Inf" || d["d"] != "1.5s" || d["t"] != "2026-01-02T02:04:05.000000006Z" {
		t.Errorf("scalars = %#v", d)
	}
	j, _ := d["j"].(map[string]any)
	if arr, _ := j["a"].([]any); len(arr) != 3 || arr[0] != json.Number("1") || arr[2] != "x" {
		t.Errorf("JSON = %#v", d["j"])
	}
	if d["broken"] != `{"a":` {
		t.Errorf("broken JSON = %#v, want its text", d["broken"])
	}
	if d["bad\uFFFDkey"] != "v\uFFFD" || b.Message != "bad \uFFFD utf8" {
		t.Errorf("invalid UTF-8 not replaced: %q %#v", b.Message, d)
	}
	if v, ok := d["null"]; !ok || v != nil {
		t.Errorf("null = %#v", d)
	}
	if b.Type != "error" || b.Category != "slog" || b.Level != "error" || !b.Timestamp.Equal(time.Unix(10, 0)) {
		t.Errorf("breadcrumb = %+v", b)
	}
	if _, err := json.Marshal(b); err != nil {
		t.Errorf("breadcrumb does not encode: %v", err)
	}
}

func TestDroppedAttrsCounted(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 1, MaxValueBytes: 10, MaxRecordBytes: 100})
	r.AddScalar(KindInt64, "a", 1)
	r.AddScalar(KindInt64, "b", 2)
	if r.Data()[droppedAttrsKey] != 1 {
		t.Errorf("data = %v", r.Data())
	}
	if Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits).Data() != nil {
		t.Error("a record without attributes has data")
	}
}

// TestCutJSONIsNotDecoded: a JSON value cut to the record's room (the key
// took part of it) or cut while copied into a record with smaller limits is
// shown as its cut text, never decoded into a shorter, different value.
func TestCutJSONIsNotDecoded(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 4, MaxValueBytes: 100, MaxRecordBytes: 10})
	r.AddText(KindJSON, "kk", "123456789") // fits the room before the key is kept
	if got := r.Data()["kk"]; got != "12345…" {
		t.Errorf("cut by the room: %#v, want the cut text", got)
	}

	event := Get(time.Time{}, LevelError, DefaultEventLimits)
	event.AddText(KindJSON, "n", "12345678901234567890")
	event.AddText(KindJSON, "ok", "123")
	crumb := Get(time.Time{}, LevelError, Limits{MaxAttrs: 4, MaxValueBytes: 10, MaxRecordBytes: 100})
	crumb.AppendRecord(event)
	want := map[string]any{"n": "1234567…", "ok": json.Number("123")}
	if !reflect.DeepEqual(crumb.Data(), want) {
		t.Errorf("cut by AppendRecord: %#v, want %#v", crumb.Data(), want)
	}

	r = Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 4, MaxValueBytes: 8, MaxRecordBytes: 100})
	r.BeginText(KindJSON, "w")
	_, _ = r.WriteString("[1,2,3,4,5]")
	r.EndText()
	if got := r.Data()["w"]; got != "[1,2,…" {
		t.Errorf("cut while written: %#v", got)
	}
}

func TestJSONValues(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	for k, v := range map[string]string{
		"num": "-1.5e300", "big": "123456789012345678901234567890", "str": `"s\u00e9"`, "true": "true",
		"null": "null", "obj": ` {"b":{"c":[]}} `, "badutf8": "\"a\xffb\"",
		"two": "1 2", "trailing": `{"a":1}}`, "empty": "",
	} {
		r.AddText(KindJSON, k, v)
	}
	want := map[string]any{
		"num": json.Number("-1.5e300"), "big": json.Number("123456789012345678901234567890"),
		"str": "sé", "true": true, "null": nil,
		"obj":     map[string]any{"b": map[string]any{"c": []any{}}},
		"badutf8": "a\uFFFDb",
		// not one JSON value: kept as text
		"two": "1 2", "trailing": `{"a":1}}`, "empty": "",
	}
	if got := r.Data(); !reflect.DeepEqual(got, want) {
		t.Errorf("data = %#v\nwant %#v", got, want)
	}
}

func TestScalarValues(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	minusOne := int64(-1)
	r.AddScalar(KindInt64, "neg", uint64(minusOne))
	r.AddScalar(KindUint64, "umax", math.MaxUint64)
	r.AddScalar(KindFloat64, "negzero", math.Float64bits(math.Copysign(0, -1)))
	r.AddScalar(KindFloat64, "f", math.Float64bits(0.1))
	r.AddScalar(KindBool, "f0", 0)
	r.AddScalar(KindBool, "f2", 2)
	neg := -90 * time.Second
	r.AddScalar(KindDuration, "dneg", uint64(neg))
	r.AddScalar(KindDuration, "dzero", 0)
	r.AddScalar(KindTime, "before1970", uint64(time.Date(1969, 12, 31, 23, 59, 59, 500, time.UTC).UnixNano()))
	r.AddScalar(KindTime, "epoch", 0)
	r.AddText(KindError, "err", "boom")
	r.AddText(KindPanic, "p", "!PANIC in T.String: x")
	want := []any{
		int64(-1), uint64(math.MaxUint64), math.Copysign(0, -1), 0.1, false, true,
		"-1m30s", "0s", "1969-12-31T23:59:59.0000005Z", "1970-01-01T00:00:00Z", "boom", "!PANIC in T.String: x",
	}
	for i, w := range want {
		a := r.Attr(i)
		if got := r.Value(a); !reflect.DeepEqual(got, w) {
			t.Errorf("%s: Value = %#v, want %#v", r.Key(a), got, w)
		}
		if got := r.Data()[r.Key(a)]; !reflect.DeepEqual(got, w) {
			t.Errorf("%s: Data = %#v, want %#v", r.Key(a), got, w)
		}
	}
	if _, err := json.Marshal(r.Data()); err != nil {
		t.Errorf("data does not encode: %v", err)
	}
}

func TestGroupsToMaps(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.OpenGroup("") // inlined, as in slog
	r.AddScalar(KindInt64, "inl", 1)
	r.CloseGroup()
	r.OpenGroup("g")
	r.AddScalar(KindInt64, "a", 1)
	r.CloseGroup()
	r.OpenGroup("g") // the same name again: one map
	r.AddScalar(KindInt64, "b", 2)
	r.OpenGroup("")
	r.AddScalar(KindInt64, "c", 3)
	r.CloseAll()
	deep := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	for i := range 12 { // deeper than the conversion's fixed stack
		deep.OpenGroup(fmt.Sprint(i))
	}
	deep.AddScalar(KindBool, "leaf", 1)
	deep.CloseAll()
	deep.AddScalar(KindBool, "top", 1)

	want := map[string]any{"inl": int64(1), "g": map[string]any{"a": int64(1), "b": int64(2), "c": int64(3)}}
	if !reflect.DeepEqual(r.Data(), want) {
		t.Errorf("data = %v, want %v", r.Data(), want)
	}
	m := deep.Data()
	if m["top"] != true {
		t.Errorf("after 12 closed groups, top = %v", m["top"])
	}
	for i := range 12 {
		m, _ = m[fmt.Sprint(i)].(map[string]any)
	}
	if len(m) != 1 || m["leaf"] != true {
		t.Errorf("12 groups deep: %v", m)
	}
}

func TestOnlyDroppedAttrs(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 0, MaxValueBytes: 10, MaxRecordBytes: 100})
	r.AddScalar(KindInt64, "a", 1)
	r.OpenGroup("g")
	r.AddText(KindString, "b", "x")
	r.CloseAll()
	if want := map[string]any{droppedAttrsKey: 3}; !reflect.DeepEqual(r.Data(), want) {
		t.Errorf("data = %v, want %v", r.Data(), want)
	}
}

func TestBreadcrumbLevels(t *testing.T) {
	for l, want := range map[Level][2]string{
		LevelDebug: {"debug", "default"}, LevelInfo: {"info", "default"}, LevelWarning: {"warning", "default"},
		LevelError: {"error", "error"}, LevelFatal: {"fatal", "error"}, LevelTrace: {"debug", "default"}, -2: {"error", "default"}, 42: {"error", "error"},
	} {
		r := Get(time.Time{}, l, DefaultBreadcrumbLimits)
		b := r.Breadcrumb()
		if string(b.Level) != want[0] || b.Type != want[1] || string(l.SentryLevel()) != want[0] {
			t.Errorf("level %d: breadcrumb level %q type %q, want %v", l, b.Level, b.Type, want)
		}
		if b.Data != nil || b.Message != "" || b.Category != "" {
			t.Errorf("level %d: an empty record gave %+v", l, b)
		}
	}
}

// Breadcrumbs shares one copy of the text between records: each must still
// read its own, records with no text included.
func TestBreadcrumbsShareTextInOrder(t *testing.T) {
	var recs []*Record
	for i, msg := range []string{"first", "", "third message", "\xffbad"} {
		r := Get(time.Unix(int64(i), 0), LevelInfo, DefaultBreadcrumbLimits)
		if i != 1 {
			r.SetLogger(fmt.Sprint("logger", i))
			r.SetMessage(msg)
			r.AddText(KindString, "k", fmt.Sprint("v", i))
		}
		recs = append(recs, r)
	}
	got := Breadcrumbs(recs, nil)
	want := []sentry.Breadcrumb{
		{Type: "default", Category: "logger0", Message: "first", Level: sentry.LevelInfo, Timestamp: time.Unix(0, 0), Data: map[string]any{"k": "v0"}},
		{Type: "default", Level: sentry.LevelInfo, Timestamp: time.Unix(1, 0)},
		{Type: "default", Category: "logger2", Message: "third message", Level: sentry.LevelInfo, Timestamp: time.Unix(2, 0), Data: map[string]any{"k": "v2"}},
		{Type: "default", Category: "logger3", Message: "\uFFFDbad", Level: sentry.LevelInfo, Timestamp: time.Unix(3, 0), Data: map[string]any{"k": "v3"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Breadcrumbs =\n%+v\nwant\n%+v", got, want)
	}
	if len(Breadcrumbs(nil, nil)) != 0 {
		t.Error("Breadcrumbs(nil) is not empty")
	}
}

// TestTextPieces: a piece of a record's text checked as a whole is what
// validUTF8 makes of the piece alone, wherever it starts and ends: in
// valid text too, a piece may cut a rune.
func TestTextPieces(t *testing.T) {
	for _, all := range []string{"", "ascii only", "h\u00e9llo \u20ac \U0001F600 end", "bad \xff\xfe", "\xe2\x82\xac", "a\u00b5"} {
		tx := checkedText(all)
		for from := 0; from <= len(all); from++ {
			for to := from; to <= len(all); to++ {
				sp := span{uint32(from), uint32(to - from)}
				if got, want := tx.valid(sp), validUTF8(all[from:to]); got != want {
					t.Errorf("%q[%d:%d] = %q, want %q", all, from, to, got, want)
				}
			}
		}
	}
}

// TestBreadcrumbsMatchRecordByRecord: converting a trail at once (one text
// checked for UTF-8 as a whole, keys taken from the record before, durations
// and times rendered into the slab's room) gives each record the
// breadcrumb it has converted on its own: records whose text is invalid
// only where they meet (a rune cut between two records), keys that repeat,
// change or are invalid at the same position, in groups, and more rendered
// text than newSlabFor makes room for.
func TestBreadcrumbsMatchRecordByRecord(t *testing.T) {
	var recs []*Record
	add := func(msg string, fill func(r *Record)) {
		r := Get(time.Unix(int64(len(recs)), 0), LevelInfo, DefaultBreadcrumbLimits)
		if utf8.RuneStart(msg[0]) { // else the record's text starts with msg
			r.SetLogger("slog")
		}
		r.SetMessage(msg)
		fill(r)
		recs = append(recs, r)
	}
	long := uint64(1 << 63) // math.MinInt64: "-2562047h47m16.854775808s", over a duration's room
	add("ends in a cut rune", func(r *Record) {
		r.AddText(KindString, "k", "v")
		r.AddText(KindString, "cut", "\xe2")
	})
	add("\x82\xac starts with the rest", func(r *Record) {
		r.AddText(KindString, "k", "\u20ac")
		r.AddScalar(KindDuration, "d", long)
	})
	add("same keys", func(r *Record) {
		r.AddText(KindString, "k", "w")
		r.AddScalar(KindDuration, "d", long)
	})
	trails := [][]*Record{recs} // valid as a whole, not record by record
	recs = nil
	add("bad key", func(r *Record) {
		r.AddText(KindString, "k\xff", "x")
		r.AddScalar(KindTime, "d", long)
	})
	add("bad key again", func(r *Record) {
		r.AddText(KindString, "k\xff", "y")
		r.OpenGroup("g")
		r.AddScalar(KindDuration, "d", long)
		r.CloseGroup()
	})
	add("other keys", func(r *Record) {
		r.AddText(KindString, "k\uFFFD", "z")
		r.OpenGroup("g")
		r.AddScalar(KindDuration, "e", long-1)
		r.CloseGroup()
	})
	for range 10 {
		add("many durations", func(r *Record) {
			for _, k := range []string{"a", "b", "c", "d"} {
				r.AddScalar(KindDuration, k, long)
			}
		})
	}
	for n, recs := range append(trails, recs) {
		for _, c := range []Cleaner{nil, keepAll{}} { // keys are cached for a cleaner
			got := Breadcrumbs(recs, c)
			for i, r := range recs {
				all := r.AllText()
				want := sentry.Breadcrumb{
					Type: "default", Category: validUTF8(r.LoggerIn(all)), Message: validUTF8(r.MessageIn(all)),
					Level: sentry.LevelInfo, Timestamp: r.Time, Data: r.DataIn(all),
				}
				if !reflect.DeepEqual(got[i], want) {
					t.Errorf("trail %d, cleaner %T, record %d:\n got %#v\nwant %#v", n, c, i, got[i], want)
				}
			}
		}
	}
}

// keepAll is a Cleaner that keeps every entry as it is.
type keepAll struct{}

func (keepAll) Entry(_ string, v any) (any, bool) { return v, true }
func (keepAll) Nested(map[string]any, string)     {}
func (keepAll) Plain(string) bool                 { return true }
func (keepAll) Text(s string) string              { return s }

// dropSecret is a Cleaner that drops the entries of key "secret", plain
// for every other key.
type dropSecret struct{}

func (dropSecret) Entry(k string, v any) (any, bool) { return v, k != "secret" }
func (dropSecret) Nested(map[string]any, string)     {}
func (dropSecret) Plain(k string) bool               { return k != "secret" }
func (dropSecret) Text(s string) string              { return s }

// TestCachedKeysFollowChanges: in an ASCII trail (whose pieces are taken
// unchecked) a key cached at a position, and its verdict, are used only
// while the records repeat that key there: a secret's key that follows a
// plain one at the same position, of the same length or not, is dropped,
// and so are those past the cache's 16 positions.
func TestCachedKeysFollowChanges(t *testing.T) {
	var recs []*Record
	for i, k := range []string{"k", "secret", "k", "k", "secret", "secreT", "secret"} {
		r := Get(time.Unix(int64(i), 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetMessage("m")
		r.AddText(KindString, k, "v")
		r.AddScalar(KindInt64, "n", uint64(1000+i))
		for j := range 18 {
			key := "pad"
			if j == 17 && i%2 == 1 {
				key = "secret"
			}
			r.AddScalar(KindInt64, key, uint64(j))
		}
		recs = append(recs, r)
	}
	got := Breadcrumbs(recs, dropSecret{})
	for i, r := range recs {
		want := r.DataIn(r.AllText())
		delete(want, "secret")
		if !reflect.DeepEqual(got[i].Data, want) {
			t.Errorf("record %d: got %v, want %v", i, got[i].Data, want)
		}
	}
}

// TestIsASCII agrees with a byte-by-byte check, a high bit at any position
// of strings up to 80 bytes.
func TestIsASCII(t *testing.T) {
	for n := range 81 {
		b := []byte(strings.Repeat("a", n))
		if !isASCII(string(b)) {
			t.Fatalf("%d ASCII bytes: not ASCII", n)
		}
		for i := range n {
			b[i] = 0x80
			if isASCII(string(b)) {
				t.Errorf("%d bytes, 0x80 at %d: ASCII", n, i)
			}
			b[i] = 'a'
		}
	}
}

// markTexts is a Cleaner that keeps every entry, URLs marked: Entry and
// Text append "!" to a string that holds "://" (as Cleaner's contract
// lets them), and Plain is true for the keys that start with "k".
type markTexts struct{}

func (m markTexts) Entry(k string, v any) (any, bool) {
	if s, ok := v.(string); ok {
		return m.Text(s), true
	}
	return v, true
}
func (markTexts) Nested(map[string]any, string) {}
func (markTexts) Plain(k string) bool           { return strings.HasPrefix(k, "k") }
func (markTexts) Text(s string) string {
	if strings.Contains(s, "://") {
		return s + "!"
	}
	return s
}

// TestFlatKindsAsEntry: a flat record's values of every kind, converted
// inline or not, are what Entry makes of Value's, with no cleaner, a
// cleaner that keeps them and one that marks texts, under plain keys and
// not.
func TestFlatKindsAsEntry(t *testing.T) {
	r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
	r.SetMessage("m")
	for _, k := range []string{"k", "p"} {
		r.AddText(KindString, k+"s", "http://text")
		r.AddText(KindError, k+"e", "err http://x")
		r.AddText(KindPanic, k+"x", "boom://")
		r.AddScalar(KindInt64, k+"i", uint64(1<<40))
		r.AddScalar(KindInt64, k+"j", 7)
		r.AddScalar(KindUint64, k+"u", 1<<41)
		r.AddScalar(KindFloat64, k+"f", math.Float64bits(2.5))
		r.AddScalar(KindFloat64, k+"n", math.Float64bits(math.NaN()))
		r.AddScalar(KindBool, k+"b", 1)
		r.AddScalar(KindBool, k+"c", 0)
		r.AddScalar(KindDuration, k+"d", uint64(1500*time.Microsecond))
		r.AddScalar(KindTime, k+"t", uint64(time.Unix(2, 5).UnixNano()))
		r.AddScalar(KindNull, k+"z", 0)
	}
	for _, c := range []Cleaner{nil, keepAll{}, markTexts{}} {
		got := Breadcrumbs([]*Record{r, r}, c) // the second with the keys cached
		want := r.DataIn(r.AllText())
		if c != nil {
			for k, v := range want {
				want[k], _ = c.Entry(k, v)
			}
		}
		for i := range got {
			if !reflect.DeepEqual(got[i].Data, want) {
				t.Errorf("cleaner %T, breadcrumb %d:\n got %#v\nwant %#v", c, i, got[i].Data, want)
			}
		}
	}
}

// TestOneURLInATrail: a trail's texts skip Cleaner.Text only when none of
// the trail's text holds "://" (see Breadcrumbs): with one text that does,
// at any record of the trail, of any kind of text, every text is what Text
// makes of it, the one with the URL marked, under plain keys and not.
func TestOneURLInATrail(t *testing.T) {
	kinds := []Kind{KindString, KindError, KindPanic}
	for n := 1; n <= 7; n += 3 {
		for pos := range n + 1 { // n: no record holds a URL
			for _, kind := range kinds {
				recs := make([]*Record, n)
				want := make([]string, n)
				for i := range recs {
					r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
					defer Put(r)
					r.SetMessage("m: //")
					text := "no url: here //"
					if i == pos {
						text = "go to https://u:p@h/x"
					}
					want[i] = markTexts{}.Text(text)
					r.AddText(kind, "k", text)
					r.AddText(kind, "p", text)
					recs[i] = r
				}
				for i, b := range Breadcrumbs(recs, markTexts{}) {
					for _, k := range []string{"k", "p"} {
						if b.Data[k] != want[i] {
							t.Errorf("%d records, URL at %d, kind %v: record %d's %s = %q, want %q", n, pos, kind, i, k, b.Data[k], want[i])
						}
					}
				}
			}
		}
	}
}

// TestValidInAgreesWithIn: the keys, texts and values of a record's
// checked text (CheckedText, one UTF-8 scan of the whole) are those of its
// plain copy validated piece by piece, for text that is ASCII, valid
// beyond it, invalid, and valid only where a key and its value meet.
func TestValidInAgreesWithIn(t *testing.T) {
	for _, texts := range [][2]string{
		{"key", "value"},
		{"cl\u00e9", "\u20ac \U0001F600"},
		{"bad\xffkey", "bad\xfevalue"},
		{"cut\xe2", "\x82\xac rest"}, // a rune split between key and value
		{"", ""},
	} {
		r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetLogger("slog")
		r.SetMessage("m")
		r.AddText(KindString, texts[0], texts[1])
		r.AddText(KindError, texts[1], texts[0])
		r.AddScalar(KindDuration, texts[0], uint64(1500*time.Millisecond))
		r.AddScalar(KindFloat64, texts[1], math.Float64bits(math.NaN()))
		r.AddScalar(KindInt64, texts[0], 7)
		all := r.AllText()
		tx := r.CheckedText()
		if tx.All() != all {
			t.Fatalf("%q: CheckedText = %q, want %q", texts, tx.All(), all)
		}
		for i := range r.Len() {
			a := r.Attr(i)
			if got, want := r.ValidKeyIn(tx, a), validUTF8(r.KeyIn(all, a)); got != want {
				t.Errorf("%q, attribute %d: key %q, want %q", texts, i, got, want)
			}
			gs, gok := r.ValidStringValueIn(tx, a)
			ws, wok := r.StringValueIn(all, a)
			if gs != ws || gok != wok {
				t.Errorf("%q, attribute %d: string value %q, %v, want %q, %v", texts, i, gs, gok, ws, wok)
			}
			if got, want := r.ValidValueIn(tx, a), r.ValueIn(all, a); !reflect.DeepEqual(got, want) {
				t.Errorf("%q, attribute %d: value %#v, want %#v", texts, i, got, want)
			}
		}
		Put(r)
	}
}

// modelCleaner is a Cleaner whose verdicts differ by key as an event's do:
// secret keys Filtered, a flat key under "user" removed, a "user" text
// filtered, URLs in texts marked (Text), the other keys plain.
type modelCleaner struct{}

func modelSecret(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "secret") || strings.Contains(k, "token") || strings.Contains(k, "password")
}

func (m modelCleaner) Entry(k string, v any) (any, bool) {
	switch {
	case modelSecret(k):
		return "[Filtered]", true
	case strings.HasPrefix(k, "user.") && k != "user.id":
		return nil, false
	}
	if s, ok := v.(string); ok {
		if k == "user" {
			return "[Filtered]", true
		}
		return m.Text(s), true
	}
	return v, true
}

func (modelCleaner) Nested(map[string]any, string) {}

func (modelCleaner) Plain(k string) bool {
	return !modelSecret(k) && !strings.HasPrefix(k, "user")
}

func (modelCleaner) Text(s string) string {
	if strings.Contains(s, "://") {
		return "<" + s + ">"
	}
	return s
}

var (
	reviewKeys = []string{"k", "n", "id", "pad", "url", "took", "secret", "secreT", "secrex", "token", "tokem", "tokens",
		"password", "passwore", "user", "usex", "user.id", "user.ix", "user.email", "", "a\x7fb", "\x7f", "pad01", "pad02",
		"Password", "user.emaIl", "request.path", "request.header.a", "request.header.b", "request.header.ab"}
	reviewTexts = []string{"v", "", "http://u:p@h/x", "https://h/?token=abc", "a\x7f", "://",
		"a plain text value that is long enough to cross a 32-byte boundary"}
	reviewDurations = []int64{0, 1, 999, 1000, 1001, 999999, 1e6, 1e9 - 1, 1e9, 1e9 + 1, 59e9, 60e9, 3599e9, 3600e9 + 3,
		1500, 1005000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, -1, -1e9}
)

// reviewTrail returns ASCII records from a few call sites: keys repeated at
// the same positions, changed at some (to keys of the same length and
// prefix, "secret", "secreT", "secrex", or suffix, "password", "Password",
// of 1 to 17 bytes, or to the key with one bit changed), up to 24 of them (past the key cache's 16), values of
// every flat kind (durations at each unit's bounds and negative, beyond the
// slab's 16 bytes a duration), some records with groups or JSON values
// (none in a third of the trails, which Breadcrumbs then converts as flat
// without asking each record), some with dropped attributes, and deferred
// ones expanded as a trail's copy expands them. With wide, some records
// after the first hold one piece of non-ASCII or invalid text (a key, a
// value, the logger's name or the message).
func reviewTrail(rng *rand.Rand, wide bool) []*Record {
	sites := make([][]string, 1+rng.IntN(3))
	for i := range sites {
		for range rng.IntN(25) {
			sites[i] = append(sites[i], reviewKeys[rng.IntN(len(reviewKeys))])
		}
	}
	flatOnly := rng.IntN(3) == 0
	var recs []*Record
	for ri := range 1 + rng.IntN(30) {
		limits := DefaultBreadcrumbLimits
		if rng.IntN(5) == 0 {
			limits.MaxAttrs = 1 + rng.IntN(20)
		}
		r := Get(time.Unix(1700000000+int64(ri), 0), Level(rng.IntN(5)), limits)
		r.SetLogger("slog")
		r.SetMessage("hello")
		grouped := !flatOnly && rng.IntN(4) == 0
		for _, k := range sites[rng.IntN(len(sites))] {
			switch rng.IntN(16) {
			case 0, 1:
				k = reviewKeys[rng.IntN(len(reviewKeys))]
			case 2:
				if k != "" {
					// the key with one bit of one byte changed, still ASCII:
					// equal to the cached one but there
					b := []byte(k)
					b[rng.IntN(len(b))] ^= 1 << rng.IntN(7)
					k = string(b)
				}
			}
			n := 11
			if grouped {
				n = 14
			}
			switch rng.IntN(n) {
			case 0, 1:
				r.AddText(KindString, k, reviewTexts[rng.IntN(len(reviewTexts))])
			case 2:
				r.AddText(KindError, k, reviewTexts[rng.IntN(len(reviewTexts))])
			case 3:
				r.AddText(KindPanic, k, reviewTexts[rng.IntN(len(reviewTexts))])
			case 4:
				r.AddScalar(KindInt64, k, uint64([]int64{0, 255, 256, -1, math.MinInt64}[rng.IntN(5)]))
			case 5:
				r.AddScalar(KindUint64, k, []uint64{7, 256, math.MaxUint64}[rng.IntN(3)])
			case 6:
				r.AddScalar(KindFloat64, k, math.Float64bits([]float64{2.5, math.NaN(), math.Inf(-1), 1e300}[rng.IntN(4)]))
			case 7:
				r.AddScalar(KindBool, k, uint64(rng.IntN(2)))
			case 8:
				d := reviewDurations[rng.IntN(len(reviewDurations))]
				r.AddScalar(KindDuration, k, uint64(d*int64(1-2*rng.IntN(2))))
			case 9:
				r.AddScalar(KindTime, k, uint64(time.Unix(rng.Int64N(1<<33), rng.Int64N(1e9)).UnixNano()))
			case 10:
				r.AddScalar(KindNull, k, 0)
			case 11:
				r.AddText(KindJSON, k, `{"a":"https://u:p@h/","token":"x"}`)
			case 12:
				r.OpenGroup(k)
			case 13:
				r.CloseGroup()
			}
		}
		if n := rng.IntN(40); wide && n < 5 && ri > 0 {
			// one piece of non-ASCII or invalid text: a key, a value, the
			// logger's name or the message
			bad := []string{"\xff", "é", "\xe2\x82", "\x80"}[rng.IntN(4)]
			switch n {
			case 0:
				r.AddText(KindString, "k"+bad, "v")
			case 1:
				r.AddText(KindString, "k", "v"+bad)
			case 2:
				r.SetLogger("lo" + bad)
			case 3:
				r.SetMessage(bad + "m")
			case 4:
				r.AddText(KindString, bad, bad)
			}
		}
		if rng.IntN(6) == 0 && r.Defer([]byte("k=v,secret=s,url=https://u:p@h/"), parsePairs) {
			r.Expand()
		}
		r.CloseAll()
		recs = append(recs, r)
	}
	return recs
}

// TestTrailConvertsAsRecordsAlone: each breadcrumb of a trail, converted
// with the keys (and the cleaner's verdicts on them) cached from the
// records before it, the trail's text ASCII and so its pieces taken
// unchecked, is the breadcrumb of its record converted alone, and the one
// of the same trail with a record of non-ASCII text at its end (every
// piece then checked as it was before the ASCII shortcut), without a
// cleaner and with one whose verdicts differ by key. The values converted
// stay as they were after later conversions and a collection.
func TestTrailConvertsAsRecordsAlone(t *testing.T) {
	wide := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
	wide.SetMessage("é")
	type converted struct {
		b    []map[string]any
		want []map[string]any
	}
	var done []converted
	flatTrails := 0 // of more than one record, every record flat
	for seed := range 400 {
		rng := rand.New(rand.NewPCG(uint64(seed), 3))
		recs := reviewTrail(rng, seed%2 == 1)
		if _, _, flat := newSlabFor(recs); flat && len(recs) > 1 {
			flatTrails++
		}
		for _, c := range []Cleaner{nil, modelCleaner{}} {
			got := Breadcrumbs(recs, c)
			checked := Breadcrumbs(append(recs[:len(recs):len(recs)], wide), c)
			var gotData, wantData []map[string]any
			for i, r := range recs {
				alone := Breadcrumbs([]*Record{r}, c)[0]
				if !reflect.DeepEqual(got[i], alone) || !reflect.DeepEqual(checked[i], alone) {
					t.Fatalf("seed %d, cleaner %T, record %d:\n trail   %#v\n checked %#v\n alone   %#v", seed, c, i, got[i].Data, checked[i].Data, alone.Data)
				}
				if !utf8.ValidString(got[i].Category) || !utf8.ValidString(got[i].Message) {
					t.Fatalf("seed %d, record %d: invalid UTF-8 %q, %q", seed, i, got[i].Category, got[i].Message)
				}
				if c != nil && r.flat() {
					// a flat record's entries are what Entry makes of its values
					want := r.DataIn(r.AllText())
					for k, v := range want {
						if v, ok := c.Entry(k, v); ok {
							want[k] = v
						} else {
							delete(want, k)
						}
					}
					if len(want) == 0 && len(got[i].Data) == 0 {
						want = got[i].Data
					}
					if !reflect.DeepEqual(got[i].Data, want) {
						t.Fatalf("seed %d, record %d:\n got  %#v\n want %#v", seed, i, got[i].Data, want)
					}
				}
				for k, v := range got[i].Data {
					if s, ok := v.(string); ok && (!utf8.ValidString(s) || !utf8.ValidString(k)) {
						t.Fatalf("seed %d, record %d: invalid UTF-8 %q: %q", seed, i, k, s)
					}
					if d, ok := v.(string); ok && strings.HasSuffix(d, "s") && c == nil {
						// a duration's text is what time.Duration's String writes
						for j := range r.Len() {
							if a := r.Attr(j); a.Kind == KindDuration && r.Key(a) == k && j == lastIndexOf(r, k) {
								if want := time.Duration(a.Num()).String(); d != want {
									t.Fatalf("seed %d: duration %q, want %q", seed, d, want)
								}
							}
						}
					}
				}
				gotData, wantData = append(gotData, got[i].Data), append(wantData, alone.Data)
			}
			done = append(done, converted{gotData, wantData})
		}
		PutAll(recs)
		if seed%100 == 0 {
			runtime.GC()
		}
	}
	if flatTrails < 50 || flatTrails > 350 {
		t.Errorf("%d of 400 trails of more than one record all flat: both of Breadcrumbs' ways want testing", flatTrails)
	}
	runtime.GC()
	for i, d := range done {
		if !reflect.DeepEqual(d.b, d.want) {
			t.Fatalf("conversion %d changed after later ones", i)
		}
	}
}

// lastIndexOf returns the position of r's last top-level attribute of key
// k, the one whose value a flat record's data keeps, or -1 when r has
// groups.
func lastIndexOf(r *Record, k string) int {
	if !r.flat() {
		return -1
	}
	last := -1
	for i := range r.Len() {
		if r.Key(r.Attr(i)) == k {
			last = i
		}
	}
	return last
}

// TestCachedKeyEveryLengthAndByte: a record's key that differs from the
// cached key of the record before at the same position, in any one byte
// of a key of any length 1 to 40 (for 9 to 16 bytes the two 8-byte loads
// overlap, past 16 they cannot cover the key), or by being a byte longer
// or shorter, is its own key in its breadcrumb, under a cleaner (whose
// verdict is cached with the key) and without; an equal key is the cached
// string itself.
func TestCachedKeyEveryLengthAndByte(t *testing.T) {
	base := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		return string(b)
	}
	check := func(first, second string) {
		t.Helper()
		recs := make([]*Record, 0, 3)
		for _, k := range []string{first, second, second} {
			r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
			r.AddText(KindString, "pad", "p")
			r.AddText(KindString, k, "v")
			r.AddScalar(KindInt64, "n", 300)
			recs = append(recs, r)
		}
		defer PutAll(recs)
		for _, c := range []Cleaner{nil, modelCleaner{}} {
			bs := Breadcrumbs(recs, c)
			for i, want := range []string{first, second, second} {
				d := bs[i].Data
				if _, ok := d[want]; !ok || len(d) != 3 {
					t.Fatalf("keys %q then %q, cleaner %v: breadcrumb %d has %v, want key %q", first, second, c != nil, i, d, want)
				}
			}
		}
	}
	for n := 0; n <= 40; n++ {
		k := base(n)
		check(k, k)
		check(k, k+"x")
		check(k+"x", k)
		for pos := range n {
			b := []byte(k)
			b[pos] ^= 0x20 // upper case: still ASCII, still plain
			check(k, string(b))
			check(string(b), k)
		}
	}
}
