package event

import (
	"math"
	"reflect"
	"testing"
	"time"

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
