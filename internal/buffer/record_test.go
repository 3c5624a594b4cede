package buffer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"
)

var small = Limits{MaxAttrs: 4, MaxValueBytes: 8, MaxRecordBytes: 64}

func TestLimitsCutAtRuneBoundaryAndMark(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, small)
	r.SetMessage("ééééé") // 10 bytes, 8 allowed
	r.AddText(KindString, "k", "abcdefghij")
	r.BeginText(KindString, "w")
	_, _ = r.WriteString("ééé")
	_, _ = r.WriteString("ééé")
	r.EndText()
	if m := r.Message(); m != "éé…" || !utf8.ValidString(m) {
		t.Errorf("message = %q, want cut at a rune boundary with …", m)
	}
	if v := r.Text(r.Attr(0)); v != "abcde…" {
		t.Errorf("AddText value = %q", v)
	}
	if v := r.Text(r.Attr(1)); v != "éé…" || r.Attr(1).Num() != 12 {
		t.Errorf("written value = %q (original length %d)", v, r.Attr(1).Num())
	}
	if !r.Truncated {
		t.Error("Truncated not set")
	}
}

func TestMaxAttrsAndRecordBytes(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, small)
	for i := range 10 {
		r.AddScalar(KindInt64, "n", uint64(i))
	}
	if r.Len() != 4 || r.DroppedAttrs != 6 {
		t.Errorf("kept %d, dropped %d; want 4 and 6", r.Len(), r.DroppedAttrs)
	}
	r = Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 100, MaxValueBytes: 1000, MaxRecordBytes: 50})
	for range 20 {
		r.AddText(KindString, "key", strings.Repeat("x", 30))
	}
	if len(r.data) > 50 {
		t.Errorf("record keeps %d bytes, budget 50", len(r.data))
	}
}

func TestGroups(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.OpenGroup("empty")
	r.CloseGroup()
	r.OpenGroup("a")
	r.AddScalar(KindBool, "x", 1)
	r.OpenGroup("b")
	r.AddScalar(KindInt64, "y", 2)
	d := r.Depth()
	r.OpenGroup("c") // left open, closed by CloseTo
	r.CloseTo(d)
	r.CloseAll()
	data := r.Data()
	if _, ok := data["empty"]; ok {
		t.Errorf("an empty group was kept: %v", data)
	}
	a, _ := data["a"].(map[string]any)
	b, _ := a["b"].(map[string]any)
	if a["x"] != true || b["y"] != int64(2) || len(b) != 1 {
		t.Errorf("data = %v", data)
	}
	if r.Depth() != 0 {
		t.Errorf("depth = %d after CloseAll", r.Depth())
	}
}

// TestGroupsBeyondMaxAttrs: a group opened after MaxAttrs is dropped with
// its close, so that the groups before it still close in order.
func TestGroupsBeyondMaxAttrs(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 2, MaxValueBytes: 100, MaxRecordBytes: 100})
	r.OpenGroup("g")
	r.AddScalar(KindInt64, "a", 1)
	r.OpenGroup("dropped")
	r.AddScalar(KindInt64, "b", 2)
	r.CloseGroup()
	r.AddScalar(KindInt64, "c", 3)
	r.CloseAll()
	g, _ := r.Data()["g"].(map[string]any)
	if g["a"] != int64(1) || len(g) != 1 {
		t.Errorf("data = %v", r.Data())
	}
}

func TestAppendRecordKeepsOpenGroups(t *testing.T) {
	pre := Get(time.Time{}, 0, DefaultBreadcrumbLimits)
	pre.AddText(KindString, "svc", "api")
	pre.OpenGroup("req")
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.AppendRecord(pre)
	r.AddScalar(KindInt64, "n", 1)
	r.CloseAll()
	req, _ := r.Data()["req"].(map[string]any)
	if r.Data()["svc"] != "api" || req["n"] != int64(1) {
		t.Errorf("data = %v", r.Data())
	}
}

func TestBeginMessage(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, small)
	r.BeginMessage()
	_, _ = r.Write([]byte("hello "))
	_, _ = r.Write([]byte("world"))
	r.EndMessage()
	if r.Message() != "hello…" {
		t.Errorf("message = %q", r.Message())
	}
}

// checkRecord reports the first broken promise of r's limits: bytes kept in
// all and per value, attributes kept, groups balanced, spans in bounds.
// Closes are exempt from MaxAttrs (a kept open always gets its close), so
// only the other attributes are counted.
func checkRecord(r *Record) error {
	l := r.limits
	if len(r.data) > l.MaxRecordBytes {
		return fmt.Errorf("record keeps %d bytes, budget %d", len(r.data), l.MaxRecordBytes)
	}
	if n := len(r.Message()); n > l.MaxValueBytes {
		return fmt.Errorf("message of %d bytes, limit %d", n, l.MaxValueBytes)
	}
	if n := len(r.Logger()); n > 128 {
		return fmt.Errorf("logger of %d bytes", n)
	}
	kept, open := 0, 0
	for i, a := range r.attrs {
		for _, s := range []span{a.key, a.text} {
			if int(s.off)+int(s.len) > len(r.data) {
				return fmt.Errorf("attr %d: span %v beyond %d bytes of data", i, s, len(r.data))
			}
		}
		if n := len(r.Key(a)); n > 128 {
			return fmt.Errorf("attr %d: key of %d bytes", i, n)
		}
		if n := len(r.Text(a)); n > l.MaxValueBytes {
			return fmt.Errorf("attr %d: value of %d bytes, limit %d", i, n, l.MaxValueBytes)
		}
		switch a.Kind {
		case KindGroupOpen:
			open++
			kept++
		case KindGroupClose:
			open--
		default:
			kept++
		}
		if open < 0 {
			return fmt.Errorf("attr %d closes a group never opened", i)
		}
	}
	if kept > l.MaxAttrs {
		return fmt.Errorf("%d attributes kept, limit %d", kept, l.MaxAttrs)
	}
	if open != r.open {
		return fmt.Errorf("%d groups open in attrs, %d counted", open, r.open)
	}
	return nil
}

// cutters store s under the given limits in each way a record takes text,
// and return what was kept.
var cutters = map[string]func(r *Record, s string) string{
	"SetMessage": func(r *Record, s string) string { r.SetMessage(s); return r.Message() },
	"AddText": func(r *Record, s string) string {
		r.AddText(KindString, "k", s)
		return r.Text(r.Attr(0))
	},
	"Write": func(r *Record, s string) string {
		r.BeginText(KindString, "k")
		_, _ = r.Write([]byte(s))
		r.EndText()
		return r.Text(r.Attr(0))
	},
	"WriteString bytewise": func(r *Record, s string) string { // every write may end inside a rune
		r.BeginText(KindString, "k")
		for i := range len(s) {
			if n, err := r.WriteString(s[i : i+1]); n != 1 || err != nil {
				panic("WriteString did not report the whole write")
			}
		}
		r.EndText()
		return r.Text(r.Attr(0))
	},
	"BeginMessage": func(r *Record, s string) string {
		r.BeginMessage()
		_, _ = r.WriteString(s)
		r.EndMessage()
		return r.Message()
	},
}

// TestCutAtEveryOffset cuts text made of 1- to 4-byte runes at every byte
// budget, by MaxValueBytes and by what is left of MaxRecordBytes: what is
// kept fits, is valid UTF-8, is the longest whole-rune prefix that leaves
// room for the mark, and ends with the mark exactly when something was cut.
func TestCutAtEveryOffset(t *testing.T) {
	for _, s := range []string{"abcdefgh", "éééé", "€€€", "😀😀😀", "a€😀é😀b", "\u00a0\U0010FFFF"} {
		for budget := 0; budget <= len(s)+1; budget++ {
			for name, cut := range cutters {
				for _, by := range []string{"value", "record"} {
					limits := Limits{MaxAttrs: 4, MaxValueBytes: budget, MaxRecordBytes: 1000}
					if by == "record" {
						limits = Limits{MaxAttrs: 4, MaxValueBytes: 1000, MaxRecordBytes: budget}
						if name != "SetMessage" && name != "BeginMessage" {
							limits.MaxRecordBytes += len("k") // the key is kept first
						}
					}
					r := Get(time.Time{}, LevelInfo, limits)
					got := cut(r, s)
					where := fmt.Sprintf("%s of %q in %d bytes by %s limit", name, s, budget, by)
					if err := checkRecord(r); err != nil {
						t.Fatalf("%s: %v", where, err)
					}
					if !utf8.ValidString(got) {
						t.Fatalf("%s: kept %q, not valid UTF-8", where, got)
					}
					if len(s) <= budget {
						if got != s || r.Truncated {
							t.Fatalf("%s: kept %q (truncated %v), want it whole", where, got, r.Truncated)
						}
						continue
					}
					if !r.Truncated {
						t.Fatalf("%s: cut to %q without Truncated", where, got)
					}
					if budget < len(ellipsis) {
						if got != "" {
							t.Fatalf("%s: kept %q, want nothing: not even the mark fits", where, got)
						}
						continue
					}
					body, marked := strings.CutSuffix(got, ellipsis)
					if !marked || !strings.HasPrefix(s, body) {
						t.Fatalf("%s: kept %q, want a prefix of it and …", where, got)
					}
					if len(body) <= budget-len(ellipsis)-utf8.UTFMax {
						t.Fatalf("%s: kept %q, more cut than the rune boundary needs", where, got)
					}
				}
			}
		}
	}
}

// TestBudgetWithEveryKindOfWrite mixes every way of adding text at every
// small record budget and checks the limits after each step.
func TestBudgetWithEveryKindOfWrite(t *testing.T) {
	steps := []func(r *Record){
		func(r *Record) { r.SetLogger("logger-ü") },
		func(r *Record) { r.SetMessage("message with ü and 😀") },
		func(r *Record) { r.AddText(KindString, "key-é", "value-€€€€") },
		func(r *Record) { r.AddText(KindJSON, "json", `{"a":[1,2,3]}`) },
		func(r *Record) { r.AddScalar(KindInt64, "scalar-key-😀", 7) },
		func(r *Record) { r.OpenGroup("group-€") },
		func(r *Record) {
			r.BeginText(KindError, "err")
			_, _ = r.WriteString("written ")
			_, _ = r.Write([]byte("in 😀 parts"))
			r.EndText()
		},
		func(r *Record) { r.CloseGroup() },
		func(r *Record) {
			src := Get(time.Time{}, 0, DefaultBreadcrumbLimits)
			src.AddText(KindString, "prefix", "pre-formatted value")
			src.OpenGroup("pre")
			r.AppendRecord(src)
		},
		func(r *Record) { r.CloseAll() },
	}
	for budget := range 120 {
		for _, maxValue := range []int{1, 2, 3, 5, 16, 1000} {
			r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 6, MaxValueBytes: maxValue, MaxRecordBytes: budget})
			for i, step := range steps {
				step(r)
				if err := checkRecord(r); err != nil {
					t.Fatalf("budget %d, value limit %d, after step %d: %v", budget, maxValue, i, err)
				}
			}
			if r.Depth() != 0 {
				t.Fatalf("budget %d: depth %d after CloseAll", budget, r.Depth())
			}
			if budget < 100 && !r.Truncated && r.DroppedAttrs == 0 {
				t.Errorf("budget %d: everything fit, so the test neither cuts nor drops", budget)
			}
		}
	}
}

func TestLongKeysAndLoggerCutAt128(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	long := strings.Repeat("€", 100) // 300 bytes
	r.SetLogger(long)
	r.AddScalar(KindInt64, long, 1)
	want := strings.Repeat("€", (128-len(ellipsis))/3) + ellipsis
	if r.Logger() != want || r.Key(r.Attr(0)) != want {
		t.Errorf("logger %q, key %q, want %q", r.Logger(), r.Key(r.Attr(0)), want)
	}
}

func TestInvalidUTF8BecomesValid(t *testing.T) {
	bad := "\xff\xfeab\xc3" // ends with half a rune
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 8, MaxValueBytes: 6, MaxRecordBytes: 1000})
	r.SetLogger(bad)
	r.SetMessage(bad + bad) // cut
	r.AddText(KindString, bad, bad)
	r.OpenGroup("g" + bad)
	r.AddText(KindError, "e", "x\xe2\x82") // half of €
	r.CloseGroup()
	b := r.Breadcrumb()
	if !utf8.ValidString(b.Category) || !utf8.ValidString(b.Message) {
		t.Errorf("category %q, message %q", b.Category, b.Message)
	}
	var walk func(map[string]any)
	walk = func(m map[string]any) {
		for k, v := range m {
			if !utf8.ValidString(k) {
				t.Errorf("key %q", k)
			}
			switch v := v.(type) {
			case string:
				if !utf8.ValidString(v) {
					t.Errorf("value %q", v)
				}
			case map[string]any:
				walk(v)
			}
		}
	}
	walk(b.Data)
	if len(b.Data) != 2 {
		t.Errorf("data = %q, want the string and the group", b.Data)
	}
	if !reflect.DeepEqual(r.Data(), b.Data) {
		t.Errorf("Data() = %q, breadcrumb data %q", r.Data(), b.Data)
	}
}

// TestMaxAttrsCountsGroupOpens: a group's open counts as an attribute, its
// close does not (so a kept group always closes), and what does not fit is
// counted.
func TestMaxAttrsCountsGroupOpens(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 3, MaxValueBytes: 100, MaxRecordBytes: 1000})
	r.OpenGroup("g")
	r.AddScalar(KindInt64, "a", 1)
	r.AddText(KindString, "b", "x")
	r.AddText(KindString, "c", "dropped")
	r.BeginText(KindString, "d")
	if n, err := r.WriteString("dropped too"); n != len("dropped too") || err != nil {
		t.Errorf("a write to a dropped value reported %d, %v", n, err)
	}
	r.EndText()
	r.CloseGroup()
	if r.Len() != 4 || r.DroppedAttrs != 2 || r.Attr(3).Kind != KindGroupClose {
		t.Fatalf("kept %d, dropped %d", r.Len(), r.DroppedAttrs)
	}
	want := map[string]any{"g": map[string]any{"a": int64(1), "b": "x"}, droppedAttrsKey: 2}
	if !reflect.DeepEqual(r.Data(), want) {
		t.Errorf("data = %v, want %v", r.Data(), want)
	}
	if strings.Contains(string(r.data), "dropped") {
		t.Errorf("a dropped value's bytes were kept: %q", r.data)
	}
}

func TestNestedEmptyGroupsVanish(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.OpenGroup("a")
	r.OpenGroup("b")
	r.OpenGroup("c")
	r.CloseAll()
	if r.Len() != 0 || r.Data() != nil || r.Depth() != 0 {
		t.Errorf("%d attrs, data %v, depth %d: want nothing", r.Len(), r.Data(), r.Depth())
	}
	r.CloseGroup() // nothing open: no effect
	r.AddScalar(KindBool, "top", 1)
	if want := map[string]any{"top": true}; !reflect.DeepEqual(r.Data(), want) {
		t.Errorf("data = %v, want %v", r.Data(), want)
	}
}

func TestCloseAllThenTopLevel(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.OpenGroup("a")
	r.AddScalar(KindInt64, "x", 1)
	r.OpenGroup("b")
	r.OpenGroup("c")
	r.AddScalar(KindInt64, "y", 2)
	if r.Depth() != 3 {
		t.Fatalf("depth %d, want 3", r.Depth())
	}
	r.CloseAll()
	r.AddScalar(KindInt64, "z", 3)
	want := map[string]any{
		"a": map[string]any{"x": int64(1), "b": map[string]any{"c": map[string]any{"y": int64(2)}}},
		"z": int64(3),
	}
	if !reflect.DeepEqual(r.Data(), want) {
		t.Errorf("data = %v, want %v", r.Data(), want)
	}
}

// TestAppendRecordNested: a prefix holding closed groups and two open ones,
// appended after attributes already in the record and within its smaller
// limits.
func TestAppendRecordNested(t *testing.T) {
	pre := Get(time.Time{}, 0, DefaultEventLimits)
	pre.OpenGroup("done")
	pre.AddScalar(KindUint64, "u", 9)
	pre.CloseGroup()
	pre.OpenGroup("empty")
	pre.CloseGroup()
	pre.OpenGroup("outer")
	pre.AddText(KindString, "long", strings.Repeat("x", 50))
	pre.OpenGroup("inner")
	pre.DroppedAttrs = 2

	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 20, MaxValueBytes: 10, MaxRecordBytes: 1000})
	r.AddScalar(KindInt64, "first", 1)
	r.AppendRecord(pre)
	if r.Depth() != 2 {
		t.Fatalf("depth %d after a prefix with 2 open groups", r.Depth())
	}
	r.AddScalar(KindBool, "leaf", 1)
	r.CloseGroup()
	r.AddScalar(KindBool, "in_outer", 0)
	r.CloseAll()
	want := map[string]any{
		"first": int64(1),
		"done":  map[string]any{"u": uint64(9)},
		"outer": map[string]any{
			"long":     "xxxxxxx…",
			"inner":    map[string]any{"leaf": true},
			"in_outer": false,
		},
		droppedAttrsKey: 2,
	}
	if !reflect.DeepEqual(r.Data(), want) {
		t.Errorf("data = %v\nwant %v", r.Data(), want)
	}
	if !r.Truncated {
		t.Error("the value cut to the record's limit did not set Truncated")
	}
	if pre.Depth() != 2 || pre.Len() != 6 {
		t.Errorf("the prefix changed: depth %d, %d attrs", pre.Depth(), pre.Len())
	}
	if err := checkRecord(r); err != nil {
		t.Error(err)
	}
}

// TestAppendRecordIntoFullRecord: a prefix's groups that do not fit are
// dropped with their closes, so the record's own groups still balance.
func TestAppendRecordIntoFullRecord(t *testing.T) {
	pre := Get(time.Time{}, 0, DefaultBreadcrumbLimits)
	pre.OpenGroup("p")
	pre.AddScalar(KindInt64, "a", 1)
	pre.OpenGroup("q")
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 3, MaxValueBytes: 10, MaxRecordBytes: 100})
	r.OpenGroup("own")
	r.AddScalar(KindInt64, "x", 0)
	r.AppendRecord(pre) // p fits, a and q do not
	r.AddScalar(KindInt64, "b", 2)
	if r.Depth() != 3 {
		t.Errorf("depth %d, want own, p and the dropped q", r.Depth())
	}
	r.CloseAll()
	want := map[string]any{"own": map[string]any{"x": int64(0)}, droppedAttrsKey: 3} // p left empty
	if !reflect.DeepEqual(r.Data(), want) {
		t.Errorf("data = %v, want %v", r.Data(), want)
	}
	if err := checkRecord(r); err != nil {
		t.Error(err)
	}
}

func TestLevelOf(t *testing.T) {
	// zerolog-like levels: trace -1, debug 0, info 1, warn 2, error 3, fatal 4.
	for l, want := range map[int]Level{-5: LevelTrace, -1: LevelTrace, 0: LevelDebug, 1: LevelInfo, 2: LevelWarning, 3: LevelError, 4: LevelFatal, 9: LevelFatal} {
		if got := LevelOf(l, 0, 1, 2, 3, 4); got != want {
			t.Errorf("LevelOf(%d) = %d, want %d", l, got, want)
		}
	}
	// slog-like levels with gaps: a level runs up to the next one's start.
	for l, want := range map[float64]Level{-8: LevelTrace, -4.5: LevelTrace, -4: LevelDebug, -0.5: LevelDebug, 0: LevelInfo, 3.9: LevelInfo, 4: LevelWarning, 7: LevelWarning, 8: LevelError, 11: LevelError, 12: LevelFatal} {
		if got := LevelOf(l, -4, 0, 4, 8, 12); got != want {
			t.Errorf("LevelOf(%v) = %d, want %d", l, got, want)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	got := Limits{MaxAttrs: -1, MaxValueBytes: 0, MaxRecordBytes: 7}.WithDefaults(DefaultEventLimits)
	want := Limits{MaxAttrs: DefaultEventLimits.MaxAttrs, MaxValueBytes: DefaultEventLimits.MaxValueBytes, MaxRecordBytes: 7}
	if got != want {
		t.Errorf("WithDefaults = %+v, want %+v", got, want)
	}
}

// TestKeysNeverLostToTheBudget: once MaxRecordBytes has no room for an
// attribute's key, it and every later one are dropped and counted, never
// kept under an empty key (nor a group's attributes moved out of it).
func TestKeysNeverLostToTheBudget(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 64, MaxValueBytes: 1 << 10, MaxRecordBytes: 4 << 10})
	big := strings.Repeat("x", 2000)
	for _, k := range []string{"a", "b", "c", "d"} {
		r.AddText(KindString, k, big)
	}
	r.AddScalar(KindInt64, "status", 503)
	r.AddScalar(KindBool, "retry", 1)
	r.OpenGroup("http")
	r.AddText(KindString, "method", "GET")
	r.CloseGroup()
	data := r.Data()
	if _, ok := data[""]; ok {
		t.Errorf("an attribute kept under an empty key: %v", keysOf(data))
	}
	if got := r.DroppedAttrs; got < 4 {
		t.Errorf("DroppedAttrs = %d, want the attributes past the budget counted", got)
	}
	if r.Depth() != 0 {
		t.Errorf("depth %d", r.Depth())
	}
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestWrittenTextCutsAsSetText: a message or value written in pieces
// (BeginMessage or BeginText, Write, EndMessage or EndText) is cut where
// SetMessage or AddText cut it whole, at every limit: the same text, the
// same mark. endText sees only the bytes the limit let in, so a 4-byte
// rune whose last byte fell beyond the limit ("aaaaa😀xyz" under 8 bytes)
// looked invalid to it, and it cut one rune earlier ("aaaa…" against
// SetMessage's "aaaaa…").
func TestWrittenTextCutsAsSetText(t *testing.T) {
	parts := []string{"a", "é", "€", "😀", "\xff", "\x80", "\xf0\x9f\x98", "\xe2\x82", "xyz"}
	var texts []string
	for _, p := range parts {
		for _, q := range parts {
			for n := 0; n <= 6; n++ {
				texts = append(texts, strings.Repeat("a", n)+p+q, strings.Repeat("é", n)+p+q+"xyz")
			}
		}
	}
	for _, s := range texts {
		for max := 1; max <= len(s)+1; max++ {
			for _, lim := range []Limits{
				{MaxAttrs: 4, MaxValueBytes: max, MaxRecordBytes: 1000},
				{MaxAttrs: 4, MaxValueBytes: 1000, MaxRecordBytes: 1 + max}, // the key "k" takes 1
			} {
				whole := Get(time.Time{}, LevelInfo, lim)
				whole.SetMessage(s)
				pieces := Get(time.Time{}, LevelInfo, lim)
				pieces.BeginMessage()
				for i := range len(s) { // byte by byte: the most pieces
					pieces.Write([]byte{s[i]})
				}
				pieces.EndMessage()
				if whole.Message() != pieces.Message() || whole.Truncated != pieces.Truncated {
					t.Errorf("%+v, message %q: SetMessage %q (cut %v), written %q (cut %v)",
						lim, s, whole.Message(), whole.Truncated, pieces.Message(), pieces.Truncated)
				}
				Put(whole)
				Put(pieces)

				whole = Get(time.Time{}, LevelInfo, lim)
				whole.AddText(KindString, "k", s)
				pieces = Get(time.Time{}, LevelInfo, lim)
				pieces.BeginText(KindString, "k")
				pieces.WriteString(s)
				pieces.EndText()
				if w, p := whole.Text(whole.Attr(0)), pieces.Text(pieces.Attr(0)); w != p || whole.Truncated != pieces.Truncated {
					t.Errorf("%+v, value %q: AddText %q, written %q", lim, s, w, p)
				}
				Put(whole)
				Put(pieces)
			}
		}
	}
}

// TestSetNamesAsSetLoggerThenSetMessage: SetNames keeps what SetLogger and
// then SetMessage keep, at the edges of the name's 128 bytes, of
// MaxValueBytes and of the record's room, multi-byte runes cut included;
// in a record new, and in one that holds text already (an attribute before
// the names: their places start past it), with room to grow into or none.
func TestSetNamesAsSetLoggerThenSetMessage(t *testing.T) {
	text := func(n int) string { return strings.Repeat("é", n/2) + strings.Repeat("x", n%2) }
	for _, lim := range []Limits{{MaxAttrs: 4, MaxValueBytes: 10, MaxRecordBytes: 200}, {MaxAttrs: 4, MaxValueBytes: 100, MaxRecordBytes: 140}, DefaultBreadcrumbLimits} {
		for _, nl := range []int{0, 1, 3, 127, 128, 129, 140, 200} {
			for _, nm := range []int{0, 1, 9, 10, 11, 12, 99, 100, 101, 139, 141} {
				for _, before := range []string{"", "k=v", "grown"} {
					logger, msg := text(nl), text(nm)
					var got, want Record
					for _, r := range []*Record{&got, &want} {
						r.Reset(time.Time{}, LevelInfo, lim)
						if before == "grown" { // after Reset: Grow is bounded by the limits
							r.Grow(512, 4)
							if cap(r.data) == 0 {
								t.Fatalf("limits %+v: Grow gave no room", lim)
							}
						}
						if before == "k=v" {
							r.AddText(KindString, "k", "v")
						}
					}
					got.SetNames(logger, msg)
					want.SetLogger(logger)
					want.SetMessage(msg)
					if got.Logger() != want.Logger() || got.Message() != want.Message() || got.Truncated != want.Truncated || got.Bytes() != want.Bytes() ||
						(before == "k=v" && (got.Key(got.Attr(0)) != "k" || got.Text(got.Attr(0)) != "v")) {
						t.Errorf("limits %+v, name %d bytes, message %d, before %q: SetNames kept %q %q (cut %v), SetLogger and SetMessage %q %q (cut %v)",
							lim, nl, nm, before, got.Logger(), got.Message(), got.Truncated, want.Logger(), want.Message(), want.Truncated)
					}
				}
			}
		}
	}
}

// TestKeysOfEveryShortLength: add copies keys of 4 to 16 bytes with
// overlapping word stores into a reused record's spare capacity; every
// length, in a record new and reused, must read back whole, beside texts
// and keys written before and after it untouched.
func TestKeysOfEveryShortLength(t *testing.T) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	r := &Record{}
	for round := range 2 { // new, then reused: capacity left from round 0
		r.Reset(time.Time{}, LevelInfo, Limits{MaxAttrs: 100, MaxValueBytes: 100, MaxRecordBytes: 4096})
		r.SetNames("lg", "m")
		for n := range 41 {
			key := alphabet[n%7 : n%7+n]
			r.AddScalar(KindInt64, key, uint64(n))
			r.AddText(KindString, "v", key+"|")
		}
		if r.Logger() != "lg" || r.Message() != "m" {
			t.Fatalf("round %d: names %q, %q", round, r.Logger(), r.Message())
		}
		for n := range 41 {
			key := alphabet[n%7 : n%7+n]
			a, v := r.Attr(2*n), r.Attr(2*n+1)
			if r.Key(a) != key || a.Num() != uint64(n) || r.Key(v) != "v" || r.Text(v) != key+"|" {
				t.Errorf("round %d, length %d: key %q (num %d), then %q = %q; want %q", round, n, r.Key(a), a.Num(), r.Key(v), r.Text(v), key)
			}
		}
	}
}

// TestKeyCopyAtCapacityEdge: add copies a key into the spare capacity of
// the record's data when it fits there, with overlapping word stores for
// keys of 4 to 16 bytes. At every key length 0..140 (past the 128-byte
// key cut) and every spare capacity around the key's length (one short,
// exact, one over, eight over), the key must read back as a whole key
// would be kept (cut at 128 bytes, on a rune boundary), the bytes before
// it untouched, and nothing written past it within the capacity: as
// append wrote it.
func TestKeyCopyAtCapacityEdge(t *testing.T) {
	lim := Limits{MaxAttrs: 10, MaxValueBytes: 100, MaxRecordBytes: 4096}
	const prefix = "0123456789"
	src := strings.Repeat("\xffkéy-ÿ\x00abcdefghijklmnopqrstuvwxyz", 8)
	for n := range 141 {
		key := src[n%5 : n%5+n]
		want := key
		if len(want) > maxKeyBytes {
			r := &Record{textStart: -1}
			r.Reset(time.Time{}, LevelInfo, lim)
			r.AddScalar(KindInt64, key, 1)
			want = r.Key(r.Attr(0))
		}
		for _, spare := range []int{n - 1, n, n + 1, n + 8} {
			if spare < 0 {
				continue
			}
			r := &Record{textStart: -1}
			r.Reset(time.Time{}, LevelInfo, lim)
			r.data = append(make([]byte, 0, len(prefix)+spare), prefix...)
			r.attrs = make([]Attr, 0, 2)
			full := r.data[:cap(r.data)]
			for i := len(prefix); i < len(full); i++ {
				full[i] = '#'
			}
			r.AddScalar(KindUint64, key, uint64(n))
			a := r.Attr(0)
			if r.Key(a) != want || a.Num() != uint64(n) || r.Len() != 1 {
				t.Errorf("key of %d bytes, %d spare: %q (%d), want %q", n, spare, r.Key(a), a.Num(), want)
			}
			if got := string(r.data[:len(prefix)]); got != prefix {
				t.Errorf("key of %d bytes, %d spare: data before the key %q", n, spare, got)
			}
			if len(r.data) != len(prefix)+len(want) {
				t.Errorf("key of %d bytes, %d spare: data %d bytes, want %d", n, spare, len(r.data), len(prefix)+len(want))
			}
			if len(full) >= len(prefix)+len(want) && &full[0] == &r.data[0] {
				for i := len(prefix) + len(want); i < len(full); i++ {
					if full[i] != '#' {
						t.Errorf("key of %d bytes, %d spare: byte %d past the key written", n, spare, i)
						break
					}
				}
			}
		}
	}
}

// TestRecordSizeClass: a Record stays within the 288-byte size class of
// Go's allocator, as it was before its event reference: a field that
// takes it past, to 320 bytes, costs every pooled record and ring 11%
// more memory, and the breadcrumbs an event converts more cache lines.
func TestRecordSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Record{}); n > 288 {
		t.Errorf("Record is %d bytes, over the 288-byte size class: pack its fields (flags next to Level)", n)
	}
}
