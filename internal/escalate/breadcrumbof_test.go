package escalate

import (
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
