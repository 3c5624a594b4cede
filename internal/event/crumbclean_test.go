package event

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/race"
)

// cleanRecords are records whose data takes every path of crumbCleaner:
// secret keys, URLs with secrets, user data (groups, flat keys, a value
// that is not a group, one beyond the memo of keys), keys written twice
// as a scalar, a group and a JSON value in every order, unnamed groups,
// and dropped attributes.
func cleanRecords() []*buffer.Record {
	var recs []*buffer.Record
	add := func(fill func(r *buffer.Record)) {
		r := buffer.Get(time.Unix(1700000000, 0), buffer.LevelInfo, buffer.Limits{MaxAttrs: 24, MaxValueBytes: 1024, MaxRecordBytes: 4096})
		r.SetMessage("m")
		fill(r)
		r.CloseAll()
		recs = append(recs, r)
	}
	add(func(r *buffer.Record) {
		r.AddText(buffer.KindString, "path", "/users/42")
		r.AddScalar(buffer.KindInt64, "status", 200)
		r.AddScalar(buffer.KindDuration, "took", uint64(3*time.Millisecond))
		r.AddScalar(buffer.KindBool, "cached", 0)
		r.AddText(buffer.KindString, "password", "hunter2")
		r.AddScalar(buffer.KindInt64, "api_key", 123456)
		r.AddText(buffer.KindString, "url", "https://bob:hunter2@host/p?token=abc&page=2#access_token=x")
		r.AddText(buffer.KindError, "error", "get http://h/?secret=s: refused")
	})
	add(func(r *buffer.Record) {
		r.OpenGroup("user")
		r.AddText(buffer.KindString, "id", "7")
		r.AddText(buffer.KindString, "email", "a@x")
		r.CloseGroup()
		r.AddText(buffer.KindString, "user.email", "a@x")
		r.AddText(buffer.KindString, "user.id", "7")
		r.OpenGroup("req")
		r.AddText(buffer.KindString, "token", "t")
		r.AddText(buffer.KindString, "url", "https://h/?password=p")
		r.CloseGroup()
	})
	add(func(r *buffer.Record) {
		r.AddText(buffer.KindString, "user", "ann <a@x>")
		r.OpenGroup("") // inlined
		r.AddText(buffer.KindString, "session", "s")
		r.AddScalar(buffer.KindInt64, "n", 1<<20)
		r.OpenGroup("g")
		r.AddText(buffer.KindString, "secret", "s")
		r.CloseGroup()
		r.CloseGroup()
		r.AddText(buffer.KindString, "after", "https://u:p@h/")
	})
	add(func(r *buffer.Record) { // a key as a group, then a scalar, then a group again
		r.OpenGroup("k")
		r.AddText(buffer.KindString, "cookie", "c")
		r.CloseGroup()
		r.AddText(buffer.KindString, "k", "https://h/?auth=1")
		r.OpenGroup("k")
		r.AddText(buffer.KindString, "jwt", "j")
		r.CloseGroup()
		r.OpenGroup("s")
		r.AddScalar(buffer.KindInt64, "a", 1)
		r.CloseGroup()
		r.AddScalar(buffer.KindInt64, "s", 2) // the group replaced by a scalar
		r.OpenGroup("user")
		r.AddText(buffer.KindString, "name", "n")
		r.CloseGroup()
		r.AddText(buffer.KindString, "user", "x") // the user group replaced by text
	})
	add(func(r *buffer.Record) { // JSON values: a map, a list, a scalar, then groups and scalars on their keys
		r.AddText(buffer.KindJSON, "j", `{"RawQuery":"token=1","Host":"h","password":"p","n":{"secret":1}}`)
		r.AddText(buffer.KindJSON, "l", `["https://h/?token=t",{"bearer":"b"},3]`)
		r.AddText(buffer.KindJSON, "num", `42`)
		r.AddText(buffer.KindJSON, "bad", `{"unclosed`)
		r.OpenGroup("j") // merged into the decoded map
		r.AddText(buffer.KindString, "signature", "s")
		r.CloseGroup()
		r.AddScalar(buffer.KindInt64, "l", 5) // the list replaced by a scalar
		r.AddText(buffer.KindJSON, "status", `{"a":1}`)
		r.AddText(buffer.KindJSON, "user", `{"id":"1","email":"e"}`)
		r.AddText(buffer.KindJSON, "user.email", `{"a":1}`)
		r.AddText(buffer.KindString, "user.email", "second") // removed: the JSON value before it goes too
	})
	add(func(r *buffer.Record) { // more distinct keys than the memo holds, and dropped attributes
		for i := range 30 {
			r.AddScalar(buffer.KindInt64, string(rune('a'+i%26))+"_"+string(rune('0'+i/26))+"token", uint64(i))
		}
	})
	// Keys repeated at the same positions, whose verdicts Breadcrumbs keeps
	// while the key at a position stays: plain keys (a text with a URL, a
	// time, a duration, a NaN), then a secret key, a user key and a flat key
	// under the user key where they were, then the plain keys again.
	plain := func(r *buffer.Record) {
		r.AddText(buffer.KindString, "path", "https://u:p@h/?token=1")
		r.AddScalar(buffer.KindTime, "at", uint64(time.Unix(1700000000, 5).UnixNano()))
		r.AddScalar(buffer.KindDuration, "took", uint64(3*time.Millisecond))
		r.AddScalar(buffer.KindFloat64, "ratio", math.Float64bits(math.NaN()))
	}
	add(plain)
	add(plain)
	add(func(r *buffer.Record) {
		r.AddText(buffer.KindString, "password", "https://h/")
		r.AddText(buffer.KindString, "user", "ann")
		r.AddScalar(buffer.KindDuration, "user.email", uint64(time.Second))
		r.AddScalar(buffer.KindFloat64, "token", math.Float64bits(1.5))
	})
	add(plain)
	add(func(r *buffer.Record) {}) // no data
	return recs
}

// TestCleanWhileConverting: breadcrumbs cleaned while converted
// (crumbCleaner) equal those converted and then cleaned map by map, with
// and without the user's data allowed to leave, for the default user key
// and one more; with a Scrub function, the data is cleaned after the
// conversion, as before.
func TestCleanWhileConverting(t *testing.T) {
	withUserKeys(t, "acct")
	for _, pii := range []bool{false, true} {
		client, err := sentry.NewClient(sentry.ClientOptions{DataCollection: &sentry.DataCollection{UserInfo: sentry.Set(pii)}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*scrubber{Default.scrub, newScrubber([]string{"status"}, nil)} {
			recs := cleanRecords()
			want := buffer.Breadcrumbs(recs, nil)
			g := &userGate{client: client}
			for i := range want {
				s.clean(want[i].Data, g)
			}
			c := s.cleaner(&userGate{client: client})
			got := buffer.Breadcrumbs(recs, c)
			c.done(&userGate{})
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("pii %v, record %d:\n got %#v\nwant %#v", pii, i, got[i].Data, want[i].Data)
				}
			}
			if s == Default.scrub && (got[0].Data["password"] != Filtered || got[0].Data["url"] != "https://bob:[Filtered]@host/p?token=[Filtered]&page=2#access_token=[Filtered]") {
				t.Errorf("record 0 not scrubbed: %#v", got[0].Data)
			}
			buffer.PutAll(recs)
		}
	}
	if newScrubber(nil, func(_ string, v any) any { return v }).cleaner(&userGate{}) != nil {
		t.Error("a scrubber with a Scrub function cleans while converting")
	}
}

// TestBreadcrumbsCleanedAsBefore: breadcrumbs (the event's and AddTrail's)
// send what converting and cleaning each map sends, through
// BeforeBreadcrumb, which sees cleaned data.
func TestBreadcrumbsCleanedAsBefore(t *testing.T) {
	client, err := sentry.NewClient(sentry.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	trail := buffer.NewTrail(100)
	for _, r := range cleanRecords() {
		trail.Append(r)
	}
	recs := trail.Snapshot(nil)
	want := buffer.Breadcrumbs(recs, nil)
	g := &userGate{client: client}
	for i := range want {
		Default.scrub.clean(want[i].Data, g)
	}
	buffer.PutAll(recs)
	var seen []map[string]any
	conf := policy.ClientConf{Client: client, MaxBreadcrumbs: 100, BeforeBreadcrumb: func(b *sentry.Breadcrumb, _ *sentry.BreadcrumbHint) *sentry.Breadcrumb {
		seen = append(seen, b.Data)
		return b
	}}
	got, _ := breadcrumbs(trail, conf, Default.scrub, &userGate{client: client})
	if len(got) != len(want) || len(seen) != len(want) {
		t.Fatalf("%d breadcrumbs, %d seen, want %d", len(got), len(seen), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(*got[i], want[i]) || !reflect.DeepEqual(seen[i], want[i].Data) {
			t.Errorf("breadcrumb %d:\n got %#v\nwant %#v", i, got[i].Data, want[i].Data)
		}
	}
}

// TestBreadcrumbAllocsWithBeforeBreadcrumb: with a client's
// BeforeBreadcrumb, a breadcrumb costs at most 3 allocations (its data map
// and group, and its hint's map): each hint was allocated with a pointer
// cell of its own, 4 in all.
func TestBreadcrumbAllocsWithBeforeBreadcrumb(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	client, err := sentry.NewClient(sentry.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var hints []*sentry.BreadcrumbHint
	conf := policy.ClientConf{Client: client, MaxBreadcrumbs: 100, BeforeBreadcrumb: func(b *sentry.Breadcrumb, h *sentry.BreadcrumbHint) *sentry.Breadcrumb {
		hints = append(hints, h)
		return b
	}}
	allocs := func(n int) float64 {
		trail := benchTrail(n)
		return testing.AllocsPerRun(50, func() {
			hints = hints[:0]
			breadcrumbs(trail, conf, Default.scrub, &userGate{client: client})
		})
	}
	hints = make([]*sentry.BreadcrumbHint, 0, 100)
	a20 := allocs(20)
	if per := (allocs(100) - a20) / 80; per > 3 { // the hints of the last run are the trail of 100's
		t.Errorf("%v allocations per breadcrumb, want at most 3", per)
	}
	// Each breadcrumb's hint is its own, empty and writable, as sentry-go's.
	for i, h := range hints {
		if h == nil || *h == nil || len(*h) != 0 {
			t.Fatalf("hint %d: %v", i, h)
		}
		(*h)["i"] = i
	}
	if len(hints) != 100 || (*hints[0])["i"] != 0 || (*hints[99])["i"] != 99 {
		t.Fatalf("hints shared: %d", len(hints))
	}
}

// dumpTyped writes v with the type of every value (a nil map apart from
// an empty one, a float64 by its bits), map keys sorted: what the
// differential tests of this package compare.
func dumpTyped(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			sb.WriteString("nilmap")
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sb.WriteString("{")
		for _, k := range keys {
			fmt.Fprintf(sb, "%q:", k)
			dumpTyped(sb, v[k])
			sb.WriteString(",")
		}
		sb.WriteString("}")
	case []any:
		sb.WriteString("[")
		for _, e := range v {
			dumpTyped(sb, e)
			sb.WriteString(",")
		}
		sb.WriteString("]")
	case float64:
		fmt.Fprintf(sb, "float64(%x)", math.Float64bits(v))
	default:
		fmt.Fprintf(sb, "%T(%#v)", v, v)
	}
}

// cdValid reports whether every key and text in v is valid UTF-8.
func cdValid(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if !utf8.ValidString(k) || !cdValid(e) {
				return false
			}
		}
	case []any:
		for _, e := range v {
			if !cdValid(e) {
				return false
			}
		}
	case string:
		return utf8.ValidString(v)
	}
	return true
}

// cdCrumbs dumps breadcrumbs, one a line.
func cdCrumbs(bs []sentry.Breadcrumb) string {
	var sb strings.Builder
	for i := range bs {
		b := &bs[i]
		fmt.Fprintf(&sb, "%s|%q|%q|%s|%d|", b.Type, b.Category, b.Message, b.Level, b.Timestamp.UnixNano())
		dumpTyped(&sb, b.Data)
		sb.WriteString("\n")
	}
	return sb.String()
}

// cdCrumbPtrs is cdCrumbs for the event's breadcrumbs.
func cdCrumbPtrs(bs []*sentry.Breadcrumb) string {
	v := make([]sentry.Breadcrumb, len(bs))
	for i, b := range bs {
		v[i] = *b
	}
	return cdCrumbs(v)
}

// cdParse is a Parser for "k=v,k=#n": a text, or a duration of n.
func cdParse(rec *buffer.Record, raw []byte) {
	for _, kv := range strings.Split(string(raw), ",") {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(v, "#") {
			n, _ := strconv.ParseInt(v[1:], 10, 64)
			rec.AddScalar(buffer.KindDuration, k, uint64(n))
			continue
		}
		rec.AddText(buffer.KindString, k, v)
	}
}

var (
	cdASCIIKeys = []string{"k", "n", "id", "pad", "url", "path", "status", "took", "at", "ratio", "secret", "secreT", "secrex",
		"token", "tokem", "tokens", "password", "passwore", "user", "usex", "user.id", "user.ix", "user.email", "acct", "acct.x",
		"", "a\x7fb", "\x7f", "session", "sessiom", "pad01", "pad02", "api_key", "api_kex"}
	cdWideKeys   = []string{"é", "k\xff", "\xffpassword", "pass\xffword", "tok\xe2\x82", strings.Repeat("a", 126) + "password", strings.Repeat("b", 130)}
	cdASCIITexts = []string{"v", "", "http://u:p@h/x", "https://bob:hunter2@h/?token=abc&x=1#access_token=y", "a\x7f", "://",
		"a plain text value that is long enough to cross a 32-byte boundary", "err http://h/?secret=s", "7"}
	cdWideTexts = []string{"é", "\xff", "a\xe2\x82", "\xe2\x82\xac", "https://ü:p@h/", "\xe2", "\x82\xac"}
	cdDurations []int64
)

func init() {
	ds := []int64{0, 1, -1, 999, 1000, 1001, 999999, 1e6, 1e6 + 1, 1e9 - 1, 1e9, 1e9 + 1, 59e9, 60e9, 61e9, 3599e9, 3600e9,
		3600e9 + 3, 1500, 1005000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 1e9 + 1e8}
	for p := int64(1); p < 1e18; p *= 10 {
		ds = append(ds, p, p-1, p+1, -p, 9*p)
	}
	cdDurations = ds
}

// cdGen returns a trail's records. mode: 0 all ASCII, 1 one non-ASCII byte
// in the last record only (where: in a key, logger, message or value), 2
// anything anywhere.
func cdGen(rng *rand.Rand, mode int) (recs []*buffer.Record) {
	n := 1 + rng.IntN(30)
	nsites := 1 + rng.IntN(4)
	sites := make([][]string, nsites)
	for i := range sites {
		m := rng.IntN(22)
		for range m {
			sites[i] = append(sites[i], cdASCIIKeys[rng.IntN(len(cdASCIIKeys))])
		}
	}
	grouped := rng.IntN(3) == 0
	for ri := range n {
		last := ri == n-1
		lim := buffer.DefaultBreadcrumbLimits
		if rng.IntN(5) == 0 {
			lim.MaxAttrs = 1 + rng.IntN(20)
		}
		if mode == 2 && rng.IntN(5) == 0 {
			lim.MaxValueBytes = 1 + rng.IntN(40)
		}
		r := buffer.Get(time.Unix(1700000000+int64(ri), int64(rng.IntN(1e9))), buffer.Level(rng.IntN(5)), lim)
		logger, msg := "slog", "hello"
		wide := -1
		if mode == 1 && last {
			wide = rng.IntN(4)
		}
		if mode == 2 && rng.IntN(4) == 0 {
			logger = "lögger"
		}
		if mode == 2 && rng.IntN(4) == 0 {
			msg = "msg \xff"
		}
		switch wide {
		case 1:
			logger = "lo\xc3\xa9"
		case 2:
			msg = "h\x80"
		}
		if rng.IntN(2) == 0 {
			r.SetLogger(logger)
		} else if wide == 1 {
			r.SetLogger(logger)
		}
		r.SetMessage(msg)
		site := sites[rng.IntN(nsites)]
		keys := append([]string(nil), site...)
		for i := range keys {
			if rng.IntN(8) == 0 {
				keys[i] = cdASCIIKeys[rng.IntN(len(cdASCIIKeys))]
			}
			if mode == 2 && rng.IntN(10) == 0 {
				keys[i] = cdWideKeys[rng.IntN(len(cdWideKeys))]
			}
		}
		wideAt := -1
		if wide == 0 || wide == 3 {
			if len(keys) == 0 {
				keys = append(keys, "k")
			}
			wideAt = rng.IntN(len(keys))
			if wide == 0 {
				keys[wideAt] = keys[wideAt] + "\xc3\xa9"
			}
		}
		open := 0
		for i, k := range keys {
			text := func() string {
				if wide == 3 && i == wideAt {
					return "v\xe9"
				}
				if mode == 2 && rng.IntN(6) == 0 {
					return cdWideTexts[rng.IntN(len(cdWideTexts))]
				}
				return cdASCIITexts[rng.IntN(len(cdASCIITexts))]
			}
			kinds := 12
			if grouped {
				kinds = 16
			}
			if wide == 3 && i == wideAt {
				r.AddText(buffer.KindString, k, text())
				continue
			}
			switch rng.IntN(kinds) {
			case 0, 1:
				r.AddText(buffer.KindString, k, text())
			case 2:
				r.AddText(buffer.KindError, k, text())
			case 3:
				r.AddText(buffer.KindPanic, k, text())
			case 4:
				r.AddScalar(buffer.KindInt64, k, uint64([]int64{0, 7, 255, 256, -1, 1 << 40, math.MinInt64, math.MaxInt64}[rng.IntN(8)]))
			case 5:
				r.AddScalar(buffer.KindUint64, k, []uint64{0, 255, 256, math.MaxUint64}[rng.IntN(4)])
			case 6:
				r.AddScalar(buffer.KindFloat64, k, math.Float64bits([]float64{0.5, math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 1e300, 3}[rng.IntN(7)]))
			case 7:
				r.AddScalar(buffer.KindBool, k, uint64(rng.IntN(2)))
			case 8, 9:
				d := cdDurations[rng.IntN(len(cdDurations))]
				if rng.IntN(2) == 0 {
					d = -d
				}
				r.AddScalar(buffer.KindDuration, k, uint64(d))
			case 10:
				r.AddScalar(buffer.KindTime, k, uint64(time.Unix(rng.Int64N(1<<33), rng.Int64N(1e9)).UnixNano()))
			case 11:
				r.AddScalar(buffer.KindNull, k, 0)
			case 12:
				r.AddText(buffer.KindJSON, k, []string{`{"a":"https://u:p@h/","password":"x"}`, `[1,"https://h/?token=t"]`, `3`, `{"id":"1","email":"e"}`, `{"bad`}[rng.IntN(5)])
			case 13, 14:
				r.OpenGroup(k)
				open++
			case 15:
				if open > 0 {
					r.CloseGroup()
					open--
				}
			}
		}
		if rng.IntN(6) == 0 && wide < 0 {
			raw := "k=v,secret=s,url=https://u:p@h/,took=#1500"
			if mode == 2 && rng.IntN(2) == 0 {
				raw = "k=é,p\xff=x,took=#-1"
			}
			if !r.Defer([]byte(raw), cdParse) {
				cdParse(r, []byte(raw))
			}
		} else {
			r.CloseAll()
		}
		recs = append(recs, r)
	}
	return recs
}

// TestCleanWhileConvertingRandomTrails holds Breadcrumbs with a
// crumbCleaner to converting and then cleaning each map, on random trails
// from a few call sites, all ASCII (whose pieces the conversion takes
// unchecked) or with one non-ASCII byte in the last record only (in a key,
// the logger's name, the message or a value) or non-ASCII and invalid text
// anywhere: keys repeated at the same positions (secret keys, user keys,
// flat keys under them, plain ones), changed to keys of the same length
// and prefix, more keys than the conversion caches, durations at each
// unit's bounds, URLs with credentials, deferred records, dropped
// attributes, with and without the user's data allowed, for the default
// scrubber, one with other secret keys and one with a Scrub function. Every
// text sent is valid UTF-8, and nothing converted changes after later
// conversions. With CONVDIFF_OUT set it writes what Breadcrumbs, the
// event's breadcrumbs, DataIn and ValueIn gave, to compare versions of the
// conversion by.
func TestCleanWhileConvertingRandomTrails(t *testing.T) {
	withUserKeys(t, "acct")
	seeds := 600
	if testing.Short() || race.Enabled {
		seeds = 150
	}
	var out strings.Builder
	type kept struct {
		bs   []sentry.Breadcrumb
		dump string
	}
	var keeps []kept
	var clients []*sentry.Client
	for _, pii := range []bool{false, true} {
		c, err := sentry.NewClient(sentry.ClientOptions{DataCollection: &sentry.DataCollection{UserInfo: sentry.Set(pii)}})
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	scrubs := []*scrubber{Default.scrub, newScrubber([]string{"status", "k", "pad"}, nil), newScrubber(nil, func(k string, v any) any {
		if k == "n" {
			return "scrubbed"
		}
		return v
	})}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 99))
		mode := seed % 3
		recs := cdGen(rng, mode)
		trail := buffer.NewTrail(100)
		for _, r := range recs {
			trail.Append(r)
		}
		fmt.Fprintf(&out, "seed %d mode %d\n", seed, mode)
		batch := trail.Copy()
		plain := buffer.Breadcrumbs(batch.Recs, nil)
		d := cdCrumbs(plain)
		out.WriteString(d)
		keeps = append(keeps, kept{plain, d})
		for _, r := range batch.Recs {
			all := r.AllText()
			var sb strings.Builder
			dumpTyped(&sb, r.DataIn(all))
			for i := range r.Len() {
				a := r.Attr(i)
				sb.WriteString("|")
				dumpTyped(&sb, r.ValueIn(all, a))
				s, ok := r.StringValueIn(all, a)
				fmt.Fprintf(&sb, "%q%v", s, ok)
			}
			out.WriteString(sb.String() + "\n")
		}
		for pii, client := range clients {
			for si, s := range scrubs {
				// Inline cleaning against cleaning after converting.
				if c := s.cleaner(&userGate{client: client}); c != nil {
					got := buffer.Breadcrumbs(batch.Recs, c)
					c.done(&userGate{})
					want := buffer.Breadcrumbs(batch.Recs, nil)
					g := &userGate{client: client}
					for i := range want {
						s.clean(want[i].Data, g)
					}
					if gd, wd := cdCrumbs(got), cdCrumbs(want); gd != wd {
						t.Fatalf("seed %d pii %v scrub %d: inline cleaning differs:\n got %s\nwant %s", seed, pii, si, gd, wd)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("seed %d: DeepEqual differs", seed)
					}
					gd := cdCrumbs(got)
					for i := range got {
						if !utf8.ValidString(got[i].Category) || !utf8.ValidString(got[i].Message) || !cdValid(got[i].Data) {
							t.Fatalf("seed %d, breadcrumb %d: invalid UTF-8 sent: %s", seed, i, gd)
						}
					}
					keeps = append(keeps, kept{got, gd})
				}
				conf := policy.ClientConf{Client: client, MaxBreadcrumbs: 100}
				bs, _ := breadcrumbs(trail, conf, s, &userGate{client: client})
				fmt.Fprintf(&out, "pii %v scrub %d\n", pii, si)
				out.WriteString(cdCrumbPtrs(bs))
			}
		}
		batch.Release()
		if seed%500 == 0 {
			runtime.GC()
		}
	}
	runtime.GC()
	for i, k := range keeps {
		if d := cdCrumbs(k.bs); d != k.dump {
			t.Fatalf("conversion %d changed after later ones:\n now %s\nthen %s", i, d, k.dump)
		}
	}
	if p := os.Getenv("CONVDIFF_OUT"); p != "" {
		if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

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
