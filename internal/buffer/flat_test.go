package buffer

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestFlatDataSameAsGrouped holds flatDataIn, the path of records without
// groups and JSON values, to groupedDataIn, which every record took
// before: 2,000 random flat records (every scalar and text kind, numbers
// that box free and not, NaN, duplicate keys, invalid UTF-8, attributes
// dropped for MaxAttrs), converted in one sequence by each path with its
// own slab and key cache, give the same data, without a cleaner, with one
// that keeps everything, and with one that filters, drops and keeps keys
// plain.
func TestFlatDataSameAsGrouped(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{"path", "status", "pw", "secret", "drop", "plain", "p\xffk", "k\u00e9", "took", "x"}
	texts := []string{"", "/users/42", "https://u:p@h/?token=1", "a\xffb", "é"}
	var recs []*Record
	for range 2000 {
		r := Get(time.Unix(1700000000, 0), LevelInfo, Limits{MaxAttrs: 1 + rng.IntN(8)}.WithDefaults(DefaultBreadcrumbLimits))
		for range rng.IntN(10) {
			k := keys[rng.IntN(len(keys))]
			switch rng.IntN(11) {
			case 0:
				r.AddText(KindString, k, texts[rng.IntN(len(texts))])
			case 1:
				r.AddText(KindError, k, texts[rng.IntN(len(texts))])
			case 2:
				r.AddText(KindPanic, k, texts[rng.IntN(len(texts))])
			case 3:
				r.AddScalar(KindInt64, k, uint64(rng.IntN(1000)-500))
			case 4:
				r.AddScalar(KindUint64, k, rng.Uint64N(1000))
			case 5:
				f := []float64{0.5, 300, math.NaN(), math.Inf(-1)}[rng.IntN(4)]
				r.AddScalar(KindFloat64, k, math.Float64bits(f))
			case 6:
				r.AddScalar(KindBool, k, uint64(rng.IntN(2)))
			case 7:
				r.AddScalar(KindDuration, k, uint64(rng.Int64N(int64(time.Hour))))
			case 8:
				r.AddScalar(KindTime, k, uint64(time.Unix(rng.Int64N(1<<32), rng.Int64N(1e9)).UnixNano()))
			case 9:
				r.AddScalar(KindNull, k, 0)
			default:
				r.AddText(KindString, k, strings.Repeat("v", rng.IntN(20)))
			}
		}
		if !r.flat() {
			t.Fatalf("record not flat: %v", r.attrs)
		}
		recs = append(recs, r)
	}
	defer PutAll(recs)
	for _, c := range []Cleaner{nil, keepAll{}, picky{}} {
		convert := func(data func(r *Record, t text, s *slab, c Cleaner, kc *keyCache) map[string]any) []map[string]any {
			s, all, _ := newSlabFor(recs)
			var kc keyCache
			out := make([]map[string]any, len(recs))
			for i, r := range recs {
				out[i] = data(r, checkedText(all[:len(r.data)]), &s, c, &kc)
				all = all[len(r.data):]
			}
			return out
		}
		got := convert((*Record).flatDataIn)
		want := convert((*Record).groupedDataIn)
		for i := range recs {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("cleaner %T, record %d:\n got %#v\nwant %#v", c, i, got[i], want[i])
			}
		}
	}
}

// picky is a Cleaner that drops the entries of keys starting with "d" and
// the false ones of keys not plain, filters those starting with "s", marks
// texts with a URL, and finds plain the keys starting with "p" (which it
// cleans the same way, as Plain promises).
type picky struct{}

func (p picky) Entry(k string, v any) (any, bool) {
	switch {
	case strings.HasPrefix(k, "d"), v == false && !p.Plain(k):
		return nil, false
	case strings.HasPrefix(k, "s"):
		return "[F]", true
	}
	if s, ok := v.(string); ok {
		return p.Text(s), true
	}
	return v, true
}
func (picky) Nested(map[string]any, string) {}
func (picky) Plain(k string) bool           { return strings.HasPrefix(k, "p") }
func (picky) Text(s string) string {
	if strings.Contains(s, "://") {
		return "url:" + s
	}
	return s
}
