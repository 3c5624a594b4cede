package event

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

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
// byte the key does not start with, decides as the plain loop over the
// user keys does, for keys equal to, under, beside, shorter and longer
// than user keys of one and more bytes, with and without user info.
func TestGateKeyByFirstByte(t *testing.T) {
	withUserKeys(t, "acct", "u")
	plain := func(k string, g *userGate) (gateVerdict, bool) {
		isUserKey := false
		for _, u := range userKeys() {
			if k != u.ID && strings.HasPrefix(k, u.Prefix) {
				if g.sendsAll() {
					return gateKeep, false
				}
				return gateRemove, false
			}
			isUserKey = isUserKey || k == u.Key
		}
		return gateKeep, isUserKey
	}
	keys := []string{"", "u", "u.", "u.id", "u.x", "ux", "user", "user.", "user.id", "user.email", "users", "usr",
		"acct", "acct.id", "acct.owner", "acc", "xacct", "User", "a", "path", "\xff"}
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
