package escalate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// randomEventRecord builds, from r, an event record whose parts fall on
// either side of the breadcrumb limits: long and short names and values,
// many and few attributes, groups, JSON, errors.
func randomEventRecord(r *rand.Rand) *buffer.Record {
	rec := buffer.Get(time.Unix(1700000000, int64(r.IntN(1e9))), buffer.Level(r.IntN(5)), buffer.DefaultEventLimits)
	text := func() string {
		n := r.IntN(40)
		switch r.IntN(8) {
		case 0:
			n = 1000 + r.IntN(50) // about the breadcrumb value limit
		case 1:
			n = r.IntN(3000)
		}
		return strings.Repeat(string(rune('a'+r.IntN(26))), n)
	}
	rec.SetLogger(strings.Repeat("l", r.IntN(140)))
	rec.SetMessage(text())
	rec.Logged = r.IntN(4) == 0
	rec.PC = uintptr(r.IntN(2)) * 0x401000 // a copy leaves it out
	n := r.IntN(20)
	mode := r.IntN(6)
	switch mode {
	case 0: // about the breadcrumb attribute limit, in small values
		n = 55 + r.IntN(20)
	case 1: // about the breadcrumb byte limit, in values within the value limit
		n = 3 + r.IntN(4)
	}
	depth := 0
	for i := range n {
		key := "k" + strings.Repeat("x", r.IntN(5)) + string(rune('a'+i%26))
		switch mode {
		case 0:
			rec.AddScalar(buffer.KindInt64, key, r.Uint64())
			continue
		case 1:
			rec.AddText(buffer.KindString, key, strings.Repeat("v", 700+r.IntN(300)))
			continue
		}
		switch r.IntN(9) {
		case 0:
			rec.AddScalar(buffer.KindInt64, key, r.Uint64())
		case 1:
			rec.AddText(buffer.KindError, key, text())
		case 2:
			rec.AddText(buffer.KindJSON, key, `{"a":[1,2,"`+text()+`"]}`)
		case 3:
			rec.OpenGroup(key)
			depth++
		case 4:
			if depth > 0 {
				rec.CloseGroup()
				depth--
			}
		case 5:
			rec.AddScalar(buffer.KindDuration, key, uint64(r.Int64N(1e12)))
		default:
			rec.AddText(buffer.KindString, key, text())
		}
	}
	rec.CloseAll()
	return rec
}

// TestBreadcrumbOfInPlaceIsTheCopy: an event record that Relimit takes as
// the breadcrumb as it stands gives the breadcrumb the copy gives, and
// every other record is copied.
func TestBreadcrumbOfInPlaceIsTheCopy(t *testing.T) {
	lim := buffer.DefaultBreadcrumbLimits
	inPlace, copied := 0, 0
	for seed := range uint64(3000) {
		a := randomEventRecord(rand.New(rand.NewPCG(seed, 1)))
		b := randomEventRecord(rand.New(rand.NewPCG(seed, 1)))
		id := ""
		if seed%3 != 0 {
			id = "0123456789abcdef0123456789abcdef"
		}
		want := copyBreadcrumb(a, lim, id)
		e := &Escalator{breadcrumbLimits: lim}
		got := e.breadcrumbOf(b, id)
		if got != b {
			copied++
			continue
		}
		inPlace++
		if !reflect.DeepEqual(got.Breadcrumb(), want.Breadcrumb()) {
			t.Fatalf("seed %d: in place\n%+v\ncopy\n%+v", seed, got.Breadcrumb(), want.Breadcrumb())
		}
		if got.Truncated != want.Truncated || got.DroppedAttrs != want.DroppedAttrs || got.Logged != want.Logged ||
			got.Len() != want.Len() || got.PC != want.PC {
			t.Fatalf("seed %d: in place %+v, copy %+v", seed, got, want)
		}
	}
	// Both ways taken often, or the comparison above tests little.
	if inPlace < 600 || copied < 600 {
		t.Fatalf("records taken in place: %d, copied: %d; want at least 600 of each", inPlace, copied)
	}
}

// TestBreadcrumbOfKeyOfTheEventID: a record with an attribute of its own
// named as the event ID's entry gives the breadcrumb the copy gives,
// whether it is within the breadcrumb limits or not: in a Data map (and
// in Sentry Logs' attributes) the last entry of a key wins, so the event
// ID noted last would replace the record's own value, which the copy,
// noting it first, keeps.
func TestBreadcrumbOfKeyOfTheEventID(t *testing.T) {
	lim := buffer.DefaultBreadcrumbLimits
	build := func() *buffer.Record {
		rec := buffer.Get(time.Unix(1700000000, 0), buffer.LevelError, buffer.DefaultEventLimits)
		rec.SetMessage("failed")
		rec.AddText(buffer.KindString, eventIDKey, "the user's")
		rec.AddScalar(buffer.KindInt64, "n", 1)
		return rec
	}
	const id = "0123456789abcdef0123456789abcdef"
	want := copyBreadcrumb(build(), lim, id).Breadcrumb().Data
	e := &Escalator{breadcrumbLimits: lim}
	got := e.breadcrumbOf(build(), id).Breadcrumb().Data
	if got[eventIDKey] != want[eventIDKey] || len(got) != len(want) {
		t.Fatalf("breadcrumb data %v, the copy's %v", got, want)
	}
}

// parsePairs is a buffer.Parser of "key=value;" pairs, each a string
// attribute: at most len(raw)/2+1 attributes, as Parser asks.
func parsePairs(rec *buffer.Record, raw []byte) {
	for len(raw) > 0 {
		pair, rest, _ := bytes.Cut(raw, []byte(";"))
		key, val, _ := bytes.Cut(pair, []byte("="))
		rec.AddText(buffer.KindString, string(key), string(val))
		raw = rest
	}
}

// randomFields returns "key=value;" pairs of sizes about the breadcrumb
// limits: few or many pairs, short or long values, some named as the
// event ID's entry.
func randomFields(r *rand.Rand) []byte {
	var b []byte
	n := r.IntN(6)
	if r.IntN(4) == 0 {
		n = 10 + r.IntN(60) // about the attribute limit
	}
	for i := range n {
		if r.IntN(10) == 0 {
			b = append(b, eventIDKey...)
		} else {
			b = append(b, 'f', byte('a'+i%26))
		}
		b = append(b, '=')
		size := r.IntN(20)
		if r.IntN(6) == 0 {
			size = 900 + r.IntN(300) // about the value limit, for the whole
		}
		b = append(b, strings.Repeat("v", size)...)
		b = append(b, ';')
	}
	return b
}

// TestBreadcrumbOfDeferredInPlaceIsTheCopy: an event record whose fields
// are deferred (a skipped zerolog repeat's), taken in place, reads as the
// copy reads, the event ID before the fields in both; others are copied.
func TestBreadcrumbOfDeferredInPlaceIsTheCopy(t *testing.T) {
	lim := buffer.DefaultBreadcrumbLimits
	inPlace, copied := 0, 0
	for seed := range uint64(3000) {
		build := func() *buffer.Record {
			r := rand.New(rand.NewPCG(seed, 2))
			rec := randomEventRecord(r)
			if !rec.Defer(randomFields(r), parsePairs) {
				t.Fatalf("seed %d: fields not deferred", seed)
			}
			return rec
		}
		a, b := build(), build()
		id := ""
		if seed%3 != 0 {
			id = "0123456789abcdef0123456789abcdef"
		}
		want := copyBreadcrumb(a, lim, id)
		e := &Escalator{breadcrumbLimits: lim}
		got := e.breadcrumbOf(b, id)
		if got != b {
			copied++
			continue
		}
		inPlace++
		if !got.Deferred() {
			t.Fatalf("seed %d: the fields parsed when taken in place", seed)
		}
		got.Expand()
		want.Expand()
		if !reflect.DeepEqual(got.Breadcrumb(), want.Breadcrumb()) {
			t.Fatalf("seed %d: in place\n%+v\ncopy\n%+v", seed, got.Breadcrumb(), want.Breadcrumb())
		}
		if got.Truncated != want.Truncated || got.DroppedAttrs != want.DroppedAttrs || got.Logged != want.Logged ||
			got.Len() != want.Len() || got.PC != want.PC {
			t.Fatalf("seed %d: in place %+v, copy %+v", seed, got, want)
		}
		// In order, but for the event ID's entry, which a copy notes
		// first and Relimit after the record's own attributes (see
		// TestBreadcrumbOfKeyOfTheEventID): the fields come after it in both.
		if g, w := attrsBut(got, id), attrsBut(want, id); !reflect.DeepEqual(g, w) {
			t.Fatalf("seed %d: attributes in place\n%q\ncopy\n%q", seed, g, w)
		}
	}
	if inPlace < 400 || copied < 400 {
		t.Fatalf("records taken in place: %d, copied: %d; want at least 400 of each", inPlace, copied)
	}
}

// attrsBut lists rec's attributes, in order, but the event ID's entry of id.
func attrsBut(rec *buffer.Record, id string) []string {
	var out []string
	skipped := id == ""
	for i := range rec.Len() {
		a := rec.Attr(i)
		if !skipped && rec.Key(a) == eventIDKey && rec.Text(a) == id {
			skipped = true
			continue
		}
		out = append(out, fmt.Sprintf("%v %s=%s %d", a.Kind, rec.Key(a), rec.Text(a), a.Num()))
	}
	return out
}

// TestBreadcrumbOfDeferredInPlaceRandomLimits is
// TestBreadcrumbOfDeferredInPlaceIsTheCopy under random limits, small and
// large, of the event's record and of the breadcrumb: records at and over
// them, IDs cut to the value limit (below the ellipsis too), fields that
// name the ID's entry, bytes no span names (an empty group's key). It
// fails with the ID added after the deferred fields, or with Relimit's
// check of the record's MaxAttrs left out.
func TestBreadcrumbOfDeferredInPlaceRandomLimits(t *testing.T) {
	inPlace, cut := 0, 0
	pick := func(r *rand.Rand, xs ...int) int { return xs[r.IntN(len(xs))] }
	for seed := range uint64(20000) {
		var evLim, lim buffer.Limits
		id := ""
		build := func() *buffer.Record {
			r := rand.New(rand.NewPCG(seed, 3))
			evLim = buffer.Limits{MaxAttrs: pick(r, 4, 20, 64, 512), MaxValueBytes: pick(r, 5, 31, 40, 200, 1024, 20000),
				MaxRecordBytes: pick(r, 50, 120, 300, 4096, 30000)}
			lim = buffer.Limits{MaxAttrs: pick(r, 2, 4, 20, 64, 512), MaxValueBytes: pick(r, 2, 5, 20, 31, 32, 40, 200, 1024, 20000),
				MaxRecordBytes: pick(r, 40, 90, 120, 300, 4096, 30000)}
			if r.IntN(2) == 0 {
				id = "0123456789abcdef0123456789abcdef"
			} else {
				id = ""
			}
			rec := buffer.Get(time.Unix(1700000000, 0), buffer.LevelError, evLim)
			rec.SetLogger(strings.Repeat("l", r.IntN(10)))
			rec.SetMessage(strings.Repeat("m", r.IntN(40)))
			for i := range r.IntN(4) {
				switch r.IntN(4) {
				case 0:
					rec.AddScalar(buffer.KindInt64, "n"+string(rune('a'+i)), 1)
				case 1:
					rec.AddText(buffer.KindString, "s"+string(rune('a'+i)), strings.Repeat("s", r.IntN(30)))
				case 2:
					rec.OpenGroup("g")
					rec.AddText(buffer.KindString, "x", "y")
					rec.CloseGroup()
				case 3:
					rec.OpenGroup("e") // removed empty: its key's bytes stay, unnamed
					rec.CloseGroup()
				}
			}
			var raw []byte
			for range r.IntN(6) {
				if r.IntN(4) == 0 {
					raw = append(raw, eventIDKey...)
				} else {
					raw = append(raw, 'f', byte('a'+r.IntN(26)))
				}
				raw = append(raw, '=')
				raw = append(raw, strings.Repeat("v", r.IntN(12))...)
				raw = append(raw, ';')
			}
			if !rec.Defer(raw, parsePairs) {
				return nil
			}
			return rec
		}
		a, b := build(), build()
		if a == nil {
			continue
		}
		want := copyBreadcrumb(a, lim, id)
		e := &Escalator{breadcrumbLimits: lim}
		got := e.breadcrumbOf(b, id)
		if got != b {
			continue
		}
		inPlace++
		if id != "" && len(id) > lim.MaxValueBytes {
			cut++
		}
		got.Expand()
		want.Expand()
		if !reflect.DeepEqual(got.Breadcrumb(), want.Breadcrumb()) || got.Truncated != want.Truncated ||
			got.DroppedAttrs != want.DroppedAttrs || got.Len() != want.Len() {
			t.Fatalf("seed %d (event %+v, breadcrumb %+v): in place\n%+v %v %d\ncopy\n%+v %v %d", seed, evLim, lim,
				got.Breadcrumb(), got.Truncated, got.DroppedAttrs, want.Breadcrumb(), want.Truncated, want.DroppedAttrs)
		}
		if g, w := attrsButCut(got, id), attrsButCut(want, id); !reflect.DeepEqual(g, w) {
			t.Fatalf("seed %d: attributes in place\n%q\ncopy\n%q", seed, g, w)
		}
	}
	t.Logf("in place %d, the ID cut %d", inPlace, cut)
	if inPlace < 500 || cut < 50 {
		t.Fatalf("in place %d, the ID cut %d: too few", inPlace, cut)
	}
}

// attrsButCut is attrsBut for an ID that may be cut: the first entry of its
// key whose text is the ID or a cut of it is left out.
func attrsButCut(rec *buffer.Record, id string) []string {
	all := attrsBut(rec, "")
	for i := range rec.Len() {
		a := rec.Attr(i)
		if id == "" || rec.Key(a) != eventIDKey {
			continue
		}
		if text := rec.Text(a); text == id || strings.HasPrefix(id, strings.TrimSuffix(text, "…")) {
			return append(all[:i:i], all[i+1:]...)
		}
	}
	return all
}

// TestBreadcrumbOfDeferredInPlaceAtTheLimits sweeps the breadcrumb's byte,
// value and attribute limits across the sizes of a deferred record with
// groups (empty ones among them) and the ID's key inside and out, so that
// the record is at, just within and just over each: taken in place or
// copied, it reads as the copy. It fails with Relimit's bound of the
// fields' attributes left out.
func TestBreadcrumbOfDeferredInPlaceAtTheLimits(t *testing.T) {
	raw := []byte("fa=v;sentry.event_id=mine;g={;sentry.event_id=x;e={;};};fb=vvvvvvvv;e={;};fc=;")
	inPlace := 0
	for _, id := range []string{"", "0123456789abcdef0123456789abcdef"} {
		for maxRecord := 100; maxRecord <= 260; maxRecord++ {
			for _, maxValue := range []int{2, 3, 4, 20, 31, 32, 33, len(raw) - 1, len(raw), len(raw) + 1, 1000} {
				for maxAttrs := 1; maxAttrs <= 50; maxAttrs++ {
					if maxAttrs > 2 && maxAttrs < 30 { // the fields' bound is about 40
						continue
					}
					lim := buffer.Limits{MaxAttrs: maxAttrs, MaxValueBytes: maxValue, MaxRecordBytes: maxRecord}
					build := func() *buffer.Record {
						rec := buffer.Get(time.Unix(1700000000, 0), buffer.LevelError, buffer.DefaultEventLimits)
						rec.SetLogger("zerolog")
						rec.SetMessage("checkout failed")
						rec.AddScalar(buffer.KindInt64, "n", 1)
						if !rec.Defer(raw, parseGroups) {
							t.Fatal("not deferred")
						}
						return rec
					}
					a, b := build(), build()
					want := copyBreadcrumb(a, lim, id)
					got := (&Escalator{breadcrumbLimits: lim}).breadcrumbOf(b, id)
					if got == b {
						inPlace++
					}
					got.Expand()
					want.Expand()
					if !reflect.DeepEqual(got.Breadcrumb(), want.Breadcrumb()) || got.Truncated != want.Truncated ||
						got.DroppedAttrs != want.DroppedAttrs || got.Len() != want.Len() {
						t.Fatalf("limits %+v, id %q: in place %v\n%+v %v %d\ncopy\n%+v %v %d", lim, id, got == b,
							got.Breadcrumb(), got.Truncated, got.DroppedAttrs, want.Breadcrumb(), want.Truncated, want.DroppedAttrs)
					}
					if g, w := attrsButCut(got, id), attrsButCut(want, id); !reflect.DeepEqual(g, w) {
						t.Fatalf("limits %+v, id %q: attributes in place %v\n%q\ncopy\n%q", lim, id, got == b, g, w)
					}
				}
			}
		}
	}
	if inPlace < 1000 {
		t.Fatalf("%d taken in place: too few", inPlace)
	}
}

// parseGroups is parsePairs with groups: "key={;" opens one, "};" closes
// it. It writes at most len(raw)/2+1 attributes, as Parser asks.
func parseGroups(rec *buffer.Record, raw []byte) {
	for len(raw) > 0 {
		pair, rest, _ := bytes.Cut(raw, []byte(";"))
		key, val, _ := bytes.Cut(pair, []byte("="))
		switch {
		case string(pair) == "}":
			rec.CloseGroup()
		case string(val) == "{":
			rec.OpenGroup(string(key))
		default:
			rec.AddText(buffer.KindString, string(key), string(val))
		}
		raw = rest
	}
}
