package crosstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// urlSecrets are the secrets that logURLs puts in URLs under innocent keys.
var urlSecrets = []string{"hunter2", "tok-1", "pw-ptr", "k-ptr", "at-val", "sig-v", "pw-nested", "cpw", "amz-sig", "frag-tok", "ssn-9"}

// urlKept are what must still be readable of those URLs afterwards.
var urlKept = []string{
	"https://bob:[Filtered]@api.example.com/v1/items?token=[Filtered]&page=2",       // a string
	"https://alice:[Filtered]@ptr.example/p?api_key=[Filtered]&x=1",                 // a *url.URL
	"access_token=[Filtered]&q=ok",                                                  // a url.URL's RawQuery
	"https://db.example/x?password=[Filtered]",                                      // inside a group
	"fetching https://carol:[Filtered]@h.example/o?X-Amz-Signature=[Filtered] then", // inside text
	"https://app.example/cb#access_token=[Filtered]&state=s1",                       // a fragment
	"https://h.example/?SSN=[Filtered]",                                             // the user's own SecretKeys
	"val.example",
}

// logURLs logs, through the named logger, one breadcrumb and then one error
// record that both carry URLs with secrets: as a string, a *url.URL, a
// url.URL, url.Values, inside a group, inside a longer text, in a list.
func logURLs(ctx context.Context, logger string, opts logcrumbs.Options) {
	ptr, _ := url.Parse("https://alice:pw-ptr@ptr.example/p?api_key=k-ptr&x=1")
	val := url.URL{Scheme: "https", Host: "val.example", Path: "/v", RawQuery: "access_token=at-val&q=ok"}
	vals := url.Values{"signature": {"sig-v"}, "page": {"3"}}
	const (
		str    = "https://bob:hunter2@api.example.com/v1/items?token=tok-1&page=2"
		nested = "https://db.example/x?password=pw-nested"
		text   = "fetching https://carol:cpw@h.example/o?X-Amz-Signature=amz-sig then"
		frag   = "https://app.example/cb#access_token=frag-tok&state=s1"
		own    = "https://h.example/?SSN=ssn-9"
	)
	for i, msg := range []string{"calling", "call failed"} {
		var err error
		if i == 1 {
			err = errors.New(logger + " failed")
		}
		switch logger {
		case "slog":
			l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
			args := []any{"target", str, "link", ptr, "val", val, "q", vals, slog.Group("db", "url", nested), "note", text, "urls", []string{frag, own}}
			if err != nil {
				l.ErrorContext(ctx, msg, append(args, "err", err)...)
			} else {
				l.InfoContext(ctx, msg, args...)
			}
		case "zap":
			_, l := zapsentry.WithContext(ctx, zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts})))
			fields := []zap.Field{zap.String("target", str), zap.Stringer("link", ptr), zap.Any("val", val), zap.Any("q", vals),
				zap.Dict("db", zap.String("url", nested)), zap.String("note", text), zap.Strings("urls", []string{frag, own})}
			if err != nil {
				l.Error(msg, append(fields, zap.Error(err))...)
			} else {
				l.Info(msg, fields...)
			}
		case "zerolog hook", "zerolog writer":
			var l zerolog.Logger
			if logger == "zerolog hook" {
				_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts})))
			} else {
				_, l = zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts}).WithContext(ctx, zerolog.New(io.Discard))
			}
			e := l.Info()
			if err != nil {
				e = l.Error().Err(err)
			}
			e.Str("target", str).Stringer("link", ptr).Interface("val", val).Interface("q", vals).
				Dict("db", zerolog.Dict().Str("url", nested)).Str("note", text).Strs("urls", []string{frag, own}).Msg(msg)
		}
	}
}

// TestURLSecretsScrubbed: URLs logged under innocent keys lose their
// userinfo passwords and the values of their secret-named query and
// fragment parameters (the defaults and the user's own SecretKeys) in the
// event's attributes, its breadcrumbs, its tags and Sentry Logs, with every
// logger; the rest of each URL is sent as written.
func TestURLSecretsScrubbed(t *testing.T) {
	for _, logger := range []string{"slog", "zap", "zerolog hook", "zerolog writer"} {
		t.Run(logger, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			hub := rec.Hub()
			opts := logcrumbs.Options{Hub: hub, DedupeWindow: -1, PassThroughLevel: sentry.LevelInfo,
				TagKeys: []string{"target"}, SecretKeys: append(logcrumbs.DefaultSecretKeys(), "ssn")}
			ctx := logcrumbs.NewContext(context.Background())
			logURLs(ctx, logger, opts) // a breadcrumb, then an event
			logURLs(ctx, logger, opts) // Sentry Logs (pass-through), then a breadcrumb of the captured error
			hub.Flush(time.Second)

			var event *sentry.Event
			var logs []sentry.Log
			for _, ev := range rec.Sent() {
				logs = append(logs, ev.Logs...)
				if ev.Type == "" && event == nil {
					event = ev
				}
			}
			if event == nil || len(event.Breadcrumbs) == 0 || len(logs) == 0 {
				t.Fatalf("event %v, %d logs: want an event with breadcrumbs and logs", event, len(logs))
			}
			for what, v := range map[string]any{
				"log context": event.Contexts["log"], "breadcrumb": event.Breadcrumbs[0].Data,
				"tags": event.Tags, "Sentry Logs": logs[0].Attributes,
			} {
				b, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				got := strings.ReplaceAll(string(b), `\u0026`, "&")
				for _, s := range urlSecrets {
					if strings.Contains(got, s) {
						t.Errorf("%s: secret %q sent: %s", what, s, got)
					}
				}
				kept := urlKept
				if what == "tags" {
					kept = urlKept[:1]
				}
				for _, s := range kept {
					if !strings.Contains(got, s) {
						t.Errorf("%s: %q missing from %s", what, s, got)
					}
				}
			}
		})
	}
}

// TestURLSecretsScrubbedOnHandCapturedEvents: the trail that a bound unit
// of work gives to events captured by other code is scrubbed of URL secrets
// too. The unit's processor converts the trail the same way whichever
// logger kept it, so slog proves it for all.
func TestURLSecretsScrubbedOnHandCapturedEvents(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	logger.InfoContext(ctx, "calling", "target", "https://bob:hunter2@api.example.com/v1?token=tok-1&page=2")
	sentry.GetHubFromContext(ctx).CaptureException(errors.New("captured by hand"))
	bc := rec.WaitEvents(1, time.Second)[0].Breadcrumbs()
	if len(bc) != 1 || bc[0].Data["target"] != "https://bob:[Filtered]@api.example.com/v1?token=[Filtered]&page=2" {
		t.Errorf("breadcrumbs = %+v", bc)
	}
}

// TestURLSecretsScrubbedInJSONTextAndFragments: a URL inside a text of
// JSON that encoding/json wrote (which writes '&' as \u0026) and the
// fragment of a url.URL logged by value lose their secret parameters too,
// in the event and its breadcrumbs, with every logger (each encodes a
// url.URL its own way).
func TestURLSecretsScrubbedInJSONTextAndFragments(t *testing.T) {
	body, _ := json.Marshal(map[string]string{"callback": "https://j.example/cb?a=1&token=json-tok&b=2"})
	val := url.URL{Scheme: "https", Host: "val.example", Path: "/cb", Fragment: "id_token=frag-val&state=s2"}
	for _, logger := range []string{"slog", "zap", "zerolog hook", "zerolog writer"} {
		t.Run(logger, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			hub := rec.Hub()
			opts := logcrumbs.Options{Hub: hub, DedupeWindow: -1}
			ctx := logcrumbs.NewContext(context.Background())
			for i, msg := range []string{"calling", "call failed"} {
				switch logger {
				case "slog":
					l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
					l.Log(ctx, []slog.Level{slog.LevelInfo, slog.LevelError}[i], msg, "body", string(body), "val", val)
				case "zap":
					_, l := zapsentry.WithContext(ctx, zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts})))
					[]func(string, ...zap.Field){l.Info, l.Error}[i](msg, zap.String("body", string(body)), zap.Any("val", val))
				default:
					var l zerolog.Logger
					if logger == "zerolog hook" {
						_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts})))
					} else {
						_, l = zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts}).WithContext(ctx, zerolog.New(io.Discard))
					}
					[]func() *zerolog.Event{l.Info, l.Error}[i]().Str("body", string(body)).Interface("val", val).Msg(msg)
				}
			}
			hub.Flush(time.Second)
			evs := rec.Events()
			if len(evs) != 1 || len(evs[0].Event.Breadcrumbs) != 1 {
				t.Fatalf("%d events, want 1 with 1 breadcrumb", len(evs))
			}
			for what, v := range map[string]any{"log context": evs[0].Contexts["log"], "breadcrumb": evs[0].Event.Breadcrumbs[0].Data} {
				b, _ := json.Marshal(v)
				got := string(b)
				for _, s := range []string{"json-tok", "frag-val"} {
					if strings.Contains(got, s) {
						t.Errorf("%s: secret %q sent: %s", what, s, got)
					}
				}
				for _, s := range []string{`b=2`, `j.example/cb?a=1`, `state=s2`, `val.example`} {
					if !strings.Contains(got, s) {
						t.Errorf("%s: %q missing from %s", what, s, got)
					}
				}
			}
		})
	}
}
