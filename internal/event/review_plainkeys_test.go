package event

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// TestPlainKeysNeverLeakAtAnyPosition holds Breadcrumbs with a crumbCleaner,
// which decides a key's plainness once per position while the key stays
// there (keyCache.keyPlain), to converting and then cleaning each map, on
// random trails where the same keys come back at the same and other
// positions, at the top level, inside named and unnamed groups and as JSON
// values: secret keys (also after a 128-byte cut, or behind invalid UTF-8),
// user keys and flat keys under them, the empty key, values with URLs, of
// every kind, under tight limits (cut texts, dropped attributes). With and
// without the user's data allowed, for the default scrubber and one whose
// secret keys match most keys. It fails when plainness decided for a
// top-level key is used for the same key inside a named group (an entry
// "password" inside a group "password" then took the group off the list
// Nested cleans: its secret "took" was sent), which cleanRecords and
// TestFlatDataSameAsGrouped do not catch.
func TestPlainKeysNeverLeakAtAnyPosition(t *testing.T) {
	withUserKeys(t, "acct")
	keys := []string{"path", "password", "user", "user.email", "user.id", "acct", "acct.x", "", "p\xffk", "\xffpassword", "pass\xffword",
		strings.Repeat("a", 125) + "password", strings.Repeat("a", 127) + "token", "token", "é", "took", "at", "url", "k", "status"}
	texts := []string{"", "x", "https://u:p@h/?token=1", "a\xffb", "é", "ann", `{"id":"1","email":"e"}`, `[1,"https://h/?token=t"]`, `3`}
	for seed := range 50 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		var recs []*buffer.Record
		for range 40 {
			r := buffer.Get(time.Unix(1700000000, 0), buffer.LevelInfo, buffer.Limits{MaxAttrs: 1 + rng.IntN(10), MaxValueBytes: 1 + rng.IntN(40), MaxRecordBytes: 200 + rng.IntN(400)})
			r.SetMessage("m")
			for range rng.IntN(12) {
				k := keys[rng.IntN(len(keys))]
				switch rng.IntN(14) {
				case 0:
					r.AddText(buffer.KindString, k, texts[rng.IntN(len(texts))])
				case 1:
					r.AddText(buffer.KindError, k, texts[rng.IntN(len(texts))])
				case 2:
					r.AddText(buffer.KindPanic, k, texts[rng.IntN(len(texts))])
				case 3:
					r.AddScalar(buffer.KindInt64, k, uint64(rng.IntN(1000)-500))
				case 4:
					r.AddScalar(buffer.KindFloat64, k, math.Float64bits([]float64{0.5, math.NaN(), math.Inf(1)}[rng.IntN(3)]))
				case 5:
					r.AddScalar(buffer.KindBool, k, uint64(rng.IntN(2)))
				case 6:
					r.AddScalar(buffer.KindDuration, k, uint64(rng.Int64N(int64(time.Hour))))
				case 7:
					r.AddScalar(buffer.KindTime, k, uint64(time.Unix(rng.Int64N(1<<32), 0).UnixNano()))
				case 8:
					r.AddScalar(buffer.KindNull, k, 0)
				case 9:
					r.AddText(buffer.KindJSON, k, texts[rng.IntN(len(texts))])
				case 10, 11:
					r.OpenGroup(k)
				case 12:
					r.CloseGroup()
				default:
					r.AddText(buffer.KindString, k, "v")
				}
			}
			r.CloseAll()
			recs = append(recs, r)
		}
		for _, pii := range []bool{false, true} {
			client, err := sentry.NewClient(sentry.ClientOptions{DataCollection: &sentry.DataCollection{UserInfo: sentry.Set(pii)}})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []*scrubber{Default.scrub, newScrubber([]string{"status", "k"}, nil)} {
				want := buffer.Breadcrumbs(recs, nil)
				g := &userGate{client: client}
				for i := range want {
					s.clean(want[i].Data, g)
				}
				c := s.cleaner(&userGate{client: client})
				got := buffer.Breadcrumbs(recs, c)
				c.done(&userGate{})
				for i := range want {
					if !reflect.DeepEqual(got[i].Data, want[i].Data) {
						t.Fatalf("seed %d, pii %v, record %d:\n got %#v\nwant %#v", seed, pii, i, got[i].Data, want[i].Data)
					}
				}
			}
		}
		buffer.PutAll(recs)
	}
}
