package buffer

import (
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

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
