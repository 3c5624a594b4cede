package escalate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

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
