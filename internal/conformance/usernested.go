package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// nestedUserFields are a record's fields with user data below the top
// level, as slog's WithGroup, zap.Namespace, zerolog's Dict or a logged
// struct or map put it: a user group in a group, one two groups down, a
// user value that is no group and flat user keys in a group, a user map in
// a map, and in a list's map.
func nestedUserFields() []Field {
	return []Field{
		{"app", Group{{"user", Group{{"id", "u-1"}, {"email", "ann@example.com"}}}, {"n", 1}}},
		{"a", Group{{"b", Group{{"user", Group{{"id", "u-2"}, {"ip_address", "10.1.2.3"}}}}}}},
		{"c", Group{{"user", "cat@example.com"}, {"user.email", "dan@example.com"}, {"user.id", "u-3"}}},
		{"m", map[string]any{"k": map[string]any{"user": map[string]any{"id": "u-4", "email": "eve@example.com"}}}},
		{"l", []any{map[string]any{"user": map[string]any{"id": "u-5", "email": "fay@example.com"}}}},
	}
}

// nestedUserSecrets are what nestedUserFields hold beyond the users' ids.
var nestedUserSecrets = []string{"ann@", "10.1.2.3", "cat@", "dan@", "eve@", "fay@"}

// UserGatedNested: a user group nested in other groups or maps, at any
// depth, is gated as a top-level one is, in the event's log context and
// tags, in breadcrumbs and in Sentry Logs: without the client's user info
// it keeps only its id, a user value that is no group is Filtered and a
// flat key such as "user.email" in a group is removed; with it, all is
// kept. A nested user group never fills the event's user.
func testUserGatedNested(t *testing.T, d Driver) {
	for _, allowed := range []bool{false, true} {
		t.Run(fmt.Sprintf("userInfo=%v", allowed), func(t *testing.T) {
			ev, logs := checkUserGate(t, d, allowed, nestedUserFields(), func(o *logcrumbs.Options) {
				o.TagKeys = []string{"app.user.id", "app.user.email"}
			}, []string{"u-1", "u-2", "u-3", "u-4", "u-5"}, nestedUserSecrets)
			if !allowed {
				lc := ev.LogContext()
				if got := js(lc["c"]); got != `{"user":"[Filtered]","user.id":"u-3"}` {
					t.Errorf("log context c = %s, want the user value Filtered, user.email removed", got)
				}
				if got := js(logs[0].Attributes["c.user"]); got != `{"value":"[Filtered]","type":"string"}` {
					t.Errorf("info log c.user = %s, want [Filtered]", got)
				}
				for _, key := range []string{"app.user.id", "a.b.user.id", "c.user.id", "m.k.user.id"} {
					if _, ok := logs[0].Attributes[key]; !ok {
						t.Errorf("info log lacks %s: %s", key, js(logs[0].Attributes))
					}
				}
			}
			wantTags := map[string]string{"app.user.id": "u-1"}
			if allowed {
				wantTags["app.user.email"] = "ann@example.com"
			}
			if js(ev.Tags) != js(wantTags) {
				t.Errorf("tags %v, want %v", ev.Tags, wantTags)
			}
			if ev.User.ID != "" || ev.User.Email != "" {
				t.Errorf("user %+v, want none: only a top-level user group fills it", ev.User)
			}
		})
	}
}

// anyCaseUserFields are a record's fields with user data under keys that
// are "user" in another case: a "User" group, a map shaped as
// encoding/json writes a logged Go struct (its field names capitalized,
// as zap.Any, zap.Reflect, slog.Any and logrus write them), a flat
// "USER.EMAIL" and a "User" value that is no group, in a group.
func anyCaseUserFields() []Field {
	return []Field{
		{"User", Group{{"ID", "u-1"}, {"Email", "ann@example.com"}}},
		{"order", map[string]any{"N": 1, "User": map[string]any{"ID": "u-2", "Email": "eve@example.com", "IPAddress": "10.1.2.3"}}},
		{"USER.EMAIL", "dan@example.com"},
		{"Customer", Group{{"User", "cat@example.com"}}},
	}
}

// UserGatedAnyCase: the user gate matches the user keys whatever their
// case, as SecretKeys match theirs: without the client's user info, a
// logged Go struct's "User" field, a "User" group and a flat "USER.EMAIL"
// send no email or address, in the event's log context, in breadcrumbs
// and in Sentry Logs; the ids stay. With user info, all is kept.
func testUserGatedAnyCase(t *testing.T, d Driver) {
	for _, allowed := range []bool{false, true} {
		t.Run(fmt.Sprintf("userInfo=%v", allowed), func(t *testing.T) {
			checkUserGate(t, d, allowed, anyCaseUserFields(), nil,
				[]string{"u-1", "u-2"}, []string{"ann@", "eve@", "10.1.2.3", "dan@", "cat@"})
		})
	}
}

// checkUserGate logs an info and an error record with fields, with the
// client's user info allowed or not, and checks what is sent of them in
// the event's log context, the breadcrumb and both Sentry Logs: every id
// kept, each secret present only when allowed. It returns the event and
// the logs for the case's own checks.
func checkUserGate(t *testing.T, d Driver, allowed bool, fields []Field, set func(*logcrumbs.Options), ids, secrets []string) (logcrumbstest.Event, []sentry.Log) {
	t.Helper()
	logger, rec := newLogsLogger(t, d, true, Info, set, userInfo(allowed)...)
	log := logger.Bind(rec.Context(context.Background()))
	log.Log(Info, "crumb", fields...)
	log.Log(Error, "failed", append(fields, Field{"err", errors.New("boom " + t.Name())})...)
	ev := one(t, rec)
	bs := ev.Breadcrumbs()
	if len(bs) != 1 {
		t.Fatalf("%d breadcrumbs, want 1", len(bs))
	}
	logs := rec.Logs()
	if len(logs) != 2 {
		t.Fatalf("logs %q, want 2", bodies(logs))
	}
	sent := map[string]string{
		"log context":     js(ev.LogContext()),
		"breadcrumb data": js(bs[0].Data),
		"info log":        js(logs[0].Attributes),
		"error log":       js(logs[1].Attributes),
	}
	for where, got := range sent {
		var wrong []string
		for _, id := range ids {
			if !strings.Contains(got, id) {
				wrong = append(wrong, "lost "+id)
			}
		}
		for _, s := range secrets {
			if has := strings.Contains(got, s); has != allowed {
				wrong = append(wrong, fmt.Sprintf("%q present %v", s, has))
			}
		}
		if wrong != nil {
			t.Errorf("%s: %s (user info %v): %s", where, strings.Join(wrong, ", "), allowed, got)
		}
	}
	return ev, logs
}

// userInfo is the client's configuration that allows user info, or none.
func userInfo(allowed bool) []func(*sentry.ClientOptions) {
	if !allowed {
		return nil
	}
	return []func(*sentry.ClientOptions){func(o *sentry.ClientOptions) {
		o.DataCollection = &sentry.DataCollection{UserInfo: sentry.Set(true)}
	}}
}

// UserStructFillsEventUser: the UserKey group of a logged Go struct, as
// encoding/json writes it ("ID", "Email", "Username", "IPAddress"), fills
// the event's user as the lowercase keys do: the gate keeps its "ID" as
// the id, and so does the event's user (Sentry counts the users an issue
// affects by it); with the client's user info, the email, username and
// address too. A "User" group is gated, and fills nothing.
func testUserStructFillsEventUser(t *testing.T, d Driver) {
	for _, allowed := range []bool{false, true} {
		t.Run(fmt.Sprintf("userInfo=%v", allowed), func(t *testing.T) {
			logger, rec := newLogger(t, d, nil, userInfo(allowed)...)
			log := logger.Bind(rec.Context(context.Background()))
			log.Log(Error, "failed",
				Field{"user", Group{{"ID", "u-1"}, {"Email", "ann@example.com"}, {"Username", "ann"}, {"IPAddress", "10.1.2.3"}}},
				Field{"err", errors.New("boom " + t.Name())})
			u := one(t, rec).User
			want := sentry.User{ID: "u-1"}
			if allowed {
				want = sentry.User{ID: "u-1", Email: "ann@example.com", Username: "ann", IPAddress: "10.1.2.3"}
			}
			if fmt.Sprint(u) != fmt.Sprint(want) {
				t.Errorf("event's user %+v, want %+v (user info %v)", u, want, allowed)
			}
		})
	}
}
