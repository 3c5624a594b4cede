package event

import (
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// rndKeys, rndTexts and rndDurs are what rndFill draws keys and values from.
var rndKeys = []string{"path", "status", "password", "api_key", "user", "user.email", "email", "url", "k", "a", "id", "ip_address", "username", "foo", "Foo_Bar", "x://y", "tok\xffen", "", "\xff", "é", "session", "dsn"}

var rndTexts = []string{"", "plain", "https://u:p@h/x?token=t#access_token=y", "http:", "//u:p@h/", ":", "/", "//", "a:/", "go to https://bob:hunter2@host/p?password=1 now", ":\xff//u:p@h", "\xff\xfe", "é", "日本語", "x:" + "//", "ftp://a:b@c", "https://h/?secret=s&x=1", "[Filtered]", "mailto:a@b", "http://h/p", "\"https://a:b@c\"", strings.Repeat("ab", 80) + "https://u:p@h", "a\x00b"}

var rndDurs = []int64{0, 1, -1, 9, 10, 999, 1000, 1001, 1500, 9999, 999999, 1000000, 1500000, 9999999, 999999999, 1e9, 9999000000, 9999999999, 59e9, 60e9, 61e9, 3599e9, 3600e9, 3601e9 + 5, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, -1e9, -9999999999, -3601e9, 3 * 1e6, 123456789012}

func rndText(rng *rand.Rand) string {
	switch rng.Intn(4) {
	case 0:
		b := make([]byte, rng.Intn(20))
		for i := range b {
			const al = ":/@?#abé\xff\xc3 "
			b[i] = al[rng.Intn(len(al))]
		}
		return string(b)
	case 1:
		return rndTexts[rng.Intn(len(rndTexts))] + rndTexts[rng.Intn(len(rndTexts))]
	}
	return rndTexts[rng.Intn(len(rndTexts))]
}

func rndKey(rng *rand.Rand) string {
	switch rng.Intn(8) {
	case 0:
		n := 120 + rng.Intn(20)
		return strings.Repeat("k", n) + rndKeys[rng.Intn(len(rndKeys))]
	case 1:
		return strings.Repeat("é", 60+rng.Intn(8)) + "password"
	}
	return rndKeys[rng.Intn(len(rndKeys))]
}

func rndNum(rng *rand.Rand) uint64 {
	switch rng.Intn(5) {
	case 0:
		return uint64(rng.Intn(300))
	case 1:
		return uint64(-int64(rng.Intn(300)))
	case 2:
		return rng.Uint64()
	case 3:
		return []uint64{255, 256, 0, 1 << 63, math.MaxUint64, math.Float64bits(math.NaN()), math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1)), math.Float64bits(1), math.Float64bits(math.Copysign(0, -1))}[rng.Intn(10)]
	}
	return uint64(rng.Intn(256))
}

// rndFill fills r with a random message, logger and attributes: flat or
// with groups and JSON values.
func rndFill(rng *rand.Rand, r *buffer.Record) {
	if rng.Intn(3) == 0 {
		r.SetLogger(rndText(rng))
	}
	r.SetMessage(rndText(rng))
	flat := rng.Intn(2) == 0
	n := rng.Intn(14)
	for range n {
		k := rndKey(rng)
		switch c := rng.Intn(14); {
		case c < 3:
			kinds := []buffer.Kind{buffer.KindString, buffer.KindError, buffer.KindPanic}
			r.AddText(kinds[rng.Intn(3)], k, rndText(rng))
		case c == 3:
			r.AddScalar(buffer.KindInt64, k, rndNum(rng))
		case c == 4:
			r.AddScalar(buffer.KindUint64, k, rndNum(rng))
		case c == 5:
			r.AddScalar(buffer.KindFloat64, k, rndNum(rng))
		case c == 6:
			r.AddScalar(buffer.KindBool, k, uint64(rng.Intn(2)))
		case c == 7:
			var d int64
			if rng.Intn(2) == 0 {
				d = rndDurs[rng.Intn(len(rndDurs))]
			} else {
				d = int64(rng.Uint64()) >> rng.Intn(64)
				if rng.Intn(2) == 0 {
					d = -d
				}
			}
			r.AddScalar(buffer.KindDuration, k, uint64(d))
		case c == 8:
			r.AddScalar(buffer.KindTime, k, uint64(int64(rng.Uint64())>>rng.Intn(64)))
		case c == 9:
			r.AddScalar(buffer.KindNull, k, 0)
		case c == 10 && !flat:
			r.OpenGroup(k)
		case c == 11 && !flat:
			r.CloseGroup()
		case c == 12 && !flat:
			js := []string{`{"password":"x","u":"https://a:b@h"}`, `[1,"https://a:b@h",{"token":1}]`, `3`, `"s"`, `{"email":"e","id":7}`, `{`}
			r.AddText(buffer.KindJSON, k, js[rng.Intn(len(js))])
		default:
			r.AddText(buffer.KindString, k, rndText(rng))
		}
	}
	r.CloseAll()
}

// TestRandomTrailsCleanedAsBefore: for random trails (every kind of value,
// secret, user, cut and invalid-UTF-8 keys, URLs whole or in pieces of a
// text, over records or nowhere, groups and JSON, tight limits), the
// breadcrumbs cleaned while they are built (crumbCleaner, with
// Breadcrumbs skipping Text for a trail without "://") are what cleaning
// each converted map sends, as TestBreadcrumbsCleanedAsBefore holds for
// its fixed records.
func TestRandomTrailsCleanedAsBefore(t *testing.T) {
	pii, _ := sentry.NewClient(sentry.ClientOptions{DataCollection: &sentry.DataCollection{UserInfo: sentry.Set(true)}})
	nopii, _ := sentry.NewClient(sentry.ClientOptions{})
	scrubbers := []*scrubber{Default.scrub, newScrubber([]string{"foo", "id", "k"}, nil)}
	fails := 0
	for seed := range 1500 {
		rng := rand.New(rand.NewSource(int64(seed)))
		trail := buffer.NewTrail(1 + rng.Intn(12))
		for range rng.Intn(20) {
			lim := buffer.DefaultBreadcrumbLimits
			if rng.Intn(3) == 0 {
				lim = buffer.Limits{MaxAttrs: 1 + rng.Intn(12), MaxValueBytes: 1 + rng.Intn(64), MaxRecordBytes: 1 + rng.Intn(512)}
			}
			r := buffer.Get(time.Unix(5, 0), buffer.Level(rng.Intn(5)), lim)
			rndFill(rng, r)
			trail.Append(r)
		}
		client := nopii
		if rng.Intn(2) == 0 {
			client = pii
		}
		sc := scrubbers[rng.Intn(len(scrubbers))]
		recs := trail.Snapshot(nil)
		want := buffer.Breadcrumbs(recs, nil)
		g := &userGate{client: client}
		for i := range want {
			sc.clean(want[i].Data, g)
		}
		buffer.PutAll(recs)
		got, _ := breadcrumbs(trail, policy.ClientConf{Client: client, MaxBreadcrumbs: 100}, sc, &userGate{client: client})
		for i := range want {
			var a, b strings.Builder
			dumpTyped(&a, got[i].Data)
			dumpTyped(&b, want[i].Data)
			if a.String() != b.String() {
				if fails++; fails < 5 {
					t.Errorf("seed %d crumb %d:\n got %s\nwant %s", seed, i, a.String(), b.String())
				}
			}
		}
	}
}
