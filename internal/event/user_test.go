package event

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// withUserKeys registers keys for one test and restores the registry after.
func withUserKeys(t *testing.T, keys ...string) {
	t.Cleanup(policy.Default().Reset)
	for _, k := range keys {
		policy.Default().RegisterUserKey(k)
	}
}

// TestCleanGatesUserData: what clean leaves of data, without user info, for
// each shape user data takes, with the secret scrubber and the user's Scrub
// function applied first.
func TestCleanGatesUserData(t *testing.T) {
	toGroup := func(_ string, v any) any { // a Scrub that turns "id=7" into a user group
		if s, ok := v.(string); ok && strings.HasPrefix(s, "id=") {
			return map[string]any{"id": s[3:], "email": "a@x"}
		}
		return v
	}
	toText := func(_ string, v any) any { // a Scrub that turns groups into text
		if m, ok := v.(map[string]any); ok {
			return fmt.Sprint(len(m), " fields")
		}
		return v
	}
	for _, tc := range []struct {
		name  string
		keys  []string // user keys registered, in order
		scrub func(string, any) any
		in    map[string]any
		want  map[string]any
	}{
		{"group keeps its id", nil, nil,
			map[string]any{"user": map[string]any{"id": "1", "email": "e", "n": map[string]any{"password": "p"}}, "x": 1},
			map[string]any{"user": map[string]any{"id": "1"}, "x": 1}},
		{"flat keys but the id removed", nil, nil,
			map[string]any{"user.id": "1", "user.email": "e", "username": "u"},
			map[string]any{"user.id": "1", "username": "u"}},
		{"a value that is not a group filtered", nil, nil,
			map[string]any{"user": "ann <a@x>"},
			map[string]any{"user": Filtered}},
		{"secrets at every depth", nil, nil,
			map[string]any{"user": map[string]any{"id": "1", "token": "t"}, "x": []any{map[string]any{"secret": 1}}},
			map[string]any{"user": map[string]any{"id": "1"}, "x": []any{map[string]any{"secret": Filtered}}}},
		{"a user key under another, registered first", []string{"acct.owner", "acct"}, nil,
			map[string]any{"acct.owner": map[string]any{"id": "7", "email": "e"}, "acct.owner.id": "7", "acct": map[string]any{"id": "1"}},
			map[string]any{"acct": map[string]any{"id": "1"}}},
		{"a user key under another, registered last", []string{"acct", "acct.owner"}, nil,
			map[string]any{"acct.owner": map[string]any{"id": "7", "email": "e"}, "acct.owner.id": "7", "acct": map[string]any{"id": "1"}},
			map[string]any{"acct": map[string]any{"id": "1"}}},
		{"a non-group user value under another key removed", []string{"acct.owner", "acct"}, nil,
			map[string]any{"acct.owner": "a@x"},
			map[string]any{}},
		{"Scrub's group is gated", nil, toGroup,
			map[string]any{"user": "id=7"},
			map[string]any{"user": map[string]any{"id": "7"}}},
		{"Scrub's text in place of a group is filtered", nil, toText,
			map[string]any{"user": map[string]any{"id": "7", "email": "a@x"}},
			map[string]any{"user": Filtered}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withUserKeys(t, tc.keys...)
			newScrubber(nil, tc.scrub).clean(tc.in, &userGate{})
			if !reflect.DeepEqual(tc.in, tc.want) {
				t.Errorf("clean left %v, want %v", tc.in, tc.want)
			}
		})
	}
}

// TestCleanSendsAllWithUserInfo: with user info on, only secrets go.
func TestCleanSendsAllWithUserInfo(t *testing.T) {
	client, err := sentry.NewClient(sentry.ClientOptions{DataCollection: &sentry.DataCollection{UserInfo: sentry.Set(true)}})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"user": map[string]any{"id": "1", "email": "e", "token": "t"}, "user.email": "e", "user.x": "ann"}
	Default.scrub.clean(in, &userGate{client: client})
	want := map[string]any{"user": map[string]any{"id": "1", "email": "e", "token": Filtered}, "user.email": "e", "user.x": "ann"}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("clean left %v, want %v", in, want)
	}
}

// TestCleanScrubSeesGatedData: Options.Scrub sees every attribute, those the
// gate removes too.
func TestCleanScrubSeesGatedData(t *testing.T) {
	var seen []string
	s := newScrubber(nil, func(k string, v any) any { seen = append(seen, k); return v })
	s.clean(map[string]any{"user.email": "e"}, &userGate{})
	s.clean(map[string]any{"user": map[string]any{"email": "e"}}, &userGate{})
	if got := strings.Join(seen, ","); got != "user.email,user,email" {
		t.Errorf("Scrub saw %q, want every key", got)
	}
}

// TestCleanReadsOptionsOnlyToGate: an id alone, or no user data, does not
// read the client's options (a copy of them, on every event).
func TestCleanReadsOptionsOnlyToGate(t *testing.T) {
	for _, data := range []map[string]any{
		{"user": map[string]any{"id": "7"}, "user.id": "7"},
		{"path": "/"},
	} {
		g := &userGate{}
		Default.scrub.clean(data, g)
		if g.decided {
			t.Errorf("options read for %v", data)
		}
	}
	g := &userGate{}
	Default.scrub.clean(map[string]any{"user": map[string]any{"id": "7", "email": "e"}}, g)
	if !g.decided {
		t.Error("options not read for a group with an email")
	}
}

// TestGateKeyByFirstByte: gateKey, which skips a user key whose first
// byte the key does not start with (whatever its case), decides as the
// plain loop over the user keys does, matching them whatever their case,
// for keys equal to, under, beside, shorter and longer than user keys of
// one and more bytes, with and without user info.
func TestGateKeyByFirstByte(t *testing.T) {
	withUserKeys(t, "acct", "u")
	plain := func(k string, g *userGate) (gateVerdict, bool) {
		isUserKey := false
		for _, u := range userKeys() {
			lk := strings.ToLower(k)
			if lk != u.ID && strings.HasPrefix(lk, u.Prefix) {
				if g.sendsAll() {
					return gateKeep, false
				}
				return gateRemove, false
			}
			isUserKey = isUserKey || lk == u.Key
		}
		return gateKeep, isUserKey
	}
	keys := []string{"", "u", "u.", "u.id", "u.x", "ux", "user", "user.", "user.id", "user.email", "users", "usr",
		"acct", "acct.id", "acct.owner", "acc", "xacct", "User", "a", "path", "\xff",
		"U", "U.ID", "USER.EMAIL", "User.Id", "Acct.Owner", "ACCT", "@ser", "`ser"}
	for _, all := range []bool{false, true} {
		for _, k := range keys {
			gv, gu := gateKey(k, &userGate{decided: true, all: all})
			wv, wu := plain(k, &userGate{decided: true, all: all})
			if gv != wv || gu != wu {
				t.Errorf("user info %v, key %q: %v, %v, want %v, %v", all, k, gv, gu, wv, wu)
			}
		}
	}
}

// nestedUserJSON are JSON values with user data inside maps and lists.
var nestedUserJSON = []string{
	`{"user":{"id":"j1","email":"je@x"},"n":1}`,
	`{"k":{"user":{"id":"j2","ip_address":"10.0.0.2"},"acct":"j@x"}}`,
	`[{"user":{"id":"l1","email":"le@x"}},[{"acct":{"id":"l2","name":"ln"}},"s"],3]`,
	`{"a":{"b":{"user":"fe@x","user.email":"fe2@x","user.id":"f3"}}}`,
	`{"user":[{"id":"x"}]}`,
	`"plain"`,
}

// nestedUserFill fills r, from rng, with groups down to depth 3 whose keys
// are user keys ("user", and "acct" registered), flat keys under them,
// and other keys; with JSON values of nestedUserJSON unless plain, and
// keys with dots only then too (a record SendLog may send flat, see
// needsMap).
func nestedUserFill(rng *rand.Rand, r *buffer.Record, plain bool) {
	keys := []string{"user", "acct", "app", "a", "id", "email", "name", "n"}
	if !plain {
		keys = append(keys, "user.id", "user.email", "acct.id", "acct.name", "app.user")
	}
	depth := 0
	for i := range 4 + rng.Intn(14) {
		k := keys[rng.Intn(len(keys))]
		switch c := rng.Intn(10); {
		case c < 3 && depth < 3:
			r.OpenGroup(k)
			depth++
		case c < 5 && depth > 0:
			r.CloseGroup()
			depth--
		case c == 5 && !plain:
			r.AddText(buffer.KindJSON, k, nestedUserJSON[rng.Intn(len(nestedUserJSON))])
		case c == 6:
			r.AddScalar(buffer.KindInt64, k, uint64(i))
		default:
			r.AddText(buffer.KindString, k, fmt.Sprintf("v%d@x", i))
		}
	}
	r.CloseAll()
}

// refGate is the user gate as Options.UserKey documents it, applied to
// data at every depth (maps in maps and in lists): for each registered
// user key, a flat key under it but its id is removed, and the key's own
// value keeps only its "id" if it is a map, else is Filtered; all keeps
// everything.
func refGate(v any, all bool) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			refGate(e, all)
		}
	case map[string]any:
		for k, e := range v {
			refGate(e, all)
			if all {
				continue
			}
			for _, u := range userKeys() {
				if k != u.ID && strings.HasPrefix(k, u.Prefix) {
					delete(v, k)
					break
				}
				if k != u.Key {
					continue
				}
				if m, ok := e.(map[string]any); ok {
					for f := range m {
						if f != "id" {
							delete(m, f)
						}
					}
				} else {
					v[k] = Filtered
				}
			}
		}
	}
}

// logAttrs renders a Sentry log's attributes as fmt prints their values,
// without the ones SendLog and sentry-go add.
func logAttrs(l *sentry.Log) map[string]string {
	out := map[string]string{}
	for k, v := range l.Attributes {
		if strings.HasPrefix(k, "sentry.") || k == loggerKey {
			continue
		}
		out[k] = fmt.Sprint(v.AsInterface())
	}
	return out
}

// TestNestedUserGatedRandom: for random records with user data nested in
// groups (depth 1 to 3), in JSON maps and in lists' maps, with the Scrub
// function or without, with user info or without, the event's log
// context, tags, fingerprint and user, its breadcrumb (cleaned while
// converted, or after when Scrub is set) and the record's Sentry Log
// (sent flat or as a map) are the record's data with the user gate
// applied at every depth (refGate): only a top-level "user" group fills
// the event's user.
func TestNestedUserGatedRandom(t *testing.T) {
	withUserKeys(t, "acct")
	var logs []*sentry.Log
	clients := map[bool]*sentry.Client{}
	for _, all := range []bool{false, true} {
		o := sentry.ClientOptions{BeforeSendLog: func(l *sentry.Log) *sentry.Log { logs = append(logs, l); return nil }}
		if all {
			o.DataCollection = &sentry.DataCollection{UserInfo: sentry.Set(true)}
		}
		c, err := sentry.NewClient(o)
		if err != nil {
			t.Fatal(err)
		}
		clients[all] = c
	}
	scrubCalls := 0
	identity := func(_ string, v any) any { scrubCalls++; return v }
	tagKeys := []string{"app.user.email", "app.user.id", "a.user.name", "app.a.user", "app.email"}
	flatLogs, fails := 0, 0
	for seed := range 3000 {
		rng := rand.New(rand.NewSource(int64(seed)))
		all := rng.Intn(2) == 0
		plain := rng.Intn(2) == 0
		var fn func(string, any) any
		if rng.Intn(3) == 0 {
			fn = identity
		}
		fill := rng.Int63()
		newRec := func(lim buffer.Limits) *buffer.Record {
			r := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, lim)
			r.SetMessage("m")
			nestedUserFill(rand.New(rand.NewSource(fill)), r, plain)
			return r
		}
		fpKey := tagKeys[rng.Intn(len(tagKeys))]
		b := NewBuilder(tagKeys, fpKey, "", nil, fn)
		client := clients[all]
		errorf := func(format string, args ...any) {
			if fails++; fails <= 6 {
				t.Errorf("seed %d (user info %v, plain %v, scrub %v): "+format, append([]any{seed, all, plain, fn != nil}, args...)...)
			}
		}

		ref := newRec(buffer.DefaultEventLimits)
		want := ref.Data()
		buffer.PutAll([]*buffer.Record{ref})
		refGate(want, all)

		// The event: its log context, tags, fingerprint and user, and its
		// breadcrumb, a record of the same attributes.
		trail := buffer.NewTrail(4)
		trail.Append(newRec(buffer.DefaultBreadcrumbLimits))
		ev := b.Event(newRec(buffer.DefaultEventLimits), nil, trail, policy.ClientConf{Client: client, MaxBreadcrumbs: 100})
		var wantTags map[string]string
		for _, k := range tagKeys {
			if v, ok := lookup(want, k); ok && isScalar(v) {
				if wantTags == nil {
					wantTags = map[string]string{}
				}
				wantTags[k] = fmt.Sprint(v)
			}
		}
		var wantFP []string
		if v, ok := lookup(want, fpKey); ok {
			wantFP = fingerprint(v)
		}
		wantCrumb := dumped(want)
		var wantUser sentry.User
		if m, ok := want["user"].(map[string]any); ok {
			wantUser = user(m)
			delete(want, "user")
		}
		var lc map[string]any
		if c, ok := ev.Contexts[LogContext]; ok {
			lc = c
		}
		if got, w := dumped(lc), dumped(want); got != w {
			errorf("log context\n got %s\nwant %s", got, w)
		}
		if !reflect.DeepEqual(ev.Tags, wantTags) || !reflect.DeepEqual(ev.Fingerprint, wantFP) || !reflect.DeepEqual(ev.User, wantUser) {
			errorf("tags %v fingerprint %v user %+v, want %v %v %+v", ev.Tags, ev.Fingerprint, ev.User, wantTags, wantFP, wantUser)
		}
		if len(ev.Breadcrumbs) != 1 {
			errorf("%d breadcrumbs", len(ev.Breadcrumbs))
		} else if got := dumped(ev.Breadcrumbs[0].Data); got != wantCrumb {
			errorf("breadcrumb\n got %s\nwant %s", got, wantCrumb)
		}

		// The Sentry Log.
		ref = newRec(buffer.DefaultEventLimits)
		want = ref.Data()
		refGate(want, all)
		wantLog := attrEntry{}
		addData(wantLog, want, ref.DroppedAttrs > 0)
		wantAttrs := map[string]string{}
		for k, v := range wantLog {
			wantAttrs[k] = fmt.Sprint(v)
		}
		if !needsMap(ref, ref.AllText(), b.scrub) {
			flatLogs++
		}
		logs = logs[:0]
		b.SendLog(context.Background(), sentry.NewHub(client, sentry.NewScope()), false, ref, false, "")
		buffer.PutAll([]*buffer.Record{ref})
		if len(logs) != 1 {
			errorf("%d logs", len(logs))
		} else if got := logAttrs(logs[0]); !reflect.DeepEqual(got, wantAttrs) {
			errorf("log attributes\n got %v\nwant %v", sortedMap(got), sortedMap(wantAttrs))
		}
	}
	if flatLogs < 500 || scrubCalls == 0 {
		t.Errorf("%d logs sent flat, %d Scrub calls: the paths are not all taken", flatLogs, scrubCalls)
	}
}

// dumped is v as dumpTyped writes it.
func dumped(v any) string {
	var b strings.Builder
	if m, ok := v.(map[string]any); ok && m == nil {
		return "nil"
	}
	dumpTyped(&b, v)
	return b.String()
}

// sortedMap is m's entries, sorted, for messages.
func sortedMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s ", k, m[k])
	}
	return b.String()
}
